"""
HTTP caching on the reader site (articles/middleware.py): ETags and 304s,
Cache-Control for anonymous readers and for the desk, no cookies for readers,
gzip for reader pages only, and the CDN purge after commit.
"""

import gzip
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Status
from articles.services.publishing import perform
from articles.services.stories import save_story

PUBLIC_PAGES = {
    "home": "/",
    "section": "/world/",
    "tag": "/tags/rail/",
    "author": "/authors/aiko-tanaka/",
    "agency": "/agencies/kyodo/",
    "archive": None,  # the story's day, filled in by the fixture
    "search": "/search/?q=sleeper",
    "article": None,
    "rss": "/feeds/latest.rss",
    "atom": "/feeds/latest.atom",
    "section-feed": "/feeds/sections/world.rss",
    "sitemap": "/sitemap.xml",
    "sitemap-articles": "/sitemap-articles.xml",
    "news-sitemap": "/news-sitemap.xml",
    "robots": "/robots.txt",
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""
    settings.READER_MAX_AGE, settings.READER_SHARED_MAX_AGE, settings.READER_ERROR_MAX_AGE = 60, 300, 30


@pytest.fixture
def story(make_article, make_author, kyodo):
    return make_article(
        headline="Night trains return",
        slug="night-trains",
        authors=[make_author("Aiko Tanaka")],
        tags=["rail"],
        wire_service=kyodo,
        paragraphs=["The sleeper service runs again."],
        published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture
def pages(story):
    day = timezone.localtime(story.published_at)
    return {
        **PUBLIC_PAGES,
        "article": story.get_absolute_url(),
        "archive": reverse("articles:archive_day", kwargs={"year": day.year, "month": day.month, "day": day.day}),
    }


def test_every_public_page_has_an_etag_and_answers_304(pages):
    for name, path in pages.items():
        reader = Client()
        response = reader.get(path)
        assert response.status_code == 200, name
        assert response["ETag"], name
        again = reader.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, name
        assert again.content == b""
        assert reader.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_anonymous_readers_get_public_caching_and_no_cookie(pages):
    for name, path in pages.items():
        response = Client().get(path)
        assert response["Cache-Control"] == "public, max-age=60, s-maxage=300", name
        assert not response.cookies, f"{name} sets {list(response.cookies)}"
        # The page is the same for every reader, so shared caches need not key it by cookie.
        assert "Cookie" not in response.get("Vary", ""), name


def test_the_desk_reading_the_site_gets_private_fresh_pages(client, editor, pages):
    anonymous = Client().get(pages["home"])
    assert anonymous["Cache-Control"].startswith("public")
    client.force_login(editor)
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "private, no-cache", name


def test_the_desk_is_never_served_from_the_page_cache(client, editor, story):
    Client().get("/")  # stored for anonymous readers
    client.force_login(editor)
    story.headline = "Night trains return, and more"
    story.save(update_fields=["headline"])  # behind the cache's back: only a fresh render shows it
    assert "and more" in client.get("/").content.decode()


def test_missing_and_gone_pages_are_cached_briefly(client, story, editor):
    missing = client.get("/world/2001/01/01/nothing/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "public, max-age=0, s-maxage=30"
    url = story.get_absolute_url()
    perform(article=story, name="kill", user=editor)
    gone = client.get(url)
    assert gone.status_code == 410
    assert gone["Cache-Control"] == "public, max-age=0, s-maxage=30"


def test_server_errors_are_never_cached(client, story, monkeypatch):
    from articles import listings

    def broken():
        raise RuntimeError("database away")

    real = listings.front_page
    monkeypatch.setattr(listings, "front_page", broken)
    client.raise_request_exception = False
    error = client.get("/")
    assert error.status_code == 500
    assert error["Cache-Control"] == "no-store"
    monkeypatch.setattr(listings, "front_page", real)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/feeds/latest.rss", "/sitemap-articles.xml", "/news-sitemap.xml"])
def test_reader_pages_are_gzipped(client, story, make_article, path):
    for _number in range(5):  # Django leaves alone a body too short to gain from compression
        make_article()
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content


def test_desk_previews_and_wire_push_are_left_alone(client, editor, story):
    """No gzip (BREACH: desk pages carry CSRF tokens), no ETag, no public caching, no page cache."""
    login = client.get(reverse("admin:login"), headers={"Accept-Encoding": "gzip"})
    assert login.status_code == 200
    assert "Content-Encoding" not in login
    assert "ETag" not in login
    assert "public" not in login.get("Cache-Control", "")

    preview = client.get(reverse("articles:shared_preview", kwargs={"token": "not-a-token"}))
    assert preview.status_code == 404
    assert "no-cache" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]

    push = client.post(reverse("articles:wire_push", kwargs={"agency": "kyodo"}), data=b"x", content_type="text/plain")
    assert "public" not in push.get("Cache-Control", "")
    assert "ETag" not in push


# The CDN purge hook, against a local server that records what it is asked.


class PurgeRecorder(BaseHTTPRequestHandler):
    received = []

    def do_PURGE(self):  # noqa: N802 (http.server's naming)
        self.received.append((self.command, self.path))
        self.send_response(200)
        self.end_headers()

    do_POST = do_PURGE

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    PurgeRecorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{server.server_port}/purge{{path}}"
    yield PurgeRecorder.received
    server.shutdown()
    server.server_close()


def test_the_cdn_is_purged_after_commit(cdn, story, editor, pages, django_capture_on_commit_callbacks):
    url = story.get_absolute_url()
    with django_capture_on_commit_callbacks() as callbacks:
        perform(article=story, name="kill", user=editor)
    assert cdn == [], "purged before the transaction committed"

    for callback in callbacks:
        callback()

    purged = {path for _method, path in cdn}
    assert {method for method, _path in cdn} == {"PURGE"}
    expected = {
        pages[name]
        for name in [
            "article",
            "home",
            "section",
            "tag",
            "author",
            "agency",
            "archive",
            "rss",
            "atom",
            "section-feed",
            "sitemap",
            "sitemap-articles",
            "news-sitemap",
        ]
    }
    assert {f"/purge{path}" for path in expected} <= purged
    assert f"/purge{url}" in purged
    assert len(cdn) == len(purged), "each address once"


def test_the_cdn_hears_nothing_when_the_change_is_rolled_back(cdn, story, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        perform(article=story, name="kill", user=editor)
        raise RuntimeError("the desk's request failed")
    assert cdn == []


def test_a_draft_save_purges_nothing(cdn, make_article, editor, django_capture_on_commit_callbacks):
    draft = make_article(headline="Work in progress", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Still in progress"
        save_story(story=draft, user=editor, changed_fields=["headline"])
    assert cdn == []


def test_the_purge_method_is_a_setting(cdn, settings, story, editor, django_capture_on_commit_callbacks):
    settings.CDN_PURGE_METHOD = "POST"
    with django_capture_on_commit_callbacks(execute=True):
        perform(article=story, name="withdraw", user=editor, note="Legal.")
    assert cdn and {method for method, _path in cdn} == {"POST"}


def test_a_cdn_that_does_not_answer_never_stops_the_desk(
    settings, story, editor, caplog, django_capture_on_commit_callbacks
):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{port}/purge{{path}}"
    with django_capture_on_commit_callbacks(execute=True):
        killed = perform(article=story, name="kill", user=editor)
    assert killed.status == Status.KILLED
    assert "CDN purge" in caplog.text
