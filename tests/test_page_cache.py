"""
The page cache for anonymous readers (articles/page_cache.py): a stored page
costs no query, and every change readers can see reaches every page that
showed the story on the next request, including changes made by the clock.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import page_cache
from articles.models import Status
from articles.services.corrections import add_correction
from articles.services.publishing import perform
from articles.services.stories import save_story
from articles.services.trash import restore_story
from tests.conftest import PULL_NAMES, PULLS

SEARCH_WORD = "sleeper"
HEADLINE = "Night trains return to the Tokaido line"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""


@pytest.fixture
def story(make_article, make_author, kyodo):
    return make_article(
        headline=HEADLINE,
        slug="night-trains",
        authors=[make_author("Aiko Tanaka")],
        tags=["rail"],
        wire_service=kyodo,
        paragraphs=[f"The {SEARCH_WORD} service runs again from Tokyo."],
        published_at=timezone.now() - timedelta(hours=1),
    )


def pages_showing(story):
    """Every reader page that lists or shows `story`, by path."""
    day = timezone.localtime(story.published_at)
    return {
        "article": story.get_absolute_url(),
        "home": reverse("articles:home"),
        "section": reverse("articles:section", kwargs={"section": "world"}),
        "tag": reverse("articles:tag", kwargs={"slug": "rail"}),
        "author": reverse("articles:author", kwargs={"slug": "aiko-tanaka"}),
        "agency": reverse("articles:agency", kwargs={"slug": "kyodo"}),
        "archive": reverse("articles:archive_day", kwargs={"year": day.year, "month": day.month, "day": day.day}),
        "search": reverse("articles:search") + f"?q={SEARCH_WORD}",
        "feed": reverse("articles:feed_latest_rss"),
        "sitemap": reverse("articles:sitemap_section", kwargs={"section": "articles"}),
        "news-sitemap": reverse("articles:news_sitemap"),
    }


def fetch_all(client, paths):
    return {name: client.get(path) for name, path in paths.items()}


def shows(response, marker):
    return response.status_code == 200 and marker in response.content.decode()


def prime(client, paths, django_assert_num_queries):
    """Fetch every page, then again from the cache (no query), so a stale page would be what is served next."""
    first = fetch_all(client, paths)
    with django_assert_num_queries(0):
        again = fetch_all(client, paths)
    for name in paths:
        assert again[name].content == first[name].content, name
    return first


def test_a_stored_page_costs_no_query(client, story, django_assert_num_queries):
    """Every reader page, once stored, is served with zero database queries."""
    paths = {
        **pages_showing(story),
        "robots": "/robots.txt",
        "sitemap-index": reverse("articles:sitemap_index"),
        "atom": reverse("articles:feed_latest_atom"),
        "not-found": "/world/2001/01/01/nothing-here/",
    }
    first = fetch_all(client, paths)
    assert first["not-found"].status_code == 404
    assert all(response.status_code == 200 for name, response in first.items() if name != "not-found")
    with django_assert_num_queries(0):
        for path in paths.values():
            client.get(path)
            client.head(path)  # HEAD shares GET's entry


@pytest.mark.parametrize("pull", PULLS, ids=PULL_NAMES)
def test_a_pulled_story_leaves_every_page_at_once(client, story, editor, pull, django_assert_num_queries):
    paths = pages_showing(story)
    url = story.get_absolute_url()
    before = prime(client, paths, django_assert_num_queries)
    assert all(shows(before[name], url) for name in paths if name != "article"), before
    assert shows(before["article"], HEADLINE)

    pull(story, editor)

    after = fetch_all(client, paths)
    assert after["article"].status_code == 410
    for name in paths:
        if name != "article":
            assert url not in after[name].content.decode(), f"{name} still shows the pulled story"


def test_publishing_reaches_every_page(client, story, make_article, editor, kyodo, django_assert_num_queries):
    """A story published now appears on every page that lists it, and its address stops answering 404."""
    fresh = make_article(
        headline="Ferries resume to Gotland", slug="ferries", status=Status.READY, tags=["rail"], wire_service=kyodo
    )
    today = timezone.localdate()
    future_url = reverse(
        "articles:detail",
        kwargs={"section": "world", "year": today.year, "month": today.month, "day": today.day, "slug": "ferries"},
    )
    paths = {**pages_showing(story), "article": future_url}
    del paths["author"], paths["search"]  # the new story has no byline or search word
    paths["archive"] = reverse(
        "articles:archive_day", kwargs={"year": today.year, "month": today.month, "day": today.day}
    )
    before = prime(client, paths, django_assert_num_queries)
    assert before["article"].status_code == 404

    fresh = perform(article=fresh, name="publish", user=editor)

    assert fresh.get_absolute_url() == future_url
    after = fetch_all(client, paths)
    assert shows(after["article"], "Ferries resume to Gotland")
    for name in paths:
        assert shows(after[name], future_url), f"{name} does not show the published story"


def test_an_edited_headline_reaches_every_page(client, story, editor, django_assert_num_queries):
    paths = pages_showing(story)
    del paths["sitemap"]  # lists addresses, not headlines
    prime(client, paths, django_assert_num_queries)

    story.headline = "Sleeper trains return to the Tokaido line"
    save_story(story=story, user=editor, changed_fields=["headline"])

    after = fetch_all(client, paths)
    for name, response in after.items():
        assert shows(response, "Sleeper trains return"), f"{name} shows the old headline"


def test_a_correction_reaches_the_article_page(client, story, editor, django_assert_num_queries):
    paths = pages_showing(story)
    prime(client, paths, django_assert_num_queries)

    add_correction(article=story, kind="correction", text="An earlier version gave the wrong year.", user=editor)

    assert shows(client.get(paths["article"]), "An earlier version gave the wrong year.")


def test_restoring_from_the_trash_brings_the_story_back(client, story, editor, django_assert_num_queries):
    PULLS[2](story, editor)
    home = reverse("articles:home")
    prime(client, {"home": home}, django_assert_num_queries)

    restore_story(story=story, user=editor)

    assert shows(client.get(home), story.get_absolute_url())


def test_saving_a_draft_keeps_the_cache(client, story, make_article, editor, django_assert_num_queries):
    draft = make_article(headline="Work in progress", status=Status.DRAFT)
    generation = page_cache.generation()
    prime(client, {"home": "/"}, django_assert_num_queries)

    draft.headline = "Still in progress"
    save_story(story=draft, user=editor, changed_fields=["headline"])

    assert page_cache.generation() == generation
    with django_assert_num_queries(0):
        client.get("/")


@pytest.mark.parametrize("kind", ["scheduled", "embargoed"])
def test_a_story_going_live_by_the_clock_appears_at_its_time(
    client, story, make_article, kind, django_assert_num_queries
):
    """No event runs when a scheduled story's time comes or an embargo lifts: stored pages end at that moment."""
    start = timezone.now()
    live_at = start + timedelta(minutes=10)
    fields = (
        {"status": Status.SCHEDULED, "published_at": live_at}
        if kind == "scheduled"
        else {"published_at": start - timedelta(minutes=1), "embargo_until": live_at}
    )
    waiting = make_article(headline="Timed story", slug="timed", **fields)
    with time_machine.travel(start, tick=False) as clock:
        first = client.get("/")
        assert "Timed story" not in first.content.decode()
        assert first["Cache-Control"] == "public, max-age=60, s-maxage=300"

        clock.move_to(live_at - timedelta(minutes=2))
        with django_assert_num_queries(0):
            cached = client.get("/")
        assert "Timed story" not in cached.content.decode()
        # Nobody downstream may keep the page past the moment either.
        assert cached["Cache-Control"] == "public, max-age=60, s-maxage=120"

        clock.move_to(live_at + timedelta(seconds=1))
        assert shows(client.get("/"), "Timed story")
        assert shows(client.get(waiting.get_absolute_url()), "Timed story")


def test_renaming_a_tag_or_a_section_shows_on_the_next_request(client, story, editor_client, world):
    """Tags and sections are printed on every page that shows their stories: changing them empties the cache."""
    from taggit.models import Tag

    from articles.services.tags import rename_tag

    assert ">rail<" in client.get(story.get_absolute_url()).content.decode()  # now cached
    rename_tag(tag=Tag.objects.get(name="rail"), name="Railways", user=None)
    assert ">Railways<" in client.get(story.get_absolute_url()).content.decode()
    response = editor_client.post(
        reverse("admin:articles_section_change", args=[world.pk]),
        {"name": "Global", "slug": world.slug, "position": 1, "description": "", "show_in_navigation": "on"},
    )
    assert response.status_code == 302
    assert "Global" in client.get("/").content.decode()
