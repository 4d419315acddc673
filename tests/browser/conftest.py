"""
Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium); we never
download a browser. Without Chromium these tests skip, and say so loudly.
"""

import os
import shutil
import warnings

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no outside network; stop Chromium trying to reach it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"NO CHROMIUM AT {CHROMIUM}: BROWSER TESTS SKIPPED. Install Debian's `chromium` package."
        warnings.warn(message, stacklevel=1)
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django ORM
    # calls in these tests are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def demo(settings):
    """The demo newsroom, logins included, in the live server's database."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True  # demo logins are only made in debug mode
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"newsroom-{username}")
    page.click("input[type=submit]")
    page.wait_for_selector("#desk-dashboard")
