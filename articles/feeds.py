"""
RSS 2.0 and Atom feeds: the latest stories, and each section's, tag's and agency's.

Every entry comes from `Article.objects.published()`, so a withdrawn, killed or
trashed story leaves the feeds at once, and a scheduled one joins them when its
time comes. Entries carry the dek, never the body: a paywalled story's text must
not leak through a feed reader.
"""

import copy
import datetime
import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from .models import Article, Section, WireService
from .structured_data import absolute_url

FEED_ITEMS = 50
# The RSS Advisory Board's profile: "When an enclosure's size cannot be determined, a publisher
# SHOULD use a length of 0." Asking storage for every picture's size would cost a request each
# on object storage.
UNKNOWN_LENGTH = "0"


def stories_for_feed(stories):
    """The newest `FEED_ITEMS` of `stories`, with everything an entry prints, in a constant number of queries."""
    return stories.for_listing().prefetch_related("tags").latest_first()[:FEED_ITEMS]


def article_guid(article, host):
    """
    A tag URI (RFC 4151) naming the story for good: its slug, section and headline
    may change, its primary key and creation date do not.
    """
    created = article.created_at.astimezone(datetime.UTC).date().isoformat()
    return f"tag:{host},{created}:article/{article.pk}"


def feed_title(subject=None):
    """A feed's title: the paper's name, and the section, tag or agency it follows (None: the latest stories)."""
    if subject is None:
        return _("%(paper)s: latest stories") % {"paper": settings.NEWSROOM_NAME}
    name = subject.credit if isinstance(subject, WireService) else subject.name
    return f"{settings.NEWSROOM_NAME}: {name}"


class StoryFeed(Feed):
    """What every feed's entries share; subclasses choose the stories and the titles."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        # The instance is shared by every request the URL serves; item methods need the
        # request (for absolute addresses), so each request works on its own copy.
        feed = copy.copy(self)
        feed.request = request
        return super(StoryFeed, feed).__call__(request, *args, **kwargs)

    # The feed.

    def absolute(self, url):
        return absolute_url(url, self.request)

    def feed_url(self, obj):
        return self.absolute(self.request.path)

    def language(self):
        return settings.NEWSROOM_LANGUAGE

    def subtitle(self, obj):
        # Atom's <subtitle>; RSS uses `description`.
        return self._get_dynamic_attr("description", obj)

    # The entries.

    def item_title(self, item):
        return item.headline

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def item_description(self, item):
        return item.dek

    def item_author_name(self, item):
        return item.credit_line

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at or item.published_at

    def item_guid(self, item):
        return article_guid(item, urlsplit(self.absolute("/")).hostname)

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        picture = item.lead_image
        if picture is None or not picture.is_available:
            return []
        mime_type = mimetypes.guess_type(picture.file.name)[0] or "application/octet-stream"
        return [Enclosure(self.absolute(picture.file.url), UNKNOWN_LENGTH, mime_type)]


class LatestStories(StoryFeed):
    def title(self):
        return feed_title()

    def link(self):
        return self.absolute(reverse("articles:home"))

    def description(self):
        return _("The newest stories from %(paper)s.") % {"paper": settings.NEWSROOM_NAME}

    def items(self):
        return stories_for_feed(Article.objects.published())


class SectionStories(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, section):
        return feed_title(section)

    def link(self, section):
        return self.absolute(section.get_absolute_url())

    def description(self, section):
        return section.description or _("The newest stories in %(section)s.") % {"section": section.name}

    def items(self, section):
        return stories_for_feed(Article.objects.published().filter(section=section))


class TagStories(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return feed_title(tag)

    def link(self, tag):
        return self.absolute(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def description(self, tag):
        return _("The newest stories tagged %(tag)s.") % {"tag": tag.name}

    def items(self, tag):
        return stories_for_feed(Article.objects.published().tagged(tag))


class AgencyStories(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(WireService, slug=slug)

    def title(self, agency):
        return feed_title(agency)

    def link(self, agency):
        return self.absolute(reverse("articles:agency", kwargs={"slug": agency.slug}))

    def description(self, agency):
        return _("The newest stories from %(agency)s.") % {"agency": agency.name}

    def items(self, agency):
        return stories_for_feed(Article.objects.published().filter(wire_service=agency))


def as_atom(feed_class):
    """The same feed in Atom 1.0."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": Atom1Feed})


# URL names: feed_<kind>_<format>, e.g. "articles:feed_section_atom"; the template tag
# `feed_links` (templatetags/feeds.py) reads them.
FEEDS = {
    "latest": ("feeds/latest", LatestStories),
    "section": ("feeds/sections/<slug:slug>", SectionStories),
    # Tag slugs may be Unicode (taggit slugifies with allow_unicode), which <slug:> refuses.
    "tag": ("feeds/tags/<str:slug>", TagStories),
    "agency": ("feeds/agencies/<slug:slug>", AgencyStories),
}

urlpatterns = [
    pattern
    for kind, (route, feed_class) in FEEDS.items()
    for pattern in (
        path(f"{route}.rss", feed_class(), name=f"feed_{kind}_rss"),
        path(f"{route}.atom", as_atom(feed_class)(), name=f"feed_{kind}_atom"),
    )
]
