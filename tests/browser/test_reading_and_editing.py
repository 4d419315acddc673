"""A reader reads the reference story and an editor works on it, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import log_in
from tests.conftest import reference_paragraphs

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_opens_the_lead_story(page, live_server, demo):
    """From the home page a reader clicks the lead and reads all fourteen paragraphs, credited to Kyodo."""
    page.goto(live_server.url + "/")
    page.locator(".lead-story a", has_text="Japan and South Korea").click()
    page.wait_for_url(re.compile(r"/world/2019/09/26/"))
    assert page.locator(".credit-line").inner_text() == "Kyodo"
    assert page.locator(".story-body p").all_inner_texts() == reference_paragraphs()
    assert "misinformation" not in page.locator(".story-body").inner_text()
    assert page.js_errors == []


def test_editor_finds_and_edits_the_story(page, live_server, demo):
    """The demo editor logs in, searches GSOMIA, edits in the rich-text editor and saves."""
    log_in(page, live_server, "editor")
    page.goto(live_server.url + "/admin/articles/article/?q=GSOMIA")
    page.click("#result_list a:has-text('Japan and South Korea')")

    tags = page.locator("#id_tags")
    tags.fill(tags.input_value() + ", Moo")
    page.wait_for_function(
        "() => document.querySelector('#id_tags-suggestions').options.length > 0"
    )  # suggestions fetched from the desk
    tags.fill(tags.input_value().removesuffix(", Moo"))

    editor = page.locator(".ProseMirror[contenteditable=true]")  # the prose editor, from our own static files
    page.wait_for_load_state("networkidle")  # a loaded machine may still be setting the editor up
    expect(editor.locator("p")).to_have_count(len(reference_paragraphs()))
    # Click just after the last word, as a person would. (Ctrl+End moves only the browser's
    # caret; ProseMirror may not have seen it by the time the next key arrives.)
    last_paragraph = editor.locator("p").last
    box = last_paragraph.bounding_box()
    last_paragraph.click(position={"x": box["width"] - 2, "y": box["height"] - 4})
    page.keyboard.press("Enter")
    page.keyboard.type("An added paragraph from the desk.")
    expect(editor).to_contain_text("An added paragraph from the desk.")
    # The editor copies its document into the form's textarea on every change.
    page.wait_for_function("() => document.querySelector('#id_body').value.includes('An added paragraph')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    article = Article.objects.get(slug__startswith="japan-south-korea")
    assert article.body.endswith("<p>An added paragraph from the desk.</p>")
    assert article.body.count("<p>") == 15
    assert page.js_errors == []


def test_editor_shares_a_preview_and_moves_a_story_to_the_trash(page, live_server, demo):
    """The story form's own buttons work in a browser: Share preview gives a link; Delete moves it to the Trash."""
    log_in(page, live_server, "editor")
    article = Article.objects.get(slug__startswith="japan-south-korea")
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.click("button:has-text('Share preview')")
    link = page.locator(".messagelist .share-link")
    expect(link).to_have_count(1)
    reader = page.context.browser.new_context().new_page()
    reader.goto(link.inner_text())
    assert reader.locator(".headline").inner_text().startswith("Japan and South Korea")
    reader.context.close()

    page.click("a.deletelink")
    page.click("input[value='Yes, move it to the Trash']")
    expect(page.locator(".messagelist .success")).to_contain_text("is in the Trash")
    article.refresh_from_db()
    assert article.trashed_at is not None
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.click("button:has-text('Restore from the Trash')")
    expect(page.locator(".messagelist .success")).to_contain_text("back on the desk")
    article.refresh_from_db()
    assert article.trashed_at is None and article.is_public
    assert page.js_errors == []
