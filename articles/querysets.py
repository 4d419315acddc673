"""
The query vocabulary for articles.

Public views ask only `Article.objects.published()`, so the rule for what a
reader may see lives here and nowhere else.
"""

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from .status import Status


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """
        Stories a reader may see now: published or scheduled, with a publish
        time that has passed. Scheduled stories go live by this query alone,
        with no background job needed at the minute they are due.
        """
        at = at or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=at),
            status__in=Status.visible(),
            published_at__isnull=False,
            published_at__lte=at,
        )

    def gone(self):
        """Stories withdrawn or killed after publication: their addresses answer 410 Gone."""
        return self.filter(status__in=Status.gone(), published_at__isnull=False)

    # The desk's views of its work.

    def drafts_of(self, user):
        return self.filter(Q(created_by=user) | Q(bylines__author__user=user), status=Status.DRAFT).distinct()

    def needs_headline(self):
        """Wire copy that arrived without a headline and is still in play."""
        return self.filter(headline="").exclude(status__in=Status.gone())

    def in_review(self):
        return self.filter(status=Status.IN_REVIEW)

    def scheduled(self):
        return self.filter(status=Status.SCHEDULED, published_at__gt=timezone.now())

    def embargoed(self):
        return self.filter(embargo_until__gt=timezone.now())

    def published_today(self):
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return self.published().filter(published_at__gte=start)

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def with_credit(self):
        """Everything `credit_line` reads, fetched in a constant number of queries."""
        from .models.articles import ArticleAuthor

        return self.select_related("wire_service").prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
        )

    def for_page(self):
        """What an article page shows: a card's parts plus tags and corrections."""
        return self.for_listing().prefetch_related("tags", "corrections")

    def for_listing(self):
        """What an article card shows: section, credit line and lead image."""
        return self.with_credit().select_related("section", "lead_image")
