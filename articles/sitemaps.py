"""
Sitemaps for search engines: `sitemap.xml` is an index of the articles (in pages),
sections, tags and agencies sitemaps; `news-sitemap.xml` is the Google News
sitemap of the last NEWS_SITEMAP_HOURS hours; `robots.txt` names both.

Every story comes from `Article.objects.published()`, so a withdrawn, killed or
trashed story leaves them at once. Addresses are absolute: SITE_URL when it is
set, else the request's own scheme and host (we do not use django.contrib.sites:
without it Django's views fall back to a RequestSite built from the request).
"""

import math
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.models import Tag

from .models import Article, Section, WireService
from .structured_data import absolute_url

# Google reads at most 1,000 <news:news> entries from one news sitemap.
NEWS_SITEMAP_MAX = 1000


def w3c_datetime(value):
    """A time as sitemaps want it: the newsroom's zone and its offset, to the second."""
    return timezone.localtime(value).replace(microsecond=0)


def news_language(code):
    """
    A story's language as Google News wants it: an ISO 639 code ("en", "ja"), except
    Chinese, which is "zh-cn" (Simplified) or "zh-tw" (Traditional). Takes BCP 47 tags
    ("en-GB", "zh-Hant-TW", "pt_BR"); an unusable one gives the site's language.
    """
    subtags = (code or "").strip().lower().replace("_", "-").split("-")
    primary = subtags[0]
    if primary == "zh":
        traditional = {"hant", "tw", "hk", "mo"}
        return "zh-tw" if traditional & set(subtags[1:]) else "zh-cn"
    if primary.isascii() and primary.isalpha() and 2 <= len(primary) <= 3:
        return primary
    fallback = settings.NEWSROOM_LANGUAGE
    return news_language(fallback) if code != fallback else "en"


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL when it is set."""

    def has_entries(self):
        items = self.items()
        return items.exists() if hasattr(items, "exists") else bool(items)

    def get_urls(self, page=1, site=None, protocol=None):
        if settings.SITE_URL:
            base = urlsplit(settings.SITE_URL)
            return self._urls(page, base.scheme, base.netloc)
        return super().get_urls(page=page, site=site, protocol=protocol)


class KeysetPaginator:
    """
    Pages by primary-key range: page n holds the stories whose pk falls in
    ((n-1)·per_page, n·per_page]. Each page is one range scan of the primary key,
    as cheap at page 20 as at page 1, where OFFSET would step over every earlier
    row, and nothing counts the table. A page's address keeps the same stories as
    new ones arrive, so crawlers re-read only the last. A page can hold fewer than
    per_page stories (drafts, killed stories and deleted ones leave gaps).
    """

    def __init__(self, queryset, per_page):
        self.queryset = queryset
        self.per_page = per_page

    @cached_property
    def num_pages(self):
        # The newest story's key costs one probe of the primary key; asking for the newest
        # *public* one would let SQLite sort every public story first. Trailing ranges that
        # hold only drafts (wire copy waiting) are then stepped back over, one range each.
        last = self.queryset.model.objects.order_by("-pk").values_list("pk", flat=True).first()
        pages = max(1, math.ceil((last or 0) / self.per_page))
        while pages > 1 and not self._range(pages).exists():
            pages -= 1
        return pages

    def _range(self, number):
        # Both bounds, so that the planner sees a short primary-key range (SQLite otherwise
        # prefers the status index and reads every public story).
        start = (number - 1) * self.per_page
        return self.queryset.filter(pk__gt=start, pk__lte=start + self.per_page)

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage(number)
        stories = list(self._range(number).order_by("pk"))
        if not stories:
            # A sitemap must list at least one URL; a range with no public story answers 404.
            raise EmptyPage(number)
        return KeysetPage(stories)


class KeysetPage:
    def __init__(self, object_list):
        self.object_list = object_list


class ArticleSitemap(SiteSitemap):
    limit = 5000

    def items(self):
        # Only what an address and its lastmod need.
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "modified_at", "updated_at", "section__slug")
        )

    @property
    def paginator(self):
        return KeysetPaginator(self.items(), self.limit)

    def lastmod(self, article):
        # A correction (modified_at) or a desk edit (updated_at) after publication changes the page.
        times = [article.published_at, article.updated_at, article.modified_at]
        return w3c_datetime(max(time for time in times if time is not None))

    def get_latest_lastmod(self):
        # The index would print one date for every page, and finding the newest edit among
        # every published story means reading them all; the pages carry their own dates.
        return None


class SectionSitemap(SiteSitemap):
    def items(self):
        return Section.objects.order_by("position", "name")


class TagSitemap(SiteSitemap):
    """Tags carried by at least one published story."""

    def items(self):
        # Each tag is probed through taggit's tag_id index and stops at its first public story.
        # A scalar subquery with LIMIT 1 rather than EXISTS: PostgreSQL turns an EXISTS into a
        # hash join over every tagging (540 ms at 100,000 stories and 300,000 taggings), while
        # it runs the scalar subquery once per tag (55 ms; SQLite 35-56 ms either way).
        first_public = Article.objects.published().filter(tags=OuterRef("pk")).order_by().values("pk")[:1]
        tags = Tag.objects.alias(public_story=Subquery(first_public)).filter(public_story__isnull=False)
        slugs = tags.order_by("name").values_list("slug", flat=True)
        return [reverse("articles:tag", kwargs={"slug": slug}) for slug in slugs]

    def location(self, url):
        return url


class AgencySitemap(SiteSitemap):
    """Agencies with at least one published story."""

    def items(self):
        # EXISTS here, unlike tags: PostgreSQL makes it a semi-join through the wire_service index
        # (6 ms at 100,000 stories), where the scalar form scans the table for each agency.
        public_stories = Article.objects.published().filter(wire_service=OuterRef("pk"))
        return WireService.objects.filter(Exists(public_stories)).order_by("name").only("slug")

    def location(self, agency):
        return reverse("articles:agency", kwargs={"slug": agency.slug})


class NewsSitemap(SiteSitemap):
    """Google News: stories published in the last NEWS_SITEMAP_HOURS hours, newest first."""

    limit = NEWS_SITEMAP_MAX

    def items(self):
        since = timezone.now() - timedelta(hours=settings.NEWS_SITEMAP_HOURS)
        stories = list(
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .only("headline", "language", "slug", "published_at", "section__slug")
            .order_by("-published_at", "-pk")[:NEWS_SITEMAP_MAX]
        )
        for story in stories:
            story.news_language = news_language(story.language or settings.NEWSROOM_LANGUAGE)
            story.news_published = w3c_datetime(story.published_at)
        return stories


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "agencies": AgencySitemap,
}


def index(request):
    # A sitemap must list at least one URL, so the index names only those that have some.
    listed = {name: sitemap for name, sitemap in SITEMAPS.items() if sitemap().has_entries()}
    response = sitemap_views.index(
        request,
        sitemaps=listed,
        template_name="sitemaps/index.xml",
        sitemap_url_name="articles:sitemap_section",
    )
    # Django's index builds its addresses from the request's host; put SITE_URL's in.
    for entry in response.context_data["sitemaps"]:
        parts = urlsplit(entry.location)
        entry.location = absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""), request)
    return response


def section(request, section):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section, template_name="sitemaps/sitemap.xml")


def news(request):
    return sitemap_views.sitemap(request, sitemaps={"news": NewsSitemap}, template_name="sitemaps/news.xml")


def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Disallow: /preview/",
        "",
        f"Sitemap: {absolute_url(reverse('articles:sitemap_index'), request)}",
        f"Sitemap: {absolute_url(reverse('articles:news_sitemap'), request)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", section, name="sitemap_section"),
    path("news-sitemap.xml", news, name="news_sitemap"),
]
