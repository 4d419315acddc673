"""
The query vocabulary for articles.

Public views ask only `Article.objects.published()`, so the rule for what a
reader may see lives here and nowhere else: `public_rule` is that rule, and
`Article.is_public` reads the same rule off one instance with `matches`.
"""

import operator

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from .status import Status


def public_rule(at):
    """
    Readers see a story that is published or scheduled, whose publish time has
    passed, whose embargo (if any) has lifted, and that is not in the Trash.
    Scheduled stories go live by this rule alone, with no job at the minute.
    """
    return Q(
        status__in=Status.visible(),
        published_at__isnull=False,
        published_at__lte=at,
        trashed_at__isnull=True,
    ) & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=at))


# The lookups `public_rule` uses, as Python; a None compares as SQL's NULL does (false).
_LOOKUPS = {
    "exact": operator.eq,
    "in": lambda value, choices: value in choices,
    "isnull": lambda value, wanted: (value is None) == wanted,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def matches(instance, rule):
    """Whether `instance`, as it is in memory, satisfies the Q object `rule` (simple lookups on its own fields)."""
    results = []
    for child in rule.children:
        if isinstance(child, Q):
            results.append(matches(instance, child))
            continue
        path, expected = child
        name, _sep, lookup = path.partition("__")
        value = getattr(instance, name)
        test = _LOOKUPS[lookup or "exact"]
        results.append(test(value, expected) if value is not None or lookup == "isnull" else False)
    result = all(results) if rule.connector == Q.AND else any(results)
    return not result if rule.negated else result


# What a card never shows, and a list of 20 would otherwise fetch 20 times.
LONG_TEXT_FIELDS = ("body", "usage_terms", "notice", "copyright_notice")


class ArticleQuerySet(models.QuerySet):
    def published(self, *, at=None):
        """Stories a reader may see now (see `public_rule`)."""
        return self.filter(public_rule(at or timezone.now()))

    def gone(self):
        """
        Stories readers once had that are pulled: withdrawn, killed, or moved to
        the Trash after going live. Their addresses answer 410 Gone.
        """
        pulled = Q(status__in=Status.gone())
        trashed_after_going_live = Q(
            trashed_at__isnull=False, status__in=Status.visible(), published_at__lte=models.F("trashed_at")
        )
        return self.filter(pulled | trashed_after_going_live, published_at__isnull=False)

    # The desk's views of its work.

    def not_in_trash(self):
        return self.filter(trashed_at__isnull=True)

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def visible_to(self, user):
        """
        The stories `user` may open on the desk:
        - editors (edit_any_article): every story, the Trash included;
        - reporters (change_article): their own stories, and the desk's work
          from review onwards unless it is under embargo;
        - everyone else (paywall managers): what readers see.
        """
        if user.has_perm("articles.edit_any_article"):
            return self
        if user.has_perm("articles.change_article"):
            from .models.articles import ArticleAuthor

            now = timezone.now()
            own = Q(created_by=user) | Q(pk__in=ArticleAuthor.objects.filter(author__user=user).values("article_id"))
            shared = Q(status__in=[Status.IN_REVIEW, Status.READY, Status.SCHEDULED, Status.PUBLISHED]) & (
                Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
            )
            return self.not_in_trash().filter(own | shared)
        return self.published()

    def drafts_of(self, user):
        return self.filter(Q(created_by=user) | Q(bylines__author__user=user), status=Status.DRAFT).distinct()

    def agency_unknown(self):
        """Wire drafts whose agency was not recognised: they wait for the desk to map the name the file gave."""
        return self.filter(wire_service__isnull=True, status=Status.DRAFT, trashed_at__isnull=True).exclude(
            wire_guid=""
        )

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
        """What an article page shows: a card's parts, the body, tags and corrections."""
        return self._card_parts().prefetch_related("tags", "corrections")

    def for_listing(self):
        """What an article card shows, without the body and other long text, which a list never prints."""
        return self._card_parts().defer(*LONG_TEXT_FIELDS)

    def _card_parts(self):
        """Section, credit line, and lead image with its renditions: one query each for a whole page."""
        from .renditions import renditions_prefetch  # renditions imports the models

        return self.with_credit().select_related("section", "lead_image").prefetch_related(*renditions_prefetch())
