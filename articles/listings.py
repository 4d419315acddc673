"""
What the reader's list pages show: pages of stories, the front page, an
archive period, related stories and search results.

Every list is a page of `PAGE_SIZE` cards fetched with `for_listing()`, so a
page costs the same few queries whether it shows 1 story or 20. A page number
that is not a page (`?page=abc`, `?page=0`, one past the end) is a 404, not a
silent jump to page 1: each page has one address, which its canonical link names.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Article
from .search import search

PAGE_SIZE = 20
FRONT_PAGE_STORIES = 30  # the latest stories under the lead, grouped by section
RELATED_STORIES = 4
RELATED_WINDOW = datetime.timedelta(days=14)  # related stories come from two weeks either side
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


def story_page(stories, number):
    """A page of the newest-first cards of `stories` (a published() queryset)."""
    return paginate(stories.for_listing().latest_first(), number)


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
    section, from the weeks around its publication: one query, whatever the
    story's tags, and bounded by that window rather than by the archive (a tag
    like "Japan" may be on 40% of 100,000 stories). Shown as headlines, so
    with no pictures or credit to fetch.
    """
    tag_ids = [tag.pk for tag in article.tags.all()]  # prefetched by for_page()
    shares_a_tag = Q(tags__in=tag_ids)
    around = article.published_at or timezone.now()
    return list(
        Article.objects.published()
        .filter(published_at__range=(around - RELATED_WINDOW, around + RELATED_WINDOW))
        .filter(shares_a_tag | Q(section_id=article.section_id))
        .exclude(pk=article.pk)
        .annotate(shared=Count("tags", filter=shares_a_tag))
        .select_related("section")
        .only("headline", "slug", "published_at", "section", "section__slug", "section__name")
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )


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
