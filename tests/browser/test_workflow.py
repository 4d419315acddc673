"""From a reporter's draft to a reader's screen, in a real Chromium, with the clock moved forward."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Status
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Night trains return to the Tokaido line"


def choose(page, select_id, text):
    """Pick an option in one of the admin's autocomplete (select2) boxes, as a person does."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_reporter_to_editor_to_reader(browser, live_server, demo):
    """Reporter drafts and submits; editor approves and schedules a minute ahead; at that minute readers see it."""
    reporter = browser.new_context().new_page()
    log_in(reporter, live_server, "reporter")
    reporter.goto(live_server.url + "/admin/articles/article/add/")
    reporter.fill("#id_headline", HEADLINE)
    reporter.fill("#id_dek", "Sleeper services resume after a decade.")
    body = reporter.locator(".ProseMirror[contenteditable=true]")
    body.click()
    reporter.keyboard.type("Overnight trains will run again between Tokyo and Osaka from next month.")
    reporter.wait_for_function("() => document.querySelector('#id_body').value.includes('Overnight trains')")
    choose(reporter, "id_section", "World")
    choose(reporter, "id_bylines-0-author", "Aiko Tanaka")
    expect(reporter.locator("button[value=publish]")).to_have_count(0)  # reporters cannot publish
    reporter.click("button[value=submit]")
    expect(reporter.locator(".messagelist .success")).to_contain_text("is now In review")

    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Status.IN_REVIEW and article.credit_line == "By Aiko Tanaka"
    assert article.slug == "night-trains-return-to-the-tokaido-line"  # filled in from the headline

    editor = browser.new_context().new_page()
    log_in(editor, live_server, "editor")
    editor.click(f"#desk-dashboard a:has-text('{HEADLINE}')")
    editor.click("button[value=approve]")
    expect(editor.locator(".messagelist .success")).to_contain_text("is now Ready")

    due = timezone.localtime(timezone.now() + timedelta(minutes=1))
    editor.fill("#id_publish_at_0", due.strftime("%Y-%m-%d"))
    editor.fill("#id_publish_at_1", due.strftime("%H:%M:%S"))
    editor.click("button[value=schedule]")
    expect(editor.locator(".messagelist .success")).to_contain_text("is now Scheduled")

    article.refresh_from_db()
    reader = browser.new_context().new_page()
    assert reader.goto(live_server.url + article.get_absolute_url()).status == 404
    expect(reader.locator("body")).not_to_contain_text(HEADLINE)

    with time_machine.travel(due + timedelta(seconds=5), tick=True):
        response = reader.goto(live_server.url + article.get_absolute_url())
        assert response.status == 200
        expect(reader.locator("h1.headline")).to_have_text(HEADLINE)
        expect(reader.locator(".credit-line")).to_have_text("By Aiko Tanaka")
        reader.goto(live_server.url + "/")
        expect(reader.locator("main")).to_contain_text(HEADLINE)

        call_command("publish_scheduled", stdout=StringIO())  # what cron does each minute
        editor.goto(live_server.url + "/admin/articles/article/?desk=today")
        row = editor.locator("#result_list tr", has_text=HEADLINE)
        expect(row.locator(".status-published")).to_have_count(1)
        editor.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
        expect(editor.locator("#audit_entries-group")).to_contain_text(re.compile("Scheduled → Published"))
