"""The desk under its Content-Security-Policy, and two-factor sign-in, in a real Chromium."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Chromium reports each blocked script, stylesheet or style as a `securitypolicyviolation`
# event on the document (and as a console error); the listener is installed before any page script.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} at ${where}`);
});
"""


# Under this policy (no 'unsafe-eval') Playwright can poll only functions: wait_for_function("() => …"),
# never a bare expression string, which it would eval in the page.


def watch_csp(page):
    """Collect CSP violations from both the console and the page's own events."""
    console = []
    page.on("console", lambda message: "Content Security Policy" in message.text and console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return lambda: console + page.evaluate("window.cspViolations")


def test_story_editor_works_under_the_csp(page, live_server, demo):
    """The add-story page loads with no CSP violation, and the rich-text editor takes typing."""
    violations = watch_csp(page)
    log_in(page, live_server, "editor")
    response = page.goto(live_server.url + "/admin/articles/article/add/")
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in re.search(r"script-src [^;]*", csp).group(0)

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Typed under a strict policy.")
    expect(editor).to_contain_text("Typed under a strict policy.")
    page.wait_for_function("() => document.querySelector('#id_body').value.includes('Typed under a strict policy.')")
    # Tiptap's own stylesheet was allowed in, so ProseMirror keeps its whitespace rules.
    assert editor.evaluate("element => getComputedStyle(element).whiteSpace") != "normal"

    page.goto(live_server.url + "/")  # and a reader page
    assert violations() == []
    assert page.js_errors == []


def test_editor_sets_up_two_factor_sign_in(page, live_server, demo, settings):
    """With DESK_REQUIRE_2FA on, the demo editor is led from the password to an authenticator and recovery codes."""
    settings.DESK_REQUIRE_2FA = True
    violations = watch_csp(page)
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "newsroom-editor")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/two-factor/set-up/"))
    expect(page.locator(".desk-qr svg")).to_be_visible()
    expect(page.locator("#two-factor-uri")).to_contain_text("otpauth://totp/", use_inner_text=False)

    device = TOTPDevice.objects.get(user__username="editor", confirmed=False)
    page.fill("#id_code", f"{totp(device.bin_key):06d}")
    page.click("#two-factor-form input[type=submit]")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.click("text=continue to the desk")
    page.wait_for_selector("#desk-dashboard")
    assert violations() == []
    assert page.js_errors == []


def test_demo_logins_stay_one_step(page, live_server, demo):
    """With DESK_REQUIRE_2FA off (the default), the demo editor goes straight from password to desk."""
    log_in(page, live_server, "editor")
    expect(page.locator("#desk-dashboard")).to_be_visible()


def test_desk_pages_with_pictures_work_under_the_csp(page, live_server, demo):
    """The story list, a story with a lead picture, the picture library and the wire desk: no CSP violation."""
    from articles.models import Article

    violations = watch_csp(page)
    log_in(page, live_server, "editor")
    story = Article.objects.exclude(lead_image=None).first()
    for path in [
        "/admin/articles/article/",
        f"/admin/articles/article/{story.pk}/change/",
        f"/admin/articles/article/{story.pk}/revisions/",
        "/admin/articles/image/",
        f"/admin/articles/image/{story.lead_image_id}/change/",
        "/admin/articles/wireitem/",
        "/admin/taggit/tag/",
    ]:
        response = page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert response.status == 200, path
        assert violations() == [], path  # each page's own events are read before the next page replaces them
    expect(page.locator("#result_list")).to_be_visible()
    assert page.js_errors == []
