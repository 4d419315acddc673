"""Per-reader prompts in Chromium: paywall.js fills the slots under the CSP; without JavaScript the fallback shows."""

import pytest
from playwright.sync_api import expect

from paywall.models import Frequency, Placement, PromptDay, PromptVariant
from tests.browser.test_security_csp import watch_csp
from tests.paywall.test_prompts import BROWSER, make_prompt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(browser):
    """A reader's Chromium: headless Chromium says so in its User-Agent, and robots are not counted."""
    context = browser.new_context(user_agent=BROWSER)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def story(make_article):
    return make_article(paragraphs=[f"Paragraph {n} of the story." for n in range(1, 6)])


def test_the_script_fills_each_slot_once_per_session(page, live_server, story):
    violations = watch_csp(page)
    make_prompt(headline="The plain offer", priority=10)
    make_prompt(headline="Once this session", frequency=Frequency.ONCE_PER_SESSION, priority=90)
    make_prompt(headline="Overlay offer", placement=Placement.OVERLAY, frequency=Frequency.ONCE_PER_DAY)

    page.goto(live_server.url + story.get_absolute_url())
    end = page.locator('[data-paywall-slot="article_end"]')
    expect(end.locator(".paywall-headline")).to_have_text("Once this session")
    expect(page.locator(".paywall-overlay .paywall-headline")).to_have_text("Overlay offer")
    page.get_by_text("Not now").click()  # the overlay is dismissed with no script of its own
    expect(page.locator("details.paywall-overlay")).to_be_hidden()

    page.reload()
    # Shown once this session: the next best prompt fills the slot, and the overlay's day is used.
    expect(end.locator(".paywall-headline")).to_have_text("The plain offer")
    expect(page.locator("details.paywall-overlay")).to_have_count(0)
    assert violations() == [] and page.js_errors == []
    # Counted by the endpoint, once for each time shown: no pixel in the <noscript> fallback was fetched.
    assert sorted(PromptDay.objects.values_list("prompt__headline", "impressions")) == [
        ("Once this session", 1),
        ("Overlay offer", 1),
        ("The plain offer", 1),
    ]


def test_a_reader_keeps_their_variant(page, live_server, story):
    prompt = make_prompt(headline="Own text")
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", weight=1)
    page.goto(live_server.url + story.get_absolute_url())
    headline = page.locator('[data-paywall-slot="article_end"] .paywall-headline')
    expect(headline).to_have_count(1)
    first = headline.inner_text()
    for _ in range(4):
        page.reload()
        expect(headline).to_have_text(first)


def test_without_javascript_the_fallback_shows_and_counts(browser, live_server, story):
    make_prompt(headline="The plain offer", priority=10)
    make_prompt(headline="Once this session", frequency=Frequency.ONCE_PER_SESSION, priority=90)
    context = browser.new_context(java_script_enabled=False, user_agent=BROWSER)
    page = context.new_page()
    with page.expect_response(lambda response: "/paywall/seen/" in response.url):
        page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator(".paywall-headline")).to_have_text("The plain offer")
    context.close()
    assert PromptDay.objects.get().impressions == 1


def test_a_paywall_manager_adds_a_variant_in_the_desk(page, live_server, demo):
    """The A/B variant's rich-text message is typed in the desk's editor, in an inline added with "Add another"."""
    from paywall.models import Prompt

    prompt = Prompt.objects.get(placement=Placement.ARTICLE_END)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "paywall")
    page.fill("#id_password", "newsroom-paywall")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    page.goto(f"{live_server.url}/admin/paywall/prompt/{prompt.pk}/change/")
    page.locator("#variants-group .add-row a").click()
    page.fill("#id_variants-0-name", "B: a shorter ask")
    page.fill("#id_variants-0-headline", "Help us get the story right")
    editor = page.locator("#variants-0 .ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Subscribe from 1 yen a day.")
    page.fill("#id_variants-0-weight", "2")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    variant = PromptVariant.objects.get(prompt=prompt)
    assert (variant.name, variant.weight) == ("B: a shorter ask", 2)
    assert variant.message == "<p>Subscribe from 1 yen a day.</p>"
    assert page.js_errors == []
