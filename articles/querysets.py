"""
The query vocabulary for articles.

Public views ask only `Article.objects.published()`, so the rule for what a
reader may see lives here and nowhere else.
"""

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """
        Stories a reader may see now: published or scheduled, with a publish
        time that has passed. Scheduled stories go live by this query alone,
        with no background job needed at the minute they are due.
        """
        from .models.articles import Status

        at = at or timezone.now()
        return self.filter(
            status__in=Status.visible(),
            published_at__isnull=False,
            published_at__lte=at,
        )

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_credit(self):
        """Everything `credit_line` reads, fetched in a constant number of queries."""
        from .models.articles import ArticleAuthor

        return self.select_related("wire_service").prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
        )

    def for_listing(self):
        """What an article card shows: section, credit line and lead image."""
        return self.with_credit().select_related("section", "lead_image")
