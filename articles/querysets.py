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


# A tag or author with at most this many stories has them fetched by id and
# sorted; one with more is read off an ordered index (see `ArticleQuerySet.among`).
SMALL_SET = 2000

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
        - staff who may only view stories: what readers see; anyone else (paywall
          managers, who work on prompts): nothing.
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
        if user.has_perm("articles.view_article"):
            return self.published()
        return self.none()

    def among(self, members, field):
        """
        These stories narrowed to those `members` lists (a queryset of
        taggings or bylines whose `field` is the story's id), in a way whose
        cost does not grow with the archive, whatever the list's order. A tag
        on a few stories has their ids fetched (at most SMALL_SET) and only
        those stories sorted; a tag on many, like "Japan" on 40% of them, is
        read off the list order's index, checking each story for the tag, and
        a page is found within a few rows.
        """
        members = members.order_by()  # any order: a byline's position would cost a sort
        ids = list(members.values_list(field, flat=True)[: SMALL_SET + 1])
        if len(ids) <= SMALL_SET:
            return self.filter(pk__in=ids)
        return self.filter(models.Exists(members.filter(**{field: models.OuterRef("pk")})))

    def tagged(self, tag):
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        taggings = TaggedItem.objects.filter(tag=tag, content_type=ContentType.objects.get_for_model(self.model))
        return self.among(taggings, "object_id")

    def written_by(self, author):
        from .models.articles import ArticleAuthor

        return self.among(ArticleAuthor.objects.filter(author=author), "article_id")

    def few(self):
        """
        These stories as a list of ids, for the desk's views of small sets
        (embargoed, in review, needing a headline): read through the set's own
        index and sorted, not found by walking the list's order past every
        other story. Capped at SMALL_SET.
        """
        return self.model.objects.filter(pk__in=list(self.order_by().values_list("pk", flat=True)[:SMALL_SET]))

    def desk_search(self, text, *, limit=1000):
        """
        The desk's search box: stories whose headline, dek or body has the
        words, whose tag is named so, or whose wire GUID is exactly it. Read
        from indexes, so it costs the same at 100,000 stories as at 1,000:
        - the published archive through the search engine's index (the
          newest `limit` matches, headline, dek and body);
        - the desk's own work (drafts, review, scheduled, embargoed, pulled,
          the Trash), which the reader's index leaves out, by headline and
          dek, newest first, found through the status index;
        - a tag by its name, and a GUID, through their indexes.
        At most a few thousand ids, which the list then sorts and pages.
        """
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import Tag, TaggedItem

        from .models.articles import Article
        from .search import matching_ids

        text = " ".join(text.split())
        if not text:
            return self
        words = Q()
        for word in text.split():
            words &= Q(headline__icontains=word) | Q(dek__icontains=word)
        now = timezone.now()
        found = set(matching_ids(text, limit=limit))
        not_public = [  # each through its own index
            Article.objects.not_in_trash().exclude(status=Status.PUBLISHED).order_by("-updated_at", "-pk"),
            Article.objects.filter(embargo_until__gt=now).order_by(),
            Article.objects.filter(published_at__gt=now).order_by(),
            Article.objects.in_trash().order_by(),
        ]
        for stories in not_public:
            found.update(stories.filter(words).values_list("pk", flat=True)[:limit])
        article_type = ContentType.objects.get_for_model(Article)
        for tag_id in Tag.objects.filter(name__iexact=text).values_list("pk", flat=True):
            # One tag at a time: its newest taggings come off taggit's tag index in order.
            taggings = TaggedItem.objects.filter(tag_id=tag_id, content_type=article_type).order_by("-pk")
            found.update(taggings.values_list("object_id", flat=True)[:limit])
        found.update(Article.objects.filter(wire_guid=text).order_by().values_list("pk", flat=True)[:limit])
        return self.filter(pk__in=found)

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

    def one(self):
        """
        The story a unique lookup finds, or None: `first()` without its ORDER
        BY, which would make PostgreSQL plan a sort on top of the index lookup.
        """
        return next(iter(self.order_by()[:1]), None)

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
