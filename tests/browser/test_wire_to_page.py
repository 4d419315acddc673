"""The desk's bar: the Kyodo wire file to a published, tagged, illustrated story without leaving the admin."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Status, WireItem
from tests.browser.conftest import log_in
from tests.browser.test_workflow import choose
from tests.conftest import REFERENCE_STORY, reference_paragraphs

pytestmark = pytest.mark.django_db(transaction=True)
HEADLINE = "Foreign ministers of Japan and South Korea agree only to keep talking"


def test_wire_file_to_published_story(page, live_server, demo):
    """Upload the Kyodo file, write a headline, tag, pick a picture, publish; readers get all 14 paragraphs."""
    # The demo has already run this file through the wire desk; start as if it were arriving now.
    WireItem.objects.all().delete()
    Article.objects.filter(wire_service__slug="kyodo", wire_guid__startswith="text:").delete()
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/articles/wireitem/upload/")
    page.set_input_files("#id_files", str(REFERENCE_STORY))
    page.click("input[type=submit]")
    row = page.locator("#import-results tbody tr").first
    expect(row).to_contain_text("Created")
    row.locator("a").click()  # "Needs headline": straight to the story

    page.locator("#id_headline").press_sequentially(HEADLINE)
    expect(page.locator("#id_slug")).to_have_value(re.compile("^foreign-ministers-of-japan"))  # filled as typed
    page.fill("#id_tags", "Japan, South Korea, GSOMIA")
    choose(page, "id_section", "World")
    choose(page, "id_lead_image", "3D printer")
    page.click("button[value=publish]")
    expect(page.locator(".messagelist .success")).to_contain_text("is now Published")

    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Status.PUBLISHED and article.credit_line == "Kyodo"
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("h1.headline")).to_have_text(HEADLINE)
    assert page.locator(".story-body p").all_inner_texts() == reference_paragraphs()
    expect(page.locator(".credit-line")).to_have_text("Kyodo")
    expect(page.locator(".story-tags")).to_contain_text(re.compile("GSOMIA"))
    expect(page.locator(".lead-image img")).to_have_attribute("alt", re.compile("3D printer"))
