"""
The page cache for anonymous readers, and the hook that empties it.

Reader pages are stored whole in Django's cache (Redis when REDIS_URL is set,
so every app server shares them) under a key made of the page's address and a
*site generation* number. `reader_pages_changed` bumps the generation, which
makes every stored page unreachable at once, and asks the CDN to drop the
story's pages after the transaction commits.

The trade-off: any change readers can see empties the whole page cache, not
just the pages that showed the story. That is exact by construction (no list of
dependent pages to get wrong: a story sits on its page, the home page, its
section, tags, authors, agency, archive days, search results, feeds and
sitemaps), and cheap for a newsroom publishing a few stories a minute: each
page is rebuilt once after a change. Old entries are never read again and
expire on their own.

Scheduled stories and lifted embargoes go live by the clock, with no event
(`querysets.public_rule`), so no hook runs then. Every entry's lifetime is cut
at the next such moment (`next_change_at`), so no page outlives the site as it
was.

The CDN (`CDN_PURGE_URL`, e.g. "https://cdn.example/purge{path}"): one request
per affected address, method `CDN_PURGE_METHOD`, after commit, never raising
into the desk. Search result pages carry a query string and are left to their
short shared lifetime (READER_SHARED_MAX_AGE) unless the CDN purges by prefix.
"""

import hashlib
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Article, Status

log = logging.getLogger(__name__)

GENERATION_KEY = "pages:generation"

# Statuses whose stories readers see, will see by the clock, or get a 410 for: a change to any
# other story (a draft, one in review or ready) shows on no reader page.
_READER_STATUSES = frozenset({*Status.visible(), *Status.gone()})


def _cache():
    return caches["default"]


def generation():
    """The current site generation. A lost counter restarts from the clock, above any number it held."""
    value = _cache().get(GENERATION_KEY)
    if value is None:
        _cache().add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = _cache().get(GENERATION_KEY)
    return value


def _bump_generation():
    try:
        _cache().incr(GENERATION_KEY)
    except ValueError:  # never set, or evicted
        _cache().add(GENERATION_KEY, time.time_ns(), timeout=None)


def page_key(request, gen):
    """One key for GET and HEAD of the same absolute address (scheme, host, path and query)."""
    address = request.build_absolute_uri().encode()
    return f"pages:{gen}:{hashlib.sha256(address).hexdigest()}"


def next_change_at(gen):
    """
    The next moment a story goes live by the clock (a scheduled publish time, an
    embargo lifting), as a Unix timestamp, or None. One query per generation,
    kept in the cache until that moment.
    """
    key = f"pages:{gen}:next-change"
    cached = _cache().get(key)
    # Checked against the clock as well as the cache's own expiry: app servers' clocks, not
    # Redis's, decide what readers see.
    if cached is not None and (cached == 0 or cached > time.time()):
        return cached or None
    now = timezone.now()
    # A story goes public at the later of its publish time and its embargo.
    moment = (
        Article.objects.filter(
            Q(published_at__gt=now) | Q(embargo_until__gt=now),
            status__in=Status.visible(),
            trashed_at__isnull=True,
        )
        .aggregate(at=Min(Greatest("published_at", Coalesce("embargo_until", "published_at"))))
        .get("at")
    )
    timestamp = moment.timestamp() if moment else 0
    timeout = max(1, int(timestamp - time.time()) + 1) if moment else settings.PAGE_CACHE_SECONDS
    _cache().set(key, timestamp, timeout=timeout)
    return timestamp or None


def seconds_left(deadline, limit):
    """`limit` seconds, or fewer if the site changes by the clock (`deadline`) sooner; never negative."""
    if deadline is None:
        return limit
    return max(0, min(limit, int(deadline - time.time())))


def get_page(key):
    return _cache().get(key)


def store_page(key, entry, timeout):
    if timeout > 0:
        _cache().set(key, entry, timeout=timeout)


# The hook.


def reader_pages_changed(article=None, *, previous=None, previous_status=None):
    """
    Call after a change readers may see, inside the transaction that makes it.

    `article` is the story as saved (None: something site-wide, such as a tag
    rename or a section's name). `previous` is the story as it was before the
    save (an Article, None when it is new), `previous_status` its status before
    a workflow step. Nothing happens for a story that neither was nor is before
    readers (a draft, a story in review): saving drafts keeps the cache.

    Empties the page cache at once (the generation is in the cache, not the
    database, so a rollback leaves it bumped: harmless, pages are rebuilt), and
    purges the CDN after commit.
    """
    if article is not None and not _concerns_readers(article, previous, previous_status):
        return
    _bump_generation()
    # Before-state addresses are taken now: after commit only the new ones can be read.
    earlier = _story_paths(previous) if previous is not None and settings.CDN_PURGE_URL else []
    pk = article.pk if article is not None else None
    transaction.on_commit(lambda: _after_commit(pk, earlier))


def _concerns_readers(article, previous, previous_status):
    statuses = {article.status, previous_status, getattr(previous, "status", None)}
    return bool(statuses & _READER_STATUSES)


def _after_commit(pk, earlier):
    # A reader's request between the first bump and the commit still read the old rows and
    # may have stored its page under the new generation: a second bump drops it.
    _bump_generation()
    if not settings.CDN_PURGE_URL:
        return
    try:
        article = None
        if pk is not None:
            article = Article.objects.select_related("section", "wire_service").filter(pk=pk).first()
        purge_paths(affected_paths(article, earlier))
    except Exception:
        # The story is saved; a CDN that missed a purge serves the old page for READER_SHARED_MAX_AGE at most.
        log.exception("Could not purge the CDN after a change to story %s", pk)


def affected_paths(article=None, earlier=()):
    """Every address whose page shows `article`, plus the site-wide ones (home, latest feeds, sitemaps)."""
    paths = [
        reverse("articles:home"),
        reverse("articles:search"),
        reverse("articles:feed_latest_rss"),
        reverse("articles:feed_latest_atom"),
        reverse("articles:sitemap_index"),
        *(reverse("articles:sitemap_section", kwargs={"section": name}) for name in _sitemap_sections()),
        reverse("articles:news_sitemap"),
    ]
    if article is not None:
        paths += _story_paths(article)
        for slug in _ascii(article.tags.values_list("slug", flat=True)):
            paths += [reverse("articles:tag", kwargs={"slug": slug}), *_feed_paths("tag", slug)]
        paths += [
            reverse("articles:author", kwargs={"slug": slug})
            for slug in article.bylines.values_list("author__slug", flat=True)
        ]
        paths += article.old_urls.values_list("path", flat=True)
    paths += earlier
    return list(dict.fromkeys(paths))


def _sitemap_sections():
    from .sitemaps import SITEMAPS

    return list(SITEMAPS)


def _ascii(slugs):
    # The tag page's route takes ASCII slugs only (see sitemaps._tag_url).
    return [slug for slug in slugs if slug.isascii()]


def _feed_paths(kind, slug):
    try:
        return [reverse(f"articles:feed_{kind}_{fmt}", kwargs={"slug": slug}) for fmt in ("rss", "atom")]
    except NoReverseMatch:
        return []


def _story_paths(article):
    """The story's own page and the lists its own fields put it on (no queries beyond its section)."""
    paths = []
    url = article.get_absolute_url()
    if url:
        paths.append(url)
        day = timezone.localtime(article.published_at)
        paths += [
            reverse("articles:archive_year", kwargs={"year": day.year}),
            reverse("articles:archive_month", kwargs={"year": day.year, "month": day.month}),
            reverse("articles:archive_day", kwargs={"year": day.year, "month": day.month, "day": day.day}),
        ]
    if article.section_id:
        paths.append(article.section.get_absolute_url())
        paths += _feed_paths("section", article.section.slug)
    if article.wire_service_id:
        paths.append(reverse("articles:agency", kwargs={"slug": article.wire_service.slug}))
        paths += _feed_paths("agency", article.wire_service.slug)
    return paths


def purge_paths(paths):
    """
    Send CDN_PURGE_METHOD to CDN_PURGE_URL for each path ("{path}" in the setting
    is replaced by it). A CDN that does not answer is given up on after the first
    timeout, so the desk waits CDN_PURGE_TIMEOUT at most once. Logs failures.
    """
    pattern = settings.CDN_PURGE_URL
    if not pattern:
        return
    for path in paths:
        request = urllib.request.Request(pattern.format(path=path), method=settings.CDN_PURGE_METHOD)
        try:
            with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            log.warning("CDN purge of %s answered %s", path, error.code)
        except (urllib.error.URLError, OSError) as error:
            log.warning("CDN purge of %s failed (%s); the remaining %s paths are skipped", path, error, len(paths))
            return
