"""
HTTP caching for the reader site: the page cache, Cache-Control, ETags with
304 answers, and gzip. Each applies to reader pages only (`is_reader_page`):
never to the desk, shared previews or the wire push.

Why gzip stops at the reader site: desk pages carry CSRF tokens and other
secrets next to text an attacker can influence, and compressing those invites
BREACH. Reader pages hold no secret.

The order in settings.MIDDLEWARE, outermost first: ReaderGZipMiddleware,
ReaderConditionalGetMiddleware, ..., ReaderPageCacheMiddleware before the
session middleware. A stored page is served before sessions and authentication
run, so a hit costs no database query, and it is compressed and answered with
304 on the way out like any other.
"""

from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import set_response_etag

from . import extensions, page_cache

# Pages under the reader's URLs that are not for everyone.
PRIVATE_PAGES = frozenset({"shared_preview", "wire_push"})
CACHEABLE_METHODS = ("GET", "HEAD")
# Statuses answered with a shorter lifetime: an address may start working (a scheduled story)
# or stop redirecting (a slug given back) without the page being edited.
BRIEF_STATUSES = frozenset({301, 404, 410})
# Headers a stored page is not served with: Cache-Control is worked out afresh on each hit.
_NOT_STORED = frozenset({"cache-control", "set-cookie"})


def is_reader_page(request):
    """Whether the request is for one of the public reader pages, feeds, sitemaps or robots.txt."""
    answer = getattr(request, "_is_reader_page", None)
    if answer is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            answer = False
        else:
            answer = match.namespace == "articles" and match.url_name not in PRIVATE_PAGES
        request._is_reader_page = answer
    return answer


class ReaderGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not is_reader_page(request):
            return response
        return super().process_response(request, response)


class ReaderConditionalGetMiddleware(ConditionalGetMiddleware):
    def process_response(self, request, response):
        if not is_reader_page(request):
            return response
        return super().process_response(request, response)


class ReaderPageCacheMiddleware:
    """
    Anonymous readers (no session cookie) get pages from the page cache, and
    `Cache-Control: public` with READER_MAX_AGE and READER_SHARED_MAX_AGE, both
    cut short before the next story goes live by the clock. Requests with a
    session (the desk reading the site) get `private, no-cache` and are never
    served from or stored in the cache. Server errors are never cached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reader_page(request) or request.method not in CACHEABLE_METHODS:
            return self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES or extensions.is_private_request(request)
        generation = page_cache.generation()
        key = page_cache.page_key(request, generation)
        use_cache = settings.PAGE_CACHE and not has_session
        if use_cache:
            entry = page_cache.get_page(key)
            if entry is not None and page_cache.seconds_left(entry["deadline"], 1):
                return self._serve(entry)

        response = self.get_response(request)
        if response.has_header("Cache-Control") or response.streaming or response.cookies:
            return response  # the view decided, or the page is someone's own
        if has_session:
            # Only the desk has sessions (readers never sign in), and asking who it is would
            # cost two queries: a session cookie is enough to keep the page out of shared caches.
            response["Cache-Control"] = "private, no-cache"
            return response
        if response.status_code >= 500:
            response["Cache-Control"] = "no-store"
            return response
        if response.status_code != 200 and response.status_code not in BRIEF_STATUSES:
            return response

        # Without the page cache, shared caches keep pages READER_SHARED_MAX_AGE at most, and the query
        # for the next timed change is not worth its cost.
        deadline = page_cache.next_change_at(generation) if settings.PAGE_CACHE else None
        if response.status_code == 200:
            set_response_etag(response)
        _set_public(response, deadline)
        if use_cache:
            lifetime = settings.PAGE_CACHE_SECONDS if response.status_code == 200 else settings.READER_ERROR_MAX_AGE
            page_cache.store_page(key, _entry(response, deadline), page_cache.seconds_left(deadline, lifetime))
        return response

    def _serve(self, entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        _set_public(response, entry["deadline"])
        return response


def _entry(response, deadline):
    headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
    return {"status": response.status_code, "headers": headers, "content": response.content, "deadline": deadline}


def _set_public(response, deadline):
    if response.status_code == 200:
        browser, shared = settings.READER_MAX_AGE, settings.READER_SHARED_MAX_AGE
    else:
        # A 404, 410 or redirect may change the minute the desk publishes: a browser asks
        # again every time (our purge cannot reach it), a CDN keeps it briefly.
        browser, shared = 0, settings.READER_ERROR_MAX_AGE
    browser, shared = page_cache.seconds_left(deadline, browser), page_cache.seconds_left(deadline, shared)
    response["Cache-Control"] = f"public, max-age={browser}, s-maxage={shared}"
