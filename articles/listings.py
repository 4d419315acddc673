"""
What the reader's list pages show: pages of stories, the front page, an
archive period, related stories and search results.

Every list is a page of `PAGE_SIZE` cards fetched with `for_listing()`, so a
page costs the same few queries whether it shows 1 story or 20.

Story lists page by position, not by number: `?before=<id>` is the page of
stories older than that story, `?after=<id>` the page newer than it. The
newest page has no parameter. Such a page costs the same at the 400th page
as at the first, and the same with 100,000 stories as with 1,000: it is read
off the publish-time index from a known place, with no OFFSET to walk and no
COUNT of the list. Its address also keeps meaning the same stories as news
arrives, where `?page=2` would slide a little with every story published.
Search results, at most a thousand of them, keep page numbers. A page that is
not a page (`?before=abc`, a story that is in no list, an empty page) is a
404, not a silent jump to the first page: each page has one address, which
its canonical link names.
"""

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Article
from .params import whole_number
from .search import search

PAGE_SIZE = 20
FRONT_PAGE_STORIES = 30  # the latest stories under the lead, grouped by section
RELATED_STORIES = 4
RELATED_WINDOW = datetime.timedelta(days=14)  # related stories come from two weeks either side
RELATED_CANDIDATES = 200  # the newest stories of that window sharing a tag or the section, ranked in Python
SEARCH_QUERY_MAX_CHARS = 1000


def paginate(items, number, *, per_page=PAGE_SIZE):
    """Page `number` of `items` (a queryset or anything Paginator takes); Http404 if there is no such page."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    if number in (None, ""):
        number = 1
    try:
        return paginator.page(number)
    except InvalidPage:
        raise Http404(_("There is no such page.")) from None


@dataclass
class StoryPage:
    """A page of a story list, newest first, and the query parameters of its neighbours and its own address."""

    stories: list
    params: dict  # this page's own: {} for the newest page, else {"before": id} or {"after": id}
    newer: dict | None = None  # the newer page's parameters, None when this is the newest
    older: dict | None = None

    def __iter__(self):
        return iter(self.stories)

    def __len__(self):
        return len(self.stories)

    @property
    def is_first(self):
        return not self.params

    @property
    def has_other_pages(self):
        return self.newer is not None or self.older is not None


def story_page(stories, params, *, per_page=PAGE_SIZE):
    """
    The page of `stories` (a published() queryset) that the request's `params`
    name: `before=<id>`, `after=<id>` or neither (the newest page). Http404
    for a page that is not one. An `after` page that would reach the newest
    story is the newest page, which has an address of its own: FirstPage is
    raised and the view redirects there.
    """
    before, after = params.get("before"), params.get("after")
    if before is not None and after is not None:
        raise Http404(_("There is no such page."))
    cards = stories.for_listing()
    if after is not None:
        published_at, pk = _position(after)
        newer = cards.filter(published_at__gte=published_at).filter(_newer_than(published_at, pk))
        rows = list(newer.order_by("published_at", "pk")[: per_page + 1])
        if len(rows) <= per_page:
            raise FirstPage
        shown = rows[:per_page][::-1]
        page = StoryPage(shown, {"after": pk}, newer={"after": shown[0].pk})
        if _older(stories, shown[-1]).exists():
            page.older = {"before": shown[-1].pk}
        return page

    older = cards.latest_first()
    place = {}
    if before is not None:
        published_at, pk = _position(before)
        older = _older(older, (published_at, pk))
        place = {"before": pk}
    rows = list(older[: per_page + 1])
    shown = rows[:per_page]
    if place and not shown:
        raise Http404(_("There is no such page."))
    page = StoryPage(shown, place)
    if len(rows) > per_page:
        page.older = {"before": shown[-1].pk}
    if place:
        page.newer = {"after": shown[0].pk}
    return page


def _older(stories, story):
    """`stories` that come after `story` (an Article or its (published_at, pk)) in a newest-first list."""
    published_at, pk = story if isinstance(story, tuple) else (story.published_at, story.pk)
    # The first filter is the index range the walk starts from; the second breaks ties in publish time.
    return stories.filter(published_at__lte=published_at).filter(
        Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
    )


def _newer_than(published_at, pk):
    return Q(published_at__gt=published_at) | Q(published_at=published_at, pk__gt=pk)


class FirstPage(Exception):
    """The page asked for is the newest page, which lives at the list's own address."""


def _position(value):
    """
    Where the story named in `?before=`/`?after=` stands: (published_at, id).
    Only a story readers have had (live now, or pulled since) marks a place;
    any other id is no page, so the address reveals nothing about drafts.
    """
    pk = whole_number(value)
    if pk is None:
        raise Http404(_("There is no such page."))
    for stories in (Article.objects.published(), Article.objects.gone()):
        found = stories.filter(pk=pk).values_list("published_at", "pk").one()
        if found:
            return found
    raise Http404(_("There is no such page."))


@dataclass
class FrontPage:
    lead: Article | None
    groups: list = field(default_factory=list)  # [(section, [stories])], in the navigation's order


def front_page():
    """
    The lead (the story the desk flagged, however old, else the newest) and
    the latest stories after it, grouped by section in the sections' order.
    """
    stories = Article.objects.published().for_listing().latest_first()
    lead = next(iter(stories.filter(is_home_lead=True)[:1]), None)
    latest = list(stories.exclude(pk=lead.pk)[:FRONT_PAGE_STORIES] if lead else stories[: FRONT_PAGE_STORIES + 1])
    if lead is None and latest:
        lead, latest = latest[0], latest[1:]
    groups = {}
    for story in latest:
        groups.setdefault(story.section, []).append(story)
    # A story without a section (it cannot be published so, but older data may have one) goes last.
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, getattr(item[0], "position", 0), str(item[0])))
    return FrontPage(lead=lead, groups=ordered)


def related_stories(article, *, limit=RELATED_STORIES):
    """
    Stories sharing the most tags with `article`, then the newest of its
    section, from the weeks around its publication. Bounded by that window
    and by RELATED_CANDIDATES rather than by the archive (a tag like "Japan"
    may be on 40% of 100,000 stories): the newest candidates come off the
    publish-time index, their shared tags are counted in a second query over
    just those stories, the ranking happens here, and a third query fetches
    the chosen few. Shown as headlines, so with no pictures or credit to fetch.
    """
    from taggit.models import TaggedItem

    tag_ids = [tag.pk for tag in article.tags.all()]  # prefetched by for_page()
    taggings = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article), tag_id__in=tag_ids)
    around = article.published_at or timezone.now()
    # Candidates as (id, publish time) pairs: two hundred model instances would cost more than the query.
    candidates = list(
        Article.objects.published()
        .filter(published_at__range=(around - RELATED_WINDOW, around + RELATED_WINDOW))
        .filter(Exists(taggings.filter(object_id=OuterRef("pk"))) | Q(section_id=article.section_id))
        .exclude(pk=article.pk)
        .order_by("-published_at", "-pk")
        .values_list("pk", "published_at")[:RELATED_CANDIDATES]
    )
    shared = Counter(
        taggings.filter(object_id__in=[pk for pk, _when in candidates]).values_list("object_id", flat=True)
    )
    candidates.sort(key=lambda candidate: (shared[candidate[0]], candidate[1], candidate[0]), reverse=True)
    chosen = [pk for pk, _when in candidates[:limit]]
    stories = (
        Article.objects.filter(pk__in=chosen)
        .select_related("section")
        .only("headline", "slug", "published_at", "section", "section__slug", "section__name")
        .in_bulk()
    )
    return [stories[pk] for pk in chosen if pk in stories]


@dataclass(frozen=True)
class ArchivePeriod:
    """A year, month or day of the archive, in the newsroom's time zone."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_url(cls, year, month=None, day=None):
        try:
            datetime.date(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError:
            raise Http404(_("There is no such date.")) from None
        if year < 1900:
            raise Http404(_("There is no such date."))
        return cls(year, month, day)

    @property
    def first_day(self):
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def start(self):
        return timezone.make_aware(datetime.datetime.combine(self.first_day, datetime.time.min))

    @property
    def end(self):
        if self.day:
            after = self.first_day + datetime.timedelta(days=1)
        elif self.month:
            after = self.first_day + datetime.timedelta(days=calendar.monthrange(self.year, self.month)[1])
        else:
            after = datetime.date(self.year + 1, 1, 1) if self.year < 9999 else datetime.date.max
        return timezone.make_aware(datetime.datetime.combine(after, datetime.time.min))

    @property
    def title(self):
        if self.day:
            label = date_format(self.first_day, "DATE_FORMAT")
        elif self.month:
            label = date_format(self.first_day, "YEAR_MONTH_FORMAT")
        else:
            label = str(self.year)
        return _("Archive: %(period)s") % {"period": label}

    @property
    def parents(self):
        """The wider periods, for the archive's breadcrumb: the year, then the month."""
        parents = []
        if self.month:
            parents.append(ArchivePeriod(self.year))
        if self.day:
            parents.append(ArchivePeriod(self.year, self.month))
        return parents

    @property
    def label(self):
        if self.day:
            return date_format(self.first_day, "j")
        if self.month:
            return date_format(self.first_day, "F")
        return str(self.year)

    def get_absolute_url(self):
        if self.day:
            return reverse("articles:archive_day", args=[self.year, self.month, self.day])
        if self.month:
            return reverse("articles:archive_month", args=[self.year, self.month])
        return reverse("articles:archive_year", args=[self.year])


def clean_query(text):
    """The reader's search words: trimmed and cut to a length no search needs."""
    return " ".join(text.split())[:SEARCH_QUERY_MAX_CHARS]


def search_page(query, number):
    """A page of search results for `query` (None for an empty query)."""
    if not query:
        return None
    return paginate(search(query), number)
