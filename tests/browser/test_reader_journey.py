"""The issue's acceptance, in Chromium: a reader goes home → article → tag → search, and reads the story on a phone."""

import re

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from tests.reader_pages import PICTURE_ALT, SEARCH_WORD, STAFF_HEADLINE, build_reader_site

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PHONE_SCALE = 3
# Body copy is at least 16 CSS px, and a line holds at most about 80 characters.
MIN_BODY_PX = 16
MAX_LINE_CH = 80

READABILITY = """() => {
  const paragraph = document.querySelector(".story-body p");
  const style = getComputedStyle(paragraph);
  const canvas = document.createElement("canvas").getContext("2d");
  canvas.font = style.font;
  const ch = canvas.measureText("0").width;
  return {fontSize: parseFloat(style.fontSize), lineCh: paragraph.getBoundingClientRect().width / ch,
          scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
}"""


@pytest.fixture
def site(db):
    return build_reader_site()


def test_reader_goes_home_article_tag_search(page, live_server, site):
    """Home → the lead story → its tag → the masthead's search form finds the story."""
    story = site.staff_story
    page.goto(live_server.url + "/")
    page.locator("main").get_by_role("link", name=STAFF_HEADLINE).first.click()
    page.wait_for_url(re.compile(re.escape(story.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_have_text(STAFF_HEADLINE)
    expect(page.locator("article img").first).to_have_attribute("alt", PICTURE_ALT)

    page.locator(".story-tags").get_by_role("link", name=site.tag.name).click()
    page.wait_for_url(re.compile(f"/tags/{site.tag.slug}/$"))
    expect(page.locator("main").get_by_role("link", name=STAFF_HEADLINE)).to_be_visible()

    search = page.locator("header form[role=search]")
    expect(search, "the masthead has a search form").to_have_count(1)
    search.locator("input[name=q]").fill(SEARCH_WORD)
    search.locator("input[name=q]").press("Enter")
    page.wait_for_url(re.compile(rf"/search/\?(.+&)?q={SEARCH_WORD}(&|$)"))
    results = page.locator("main").get_by_role("link", name=STAFF_HEADLINE)
    expect(results).to_have_count(1)
    results.click()
    page.wait_for_url(re.compile(re.escape(story.get_absolute_url()) + "$"))
    assert page.js_errors == []


def test_article_is_readable_on_a_phone(browser, live_server, site, tmp_path):
    """At 390 px the story page is a single column: 16 px body type, short lines, nothing off-screen."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=PHONE_SCALE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + site.staff_story.get_absolute_url())
    screenshot = tmp_path / "article-phone.png"
    page.screenshot(path=screenshot, full_page=True)

    measured = page.evaluate(READABILITY)
    context.close()
    assert measured["fontSize"] >= MIN_BODY_PX, measured
    assert measured["lineCh"] <= MAX_LINE_CH, measured
    assert measured["scrollWidth"] <= measured["innerWidth"], measured
    with PILImage.open(screenshot) as image:
        # A full-page shot as wide as the phone's screen: had anything overflowed, it would be wider.
        assert image.width == PHONE["width"] * PHONE_SCALE
        assert image.height >= PHONE["height"] * PHONE_SCALE


def test_article_lines_stay_short_on_a_wide_screen(page, live_server, site):
    """On a desktop the story body keeps a readable measure rather than running the width of the window."""
    page.goto(live_server.url + site.staff_story.get_absolute_url())
    measured = page.evaluate(READABILITY)
    assert measured["fontSize"] >= MIN_BODY_PX, measured
    assert 45 <= measured["lineCh"] <= MAX_LINE_CH, measured
