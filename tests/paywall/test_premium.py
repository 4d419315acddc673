"""
Premium stories: the text past the public preview reaches no browser that is
not entitled to it, through any door: the page, its JSON-LD and description,
feeds, search results and snippets, sitemaps, list pages, the page cache.
Each door is searched for a sentence only the withheld part has.
"""

import json
import re

import pytest
from django.test import Client

from paywall.models import Subscription

pytestmark = pytest.mark.django_db

OPENING = ["The harbour board met on Monday.", "Its chair spoke of a bold plan."]
WITHHELD = "Quokkaflume dredging will begin in secret next April."  # only in the withheld part
LAST = "Officials declined to comment further on the timetable."
WITHHELD_WORD = "quokkaflume"
DOORS = [
    "/",
    "/business/",
    "/tags/harbours/",
    "/feeds/latest.rss",
    "/feeds/latest.atom",
    "/feeds/sections/business.rss",
    "/feeds/tags/harbours.rss",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/news-sitemap.xml",
    f"/search/?q={WITHHELD_WORD}",
    "/search/?q=harbour",
]


@pytest.fixture
def premium(make_article, business, kyodo):
    return make_article(
        headline="Harbour board plans",
        section=business,
        tags=["harbours"],
        wire_service=kyodo,
        is_premium=True,
        paragraphs=[*OPENING, WITHHELD, LAST],
    )


@pytest.fixture
def subscriber(django_user_model):
    user = django_user_model.objects.create_user("subscriber", password="a-long-subscriber-password")
    Subscription.objects.create(user=user)
    return user


def every_door(client, story):
    for path in [story.get_absolute_url(), *DOORS, f"/agencies/{story.wire_service.slug}/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response.content.decode()


def test_the_withheld_text_reaches_no_anonymous_reader_through_any_door(client, premium):
    for path, body in every_door(client, premium):
        assert WITHHELD not in body and LAST not in body, path
        if WITHHELD_WORD in path:  # the search page repeats the reader's word; it must not find the story
            assert premium.headline not in body
        else:
            assert WITHHELD_WORD not in body.lower(), path
    html = client.get(premium.get_absolute_url()).content.decode()
    assert all(sentence in html for sentence in OPENING)
    assert "The rest of this story is for subscribers" in html
    assert premium.headline in client.get("/search/?q=harbour").content.decode()  # the preview is searchable


def test_a_registered_reader_who_does_not_subscribe_gets_the_preview(client, premium, django_user_model):
    django_user_model.objects.create_user("reader", password="a-long-reader-password")
    client.login(username="reader", password="a-long-reader-password")
    for path, body in every_door(client, premium):
        assert WITHHELD not in body, path


def test_a_subscriber_reads_it_all(client, premium, subscriber):
    client.force_login(subscriber)
    html = client.get(premium.get_absolute_url()).content.decode()
    assert WITHHELD in html and LAST in html and "for subscribers" not in html
    assert "private" in client.get(premium.get_absolute_url())["Cache-Control"]


def test_json_ld_marks_the_gated_part_with_a_selector_that_matches(client, premium, subscriber):
    for reader in (None, subscriber):
        browser = Client()
        if reader:
            browser.force_login(reader)
        html = browser.get(premium.get_absolute_url()).content.decode()
        blocks = [
            json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        ]
        article = next(block for block in blocks if block.get("@type") == "NewsArticle")
        assert article["isAccessibleForFree"] is False
        part = article["hasPart"] if isinstance(article["hasPart"], dict) else article["hasPart"][0]
        assert part["isAccessibleForFree"] is False
        selector = part["cssSelector"]
        assert selector.startswith(".")
        assert re.search(rf'class="[^"]*\b{re.escape(selector[1:])}\b', html), (selector, reader)
        assert WITHHELD not in json.dumps(article)


def test_the_page_cache_keeps_the_subscriber_page_and_the_preview_apart(client, premium, subscriber, settings):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""
    subscriber_client = Client()
    subscriber_client.force_login(subscriber)
    assert WITHHELD in subscriber_client.get(premium.get_absolute_url()).content.decode()
    assert WITHHELD not in client.get(premium.get_absolute_url()).content.decode()
    assert WITHHELD in subscriber_client.get(premium.get_absolute_url()).content.decode()
    assert WITHHELD not in client.get(premium.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("paragraphs", "shown"), [(1, 0), (2, 1), (3, 2), (6, 2)])
def test_the_preview_always_withholds_something(client, make_article, paragraphs, shown):
    texts = [f"Paragraph number {n} of the story." for n in range(1, paragraphs + 1)]
    story = make_article(is_premium=True, paragraphs=texts)
    body = client.get(story.get_absolute_url()).content.decode().split('<div class="story-body">')[1].split("</div>")[0]
    assert [text for text in texts if text in body] == texts[:shown]


def test_an_ordinary_story_is_not_gated(client, make_article):
    story = make_article(paragraphs=[*OPENING, WITHHELD])
    html = client.get(story.get_absolute_url()).content.decode()
    assert WITHHELD in html and "story-gated" not in html and '"isAccessibleForFree":true' in html


def test_the_demo_has_a_premium_story(client, settings):
    import io

    from django.core.management import call_command

    from articles.models import Article

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    story = Article.objects.get(is_premium=True)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "for subscribers" in html and "1,400 fewer dock jobs" not in html
