"""
Every reader page is accessible (WCAG 2.2 A/AA), checked in Chromium: axe-core finds no
serious or critical violation at desktop and phone widths, and our own checks hold for the
skip link, landmarks, heading order, visible focus and reflow at 200% zoom and 320 px.

One live server, one browser and one set of stories serve every page: the module fixture
visits them all once and each test reads its own check's findings, page by page.
"""

from pathlib import Path

import axe_playwright_python
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from tests.reader_pages import PAGE_NAMES, build_reader_site, demo_reference_story

pytestmark = pytest.mark.django_db(transaction=True)

# axe-core as shipped in the axe-playwright-python package: nothing is fetched from a CDN.
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
# Rules about page structure, reported by our structure check whatever axe's impact (heading-order is "moderate").
# axe files them under "best-practice", so that tag runs too; only WCAG rules count towards the serious bar.
STRUCTURE_RULES = {"heading-order", "region", "landmark-one-main", "landmark-no-duplicate-banner"}
STRUCTURE_RULES |= {"landmark-no-duplicate-contentinfo", "landmark-no-duplicate-main", "page-has-heading-one"}
STRUCTURE_RULES |= {"landmark-unique", "landmark-banner-is-top-level", "landmark-contentinfo-is-top-level"}
STRUCTURE_RULES |= {"landmark-main-is-top-level", "landmark-complementary-is-top-level", "empty-heading"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Zooming a 1280×800 window to 200% lays the page out in 640×400 CSS px (the browser doubles each one);
# 320 px is WCAG's reflow width (1280 px at 400%). Resizing the loaded page gives the same layout as zooming.
ZOOMS = {"200% zoom": {"width": 640, "height": 400}, "320 px": {"width": 320, "height": 640}}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, tags: v.tags,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""
HEADINGS = """() => Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6"))
  .filter((h) => !h.closest("[hidden]") && getComputedStyle(h).display !== "none")
  .map((h) => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""
FOCUS_STYLE = """(element) => {
  const style = getComputedStyle(element);
  return {outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
          outlineColor: style.outlineColor, shadow: style.boxShadow, background: style.backgroundColor,
          decoration: style.textDecorationLine};
}"""
DESCRIBE_FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const box = element.getBoundingClientRect();
  const main = document.querySelector("main");
  return {
    tag: element.tagName.toLowerCase(), href: element.getAttribute("href") || "",
    text: (element.textContent || element.getAttribute("name") || "").trim().slice(0, 40),
    inHeader: Boolean(element.closest("header.masthead, [role=banner]")),
    isMain: element === main,
    afterMain: Boolean(main && (main.compareDocumentPosition(element)
      & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY))),
    visible: box.width > 1 && box.height > 1 && box.right > 0 && box.bottom > 0
      && box.left < window.innerWidth && box.top < window.innerHeight,
  };
}"""
OVERFLOW = """() => ({scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  wide: Array.from(document.querySelectorAll("body *"))
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : ""))})"""
# The focus check follows this many Tab stops (skip link, masthead, search form, sections, the first
# stories) on pages that between them hold every kind of control; the styles are the stylesheet's, shared.
FOCUS_STOPS = 12
FOCUS_PAGES = {"home", "article", "search", "not-found"}


@pytest.fixture(scope="module")
def findings(django_db_setup, django_db_blocker, live_server, browser, tmp_path_factory):
    """{check: {page name: [problems]}} for every reader page."""
    cache.clear()
    # The stories are committed for the live server's thread; the first test's flush removes them.
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        try:
            results = _visit(build_reader_site(), browser, live_server.url)
        except BaseException:
            # No test of this module will run, so no flush would come: leave no stories to later tests.
            call_command("flush", interactive=False, verbosity=0)
            raise
    cache.clear()
    return results


def _visit(site, browser, server_url):
    results = {check: {} for check in ["axe desktop", "axe phone", "structure", "skip link", "focus", *ZOOMS]}
    desktop = browser.new_context(viewport=DESKTOP)
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3)
    tabs = {context: context.new_page() for context in [desktop, phone]}
    for page_spec in site.pages:
        name = page_spec.name
        for check in results:
            results[check][name] = [page_spec.problem] if page_spec.problem else []
        if page_spec.problem:
            continue
        url = server_url + page_spec.path

        tab = tabs[desktop]
        if not _open(tab, url, page_spec.status, results, name):
            continue
        violations = _axe(tab)
        results["axe desktop"][name] += _blocking(violations)
        results["structure"][name] += _structure(tab, violations)
        # axe moves no focus: the page is still as loaded, so the first Tab is its first focus stop.
        skip_link, focus = _keyboard(tab, stops=FOCUS_STOPS if name in FOCUS_PAGES else 1)
        results["skip link"][name] += skip_link
        results["focus"][name] += focus

        for zoom, size in ZOOMS.items():
            tab.set_viewport_size(size)
            results[zoom][name] += _overflow(tab)
        tab.set_viewport_size(DESKTOP)

        tab = tabs[phone]
        tab.goto(url)
        results["axe phone"][name] += _blocking(_axe(tab)) + _overflow(tab)
    for context in tabs:
        context.close()
    return results


def _axe(tab):
    # Evaluated through DevTools, as axe-playwright-python does: an injected <script> tag
    # would be refused by the page's Content-Security-Policy, which allows no inline script.
    tab.evaluate(AXE_SCRIPT)
    return tab.evaluate(RUN_AXE, [*WCAG_22_AA, "best-practice"])


def _open(tab, url, status, results, name):
    response = tab.goto(url)
    if response is None or response.status != status:
        # The page is not the one to check (a server error, a view not written yet): say so, and only that.
        answered = response.status if response else "nothing"
        for check in results:
            results[check][name].append(f"GET {url} answered {answered}, not {status}")
        return False
    return True


def _blocking(violations):
    return [
        _describe(violation)
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS and set(violation["tags"]) & set(WCAG_22_AA)
    ]


def _describe(violation):
    """One line per rule broken: how many elements, the first few of them, and axe's advice for the first."""
    targets = [node["target"] for node in violation["nodes"]]
    shown = ", ".join(targets[:4]) + (f" and {len(targets) - 4} more" if len(targets) > 4 else "")
    summary = violation["nodes"][0]["summary"].replace("\n", " ") if violation["nodes"] else ""
    rule = f"{violation['impact']} {violation['id']} ({violation['help']})"
    return f"{rule} on {len(targets)} element(s): {shown}. {summary}"


def _structure(tab, violations):
    problems = [_describe(violation) for violation in violations if violation["id"] in STRUCTURE_RULES]
    for role, wanted in [("banner", 1), ("navigation", None), ("main", 1), ("contentinfo", 1)]:
        found = tab.get_by_role(role).count()
        if (wanted is None and found == 0) or (wanted is not None and found != wanted):
            problems.append(f"landmark {role}: {found} on the page, wanted {wanted or 'at least 1'}")
    headings = tab.evaluate(HEADINGS)
    levels = [level for level, _text in headings]
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings; a page has one: {headings}")
    if levels and levels[0] != 1:
        problems.append(f"the first heading is h{levels[0]}, not h1: {headings[0][1]!r}")
    for (before, _), (level, text) in zip(headings, headings[1:], strict=False):
        if level > before + 1:
            problems.append(f"heading level skipped: h{before} then h{level} {text!r}")
    return problems


def _keyboard(tab, *, stops):
    """
    Walk the first Tab stops: each must look different focused (an outline or a ring, never
    nothing). The first must be a visible skip link, and following it must put keyboard focus
    in the main content. Returns (skip link problems, focus problems).
    """
    focus_problems = []
    walked = []
    for _stop in range(stops + 1):
        tab.keyboard.press("Tab")
        if walked:
            # The element Tab just left, now unfocused, against how it looked focused.
            element, described, focused = walked[-1]
            unfocused = element.evaluate(FOCUS_STYLE)
            changed_ring = focused["shadow"] not in (unfocused["shadow"], "none")
            if not (focused["outline"] >= 2 or changed_ring):
                focus_problems.append(
                    f"no visible focus on <{described['tag']}> {described['text']!r}: "
                    f"focused {focused}, unfocused {unfocused}"
                )
        described = tab.evaluate(DESCRIBE_FOCUS)
        if described is None:
            break
        element = tab.evaluate_handle("() => document.activeElement")
        walked.append((element, described, element.evaluate(FOCUS_STYLE)))

    first = walked[0][1] if walked else None
    if not first or first["tag"] != "a" or not first["href"].startswith("#"):
        return [f"the first focusable element is {first}, not a skip link to the content"], focus_problems
    skip_problems = [] if first["visible"] else [f"the skip link {first['text']!r} is not visible when focused"]
    walked[0][0].evaluate("(link) => link.focus()")
    tab.keyboard.press("Enter")
    landed = tab.evaluate(DESCRIBE_FOCUS)
    if not (landed and landed["isMain"]):
        tab.keyboard.press("Tab")
        landed = tab.evaluate(DESCRIBE_FOCUS)
        if not landed or landed["inHeader"] or not landed["afterMain"]:
            skip_problems.append(f"after the skip link, focus went to {landed}, not the main content")
    return skip_problems, focus_problems


def _overflow(tab):
    measured = tab.evaluate(OVERFLOW)
    if measured["scroll"] > measured["width"]:
        return [
            f"scrolls sideways at {measured['width']} px: the page is {measured['scroll']} px wide "
            f"(too wide: {measured['wide']})"
        ]
    return []


def assert_no_problems(found):
    failing = {name: problems for name, problems in found.items() if problems}
    if failing:
        pytest.fail("\n".join(f"{name}:\n  " + "\n  ".join(problems) for name, problems in failing.items()), False)


def test_every_reader_page_was_visited(findings):
    """The checks ran on every kind of page the issue names."""
    for check, pages in findings.items():
        assert tuple(pages) == PAGE_NAMES, check


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_no_serious_axe_violations(findings, width):
    """axe-core (WCAG 2.2 A/AA) finds no serious or critical violation, and nothing scrolls sideways on a phone."""
    found = findings[f"axe {width}"]
    assert_no_problems(found)


def test_landmarks_and_heading_order(findings):
    """One banner, main and contentinfo, a navigation; one h1 first, and no heading level skipped."""
    found = findings["structure"]
    assert_no_problems(found)


def test_skip_link_moves_to_the_content(findings):
    """The first Tab shows a skip link; following it puts keyboard focus in the main content."""
    found = findings["skip link"]
    assert_no_problems(found)


def test_focus_is_visible(findings):
    """Links, the search field and its button show a focus outline when reached by keyboard."""
    found = findings["focus"]
    assert_no_problems(found)
    assert set(found) >= FOCUS_PAGES


@pytest.mark.parametrize("zoom", list(ZOOMS))
def test_readable_when_zoomed(findings, zoom):
    """At 200% zoom (640 CSS px) and at 320 px, no page scrolls sideways."""
    found = findings[zoom]
    assert_no_problems(found)


def test_demo_pages_are_accessible(browser, live_server, demo):
    """The demo's home page and reference story, as `make run` shows them: the same bars at both widths."""
    found = {}
    for width, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
        context = browser.new_context(viewport=viewport)
        tab = context.new_page()
        for name, path in [("demo home", "/"), ("demo reference story", demo_reference_story().get_absolute_url())]:
            problems = found.setdefault(f"{name} ({width})", [])
            response = tab.goto(live_server.url + path)
            if response.status != 200:
                problems.append(f"GET {path} answered {response.status}")
                continue
            violations = _axe(tab)
            problems += _blocking(violations) + _structure(tab, violations) + _overflow(tab)
        context.close()
    assert_no_problems(found)
