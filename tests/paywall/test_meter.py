"""
The meter and the metered paywall, through the pages and pixels a browser
fetches: the (N+1)th distinct story shows the lede and a prompt, a re-read
stays free, a tampered cookie does not reset the count, and pages below the
limit stay the shared, cacheable page.
"""

import json
import re

import pytest

from paywall.meter import GATE_COOKIE, METER_COOKIE
from paywall.models import MeterRead, Prompt, Subscription

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
LATER = "A later paragraph only full readers get."


@pytest.fixture
def metered(settings):
    settings.PAYWALL_METER_FREE_ARTICLES = 2
    Prompt.objects.create(
        name="Reference", message="<p>Please subscribe.</p>", cta_url="/account/", placement="article_end"
    )


@pytest.fixture
def stories(make_article):
    return [make_article(paragraphs=[f"Lede of story {n}.", "Second paragraph.", LATER]) for n in range(4)]


def read(client, story):
    """Open the story as a browser does: the page, then the images it names (the meter pixel among them)."""
    client.defaults["HTTP_USER_AGENT"] = BROWSER
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    pixel = f"/paywall/meter/{story.pk}.gif"
    if pixel in html:
        client.get(pixel)
    return response, html


def test_the_third_new_story_shows_the_lede_and_a_prompt_and_re_reads_stay_free(client, metered, stories):
    for story in stories[:2]:
        response, html = read(client, story)
        assert LATER in html and response["Cache-Control"].startswith("public")
    response, html = read(client, stories[2])
    assert "Lede of story 2." in html and LATER not in html
    assert "You have read your free stories" in html and "Please subscribe." in html
    assert response["Cache-Control"].startswith("private")
    _, again = read(client, stories[0])
    assert LATER in again  # already counted: still free
    _, html = read(client, stories[3])
    assert LATER not in html


def test_a_tampered_cookie_does_not_reset_the_count(client, metered, stories):
    for story in stories[:2]:
        read(client, story)
    value = client.cookies[METER_COOKIE].value
    client.cookies[METER_COOKIE] = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    _, html = read(client, stories[2])
    assert LATER not in html
    client.cookies[METER_COOKIE] = "e30:forged:signature"  # "{}" with a made-up signature
    _, html = read(client, stories[3])
    assert LATER not in html
    assert GATE_COOKIE in client.cookies


def test_below_the_limit_the_page_is_the_shared_one(client, metered, stories, settings):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""
    response, html = read(client, stories[0])
    assert "Set-Cookie" not in response.headers and response["Cache-Control"].startswith("public")
    assert "/paywall/meter/" in html
    pixel = client.get(f"/paywall/meter/{stories[0].pk}.gif")
    assert METER_COOKIE in pixel.cookies
    assert "no-store" in pixel["Cache-Control"] or "max-age=0" in pixel["Cache-Control"]


def test_a_used_up_reader_is_never_served_the_cached_full_page(client, metered, stories, settings):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""
    fresh = client.__class__()
    assert LATER in fresh.get(stories[2].get_absolute_url()).content.decode()  # now in the page cache
    for story in stories[:2]:
        read(client, story)
    _, html = read(client, stories[2])
    assert LATER not in html


def test_a_registered_reader_has_their_own_meter(client, metered, stories, django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-reader-password")
    client.force_login(user)
    for story in stories[:2]:
        assert LATER in read(client, story)[1]
    assert MeterRead.objects.filter(user=user).count() == 2
    assert LATER not in read(client, stories[2])[1]
    assert LATER in read(client, stories[1])[1]
    assert MeterRead.objects.filter(user=user).count() == 2  # the stopped story was not counted


def test_subscribers_robots_and_meter_off(client, metered, stories, django_user_model, settings):
    user = django_user_model.objects.create_user("subscriber", password="a-long-subscriber-password")
    Subscription.objects.create(user=user)
    client.force_login(user)
    for story in stories:
        _, html = read(client, story)
        assert LATER in html and "/paywall/meter/" not in html
    robot = client.__class__(headers={"User-Agent": "Googlebot/2.1"})
    assert METER_COOKIE not in robot.get(f"/paywall/meter/{stories[0].pk}.gif").cookies
    settings.PAYWALL_METER_FREE_ARTICLES = 0
    anonymous = client.__class__()
    for story in stories:
        _, html = read(anonymous, story)
        assert LATER in html and "/paywall/meter/" not in html


def test_the_pixel_counts_only_stories_readers_may_see(client, metered, make_article):
    from articles.models import Status

    draft = make_article(status=Status.DRAFT, published_at=None)
    premium = make_article(is_premium=True, paragraphs=["One.", "Two.", "Three."])
    for story in (draft, premium):
        response = client.get(f"/paywall/meter/{story.pk}.gif", headers={"User-Agent": BROWSER})
        assert response.status_code == 200 and METER_COOKIE not in response.cookies
    assert client.get("/paywall/meter/99999999.gif", headers={"User-Agent": BROWSER}).status_code == 200


def news_article(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    blocks = [json.loads(block) for block in found]
    return next(block for block in blocks if block.get("@type") == "NewsArticle")


def test_a_metered_story_tells_search_engines_which_part_the_meter_withholds(client, metered, stories):
    """Google's markup for metered content: not free, and the part past the opening marked by a matching selector."""
    _, html = read(client, stories[0])
    data = news_article(html)
    assert data["isAccessibleForFree"] is False and data["hasPart"]["cssSelector"] == ".story-gated"
    gated = html.split('<div class="story-gated">', 1)[1].split("</div>", 1)[0]
    assert LATER in gated and "Lede of story 0." not in gated  # the opening stays outside it
    for story in stories[1:3]:
        read(client, story)
    _, stopped = read(client, stories[3])
    assert LATER not in stopped and news_article(stopped)["isAccessibleForFree"] is False
    assert '<section class="story-gated"' in stopped


def test_without_the_metered_paywall_a_free_story_is_free(client, stories):
    _, html = read(client, stories[0])
    assert news_article(html)["isAccessibleForFree"] is True and "story-gated" not in html


@pytest.mark.parametrize(
    "free, preview, errors", [(8, 2, []), (101, 2, ["paywall.E001"]), (-1, -1, ["paywall.E001", "paywall.E002"])]
)
def test_settings_the_paywall_cannot_work_with_fail_the_checks(settings, free, preview, errors):
    from django.core import checks

    settings.PAYWALL_METER_FREE_ARTICLES = free
    settings.PREMIUM_PREVIEW_PARAGRAPHS = preview
    assert [error.id for error in checks.run_checks() if error.id.startswith("paywall.")] == errors


def test_a_full_meter_cookie_stays_well_under_what_browsers_keep(client, settings, make_article):
    """A hundred stories in the meter: the signed cookie must stay far below the 4 KB browsers drop."""
    settings.PAYWALL_METER_FREE_ARTICLES = 100
    for story in [make_article(headline=f"Story {n}") for n in range(100)]:
        client.get(f"/paywall/meter/{story.pk}.gif", headers={"User-Agent": BROWSER})
    assert len(client.cookies[METER_COOKIE].value) < 3000
