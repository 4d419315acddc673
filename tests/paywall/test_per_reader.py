"""
Prompts decided per reader (frequency caps, where the reader came from,
their meter, A/B variants): the page keeps a slot and stays the same for
every anonymous reader; the decision endpoint answers each reader, keeps
their history in its own cookies, and counts what it shows.
"""

import re
from collections import Counter

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from articles.models import Status
from paywall import meter
from paywall.frequency import FREQUENCY_COOKIE, SESSION_COOKIE
from paywall.models import Frequency, Placement, Prompt, PromptDay, PromptVariant
from tests.paywall.test_prompts import BROWSER, GOOGLEBOT, make_prompt, prompt_html

pytestmark = pytest.mark.django_db


def reader(**headers):
    return Client(headers={"User-Agent": BROWSER, **headers})


def decide(client, story, slots="top_banner,inline,article_end,overlay", ref=""):
    response = client.get(f"/paywall/decide/{story.pk}/", {"slots": slots, "ref": ref})
    assert response.status_code == 200
    return response, response.json()["slots"]


@pytest.fixture
def story(make_article):
    return make_article(paragraphs=[f"Paragraph {n} of the story." for n in range(1, 7)])


def test_a_per_reader_prompt_leaves_a_slot_and_the_page_stays_shared(story):
    make_prompt(name="Plain", headline="The plain offer", priority=10)
    make_prompt(name="Daily", headline="Once a day", frequency=Frequency.ONCE_PER_DAY, priority=90)
    response = reader().get(story.get_absolute_url())
    html = response.content.decode()
    assert response["Cache-Control"].startswith("public") and not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    slot = re.search(
        r'<div class="paywall-slot" data-paywall-slot="article_end"[^>]*>(.*?)</noscript></div>', html, re.S
    )
    assert slot and f'data-paywall-url="/paywall/decide/{story.pk}/"' in slot[0]
    # Without JavaScript: the best prompt that asks nothing of the reader, inside <noscript>, counted by its pixel.
    fallback = slot[1]
    assert fallback.startswith("<noscript>") and "The plain offer" in fallback and "Once a day" not in html
    assert "/paywall/seen/" in fallback
    assert re.search(r'<script src="/static/paywall/paywall(\.[0-9a-f]+)?\.js" defer></script>', html)


def test_pages_with_no_per_reader_prompt_carry_no_script(story):
    make_prompt(headline="The plain offer")
    html = reader().get(story.get_absolute_url()).content.decode()
    assert "The plain offer" in prompt_html(html) and "paywall.js" not in html and "paywall-slot" not in html


def test_the_decision_endpoint_answers_privately_and_counts_what_it_shows(story):
    prompt = make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    client = reader()
    response, slots = decide(client, story)
    assert set(slots) == {"article_end"} and "Once a day" in slots["article_end"]
    assert "/paywall/seen/" not in slots["article_end"]  # counted here, not by a pixel
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert FREQUENCY_COOKIE in response.cookies and response.cookies[FREQUENCY_COOKIE]["httponly"]
    assert PromptDay.objects.get(prompt=prompt, variant=None).impressions == 1


def test_once_per_day(story):
    make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    client = reader()
    assert decide(client, story)[1]
    assert decide(client, story)[1] == {}
    assert decide(reader(), story)[1], "another reader still gets it"


def test_once_per_session(story):
    make_prompt(headline="Once a session", frequency=Frequency.ONCE_PER_SESSION)
    client = reader()
    assert decide(client, story)[1]
    assert decide(client, story)[1] == {}
    response = client.cookies.pop(SESSION_COOKIE)  # the browser closes; the year-long cookie stays
    assert response and FREQUENCY_COOKIE in client.cookies
    assert decide(client, story)[1]


def test_at_most_n_times_and_a_lower_prompt_takes_over(story):
    make_prompt(headline="Three times", frequency=Frequency.AT_MOST, frequency_limit=3, priority=90)
    make_prompt(headline="Every time", priority=10)
    client = reader()
    shown = [decide(client, story)[1]["article_end"] for _ in range(5)]
    assert ["Three times" in html for html in shown] == [True, True, True, False, False]
    assert all("Every time" in html for html in shown[3:])


def test_an_edited_frequency_cookie_is_ignored(story):
    make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    client = reader()
    decide(client, story)
    client.cookies[FREQUENCY_COOKIE] = client.cookies[FREQUENCY_COOKIE].value[:-3] + "xyz"
    client.cookies[SESSION_COOKIE] = "junk"
    assert decide(client, story)[1], "a broken cookie is a new browser: no error, the prompt again"


@pytest.mark.parametrize(
    "host, shown",
    [
        ("www.google.com", True),
        ("news.google.com", True),
        ("t.co", True),
        ("example.org", True),
        ("blog.example.org", True),
        ("evilgoogle.com", False),
        ("google.com.evil.net", False),
        ("", False),
        ("<script>", False),
        ("a" * 300, False),
        ("xn--r8jz45g.jp", True),  # 例え.jp, as browsers report it
    ],
)
def test_referrer_domains(story, host, shown):
    make_prompt(headline="From outside", referrer_domains="search\nsocial\nexample.org\n例え.jp")
    assert bool(decide(reader(), story, ref=host)[1]) is shown


def test_meter_conditions_count_stories_even_with_the_metered_paywall_off(make_article, settings):
    settings.PAYWALL_METER_FREE_ARTICLES = 0
    stories = [make_article(headline=f"Story {n}") for n in range(4)]
    make_prompt(headline="A regular reader", min_reads=3)
    make_prompt(headline="A new reader", max_reads=1, priority=50)
    client = reader()
    html = client.get(stories[0].get_absolute_url()).content.decode()
    assert f"/paywall/meter/{stories[0].pk}.gif" in html  # the meter counts: a prompt asks about it
    assert "A new reader" in decide(client, stories[0])[1]["article_end"]  # 1 story, this one
    for story in stories[:3]:
        client.get(f"/paywall/meter/{story.pk}.gif")
    assert meter.GATE_COOKIE not in client.cookies, "the metered paywall is off: nobody is stopped"
    assert "A regular reader" in decide(client, stories[3])[1]["article_end"]  # 3 read, and this one
    assert "A regular reader" in decide(client, stories[0])[1]["article_end"]  # a re-read counts once: 3
    assert decide(reader(), stories[1])[1]["article_end"].count("A new reader") == 1


def test_a_tampered_meter_reads_as_a_full_one(story):
    make_prompt(headline="A new reader", max_reads=2)
    client = reader()
    client.cookies[meter.METER_COOKIE] = signing.dumps({}, salt="not-ours")
    assert decide(client, story)[1] == {}


def test_a_registered_readers_meter_is_their_own(story, make_article, django_user_model):
    make_prompt(headline="A regular reader", min_reads=2, audience="registered")
    django_user_model.objects.create_user("reader", password="a-long-reader-password")
    client = reader()
    client.login(username="reader", password="a-long-reader-password")
    assert decide(client, story)[1] == {}
    other = make_article(headline="Another")
    client.get(f"/paywall/meter/{other.pk}.gif")
    assert "A regular reader" in decide(client, story)[1]["article_end"]


def test_variants_share_readers_by_weight_and_each_reader_keeps_theirs(story):
    prompt = make_prompt(headline="Own text", weight=1, frequency=Frequency.EVERY_VIEW)
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", cta_label="Join", weight=3)
    html = reader().get(story.get_absolute_url()).content.decode()
    assert "paywall-slot" in html and "Variant B" not in html  # no-JS readers get the prompt's own text
    shares = Counter()
    for _ in range(400):
        shares["B" if "Variant B" in decide(reader(), story)[1]["article_end"] else "own"] += 1
    assert 240 < shares["B"] < 360, shares  # 3 to 1: 300 expected, beyond ±60 is a broken split
    client = reader()
    first = decide(client, story)[1]["article_end"]
    assert all(decide(client, story)[1]["article_end"] == first for _ in range(10))
    counted = {row.variant_id: row.impressions for row in PromptDay.objects.filter(prompt=prompt)}
    variant = prompt.variants.get()
    assert counted[None] == shares["own"] + (11 if "Own text" in first else 0)
    assert counted[variant.pk] == shares["B"] + (11 if "Variant B" in first else 0)


def test_a_registered_reader_keeps_their_variant_in_every_browser(story, django_user_model):
    prompt = make_prompt(headline="Own text", audience="registered")
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", weight=1)
    django_user_model.objects.create_user("reader", password="a-long-reader-password")
    answers = set()
    for _ in range(6):
        client = reader()
        client.login(username="reader", password="a-long-reader-password")
        answers.add(decide(client, story)[1]["article_end"])
    assert len(answers) == 1


def test_clicks_are_counted_per_variant_and_a_stranger_variant_is_not_trusted(story):
    prompt = make_prompt(headline="Own text", cta_url="/account/")
    variant = PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", weight=1)
    other = PromptVariant.objects.create(prompt=make_prompt(name="Other"), name="X", weight=1)
    client = reader()
    assert client.get(f"/paywall/go/{prompt.pk}/", {"v": variant.pk}).url == "/account/"
    client.get(f"/paywall/go/{prompt.pk}/", {"v": other.pk})
    client.get(f"/paywall/go/{prompt.pk}/", {"v": "1 OR 1=1"})
    clicks = {row.variant_id: row.clicks for row in PromptDay.objects.filter(prompt=prompt)}
    assert clicks == {variant.pk: 1, None: 2}
    assert not PromptDay.objects.filter(variant=other).exists()


def test_robots_get_an_answer_but_are_not_counted_or_remembered(story):
    make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    robot = Client(headers={"User-Agent": GOOGLEBOT})
    response, slots = decide(robot, story)
    assert slots and not response.cookies and not PromptDay.objects.exists()


def test_the_decision_endpoint_refuses_what_readers_cannot_see(client, make_article, story):
    make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    draft = make_article(status=Status.DRAFT, published_at=None)
    assert client.get(f"/paywall/decide/{draft.pk}/").status_code == 404
    assert client.get("/paywall/decide/999999/").status_code == 404
    for junk in ("", "nonsense", "article_end" * 200, "../admin", "overlay,overlay,overlay"):
        response = client.get(f"/paywall/decide/{story.pk}/", {"slots": junk, "ref": "\x01<>"})
        assert response.status_code == 200 and set(response.json()["slots"]) <= {"overlay"}


def test_an_overlay_and_an_inline_prompt_decided_per_reader(story):
    make_prompt(headline="Overlay offer", placement=Placement.OVERLAY, frequency=Frequency.ONCE_PER_SESSION)
    make_prompt(headline="Inline offer", placement=Placement.INLINE, after_paragraph=2, referrer_domains="social")
    html = reader().get(story.get_absolute_url()).content.decode()
    body = html.split('<div class="story-body">')[1]
    assert body.index("Paragraph 2 of") < body.index('data-paywall-slot="inline"') < body.index("Paragraph 3 of")
    assert 'data-paywall-slot="overlay"' in html
    slots = decide(reader(), story, ref="t.co")[1]
    assert slots["overlay"].startswith('<details class="paywall-overlay" open>') and "Overlay offer" in slots["overlay"]
    assert "Inline offer" in slots["inline"]


def test_the_decision_endpoint_costs_few_queries(story, django_assert_num_queries, django_capture_on_commit_callbacks):
    prompt = make_prompt(headline="Own text", min_reads=1)
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", weight=1)
    client = reader()
    decide(client, story)  # warms the prompt cache and makes today's counter row
    with django_assert_num_queries(2):  # the story (only what targeting needs), the counter update
        assert decide(client, story)[1]
    with django_capture_on_commit_callbacks(execute=True):
        prompt.tags.add(Tag.objects.create(name="Elsewhere", slug="elsewhere"))
    decide(client, story)  # reloads the prompts
    with django_assert_num_queries(2):  # the story and its tags; not this prompt's story, so nothing counted
        assert decide(client, story)[1] == {}


def test_a_variants_text_is_not_story_text(world):
    from articles.models import Article
    from articles.services.stories import save_story

    prompt = make_prompt(headline="Own text")
    PromptVariant.objects.create(
        prompt=prompt, name="B", message="<p>Every subscription pays for reporting like this one.</p>"
    )
    body = "<p>The story itself.</p><p>Every subscription pays for reporting like this one.</p>"
    saved = save_story(story=Article(headline="Pasted", slug="pasted", section=world, body=body), user=None)
    assert Article.objects.get(pk=saved.story.pk).body == "<p>The story itself.</p>"
    assert saved.removed_text == ["Every subscription pays for reporting like this one."]


def test_the_form_refuses_bad_conditions_and_keeps_what_was_typed(client, paywall_manager):
    from tests.paywall.test_admin import ADD, form

    client.force_login(paywall_manager)
    response = client.post(
        ADD, form(referrer_domains="google.com\njavascript:alert(1)\nnot a domain", min_reads="5", max_reads="2")
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Prompt.objects.exists()
    assert "Not a domain" in html and "javascript:alert(1)" in html and "below" in html
    response = client.post(ADD, form(min_reads="51"))
    assert response.status_code == 200 and not Prompt.objects.exists()


def test_the_admin_shows_each_texts_figures(client, paywall_manager, story):
    prompt = make_prompt(headline="Own text")
    variant = PromptVariant.objects.create(prompt=prompt, name="B: shorter", weight=1)
    PromptDay.objects.create(prompt=prompt, day=timezone.localdate(), impressions=100, clicks=4)
    PromptDay.objects.create(prompt=prompt, variant=variant, day=timezone.localdate(), impressions=100, clicks=9)
    client.force_login(paywall_manager)
    listing = client.get("/admin/paywall/prompt/").content.decode()
    assert ">200<" in listing and ">13<" in listing and "6.5%" in listing
    assert "Own text: 100 / 4 / 4.0%" in listing and "B: shorter: 100 / 9 / 9.0%" in listing
    page = client.get(f"/admin/paywall/prompt/{prompt.pk}/change/").content.decode()
    assert "200 impressions, 13 clicks, CTR 6.5%" in page  # the day's two rows, added up
    assert re.search(r"<td>B: shorter</td><td>1</td><td>100</td><td>9</td><td>9.0%</td>", page)
    csv = client.get(f"/admin/paywall/prompt/{prompt.pk}/figures.csv").content.decode().splitlines()
    assert csv[1:] == [f"{timezone.localdate()},Own text,100,4,4.00", f"{timezone.localdate()},B: shorter,100,9,9.00"]
    variant.headline = "The shorter headline"
    variant.save()
    preview = client.get(f"/admin/paywall/prompt/{prompt.pk}/preview/", {"version": variant.pk}).content.decode()
    assert "The shorter headline" in preview and "paywall/seen" not in preview
    own = client.get(f"/admin/paywall/prompt/{prompt.pk}/preview/", {"version": "junk"}).content.decode()
    assert "Own text" in own and "The shorter headline" not in own


def test_a_paywall_manager_saves_a_prompt_with_a_variant_over_http(client, paywall_manager):
    from tests.paywall.test_admin import ADD, form

    client.force_login(paywall_manager)
    variant = {
        "variants-TOTAL_FORMS": "1",
        "variants-0-name": "B",
        "variants-0-headline": "Shorter",
        "variants-0-message": "<p>Less to read.</p><script>alert(1)</script>",
        "variants-0-cta_label": "Join",
        "variants-0-weight": "-1",
    }
    refused = client.post(ADD, form(**variant))
    assert refused.status_code == 200 and not Prompt.objects.exists() and "Shorter" in refused.content.decode()
    response = client.post(ADD, form(**{**variant, "variants-0-weight": "2"}))
    assert response.status_code == 302
    saved = PromptVariant.objects.get()
    assert (saved.prompt.name, saved.headline, saved.weight) == ("Election offer", "Shorter", 2)
    assert saved.message == "<p>Less to read.</p>"  # sanitized like every rich text


def test_the_premium_gate_can_be_ab_tested_and_always_offers_something(make_article):
    premium = make_article(is_premium=True, paragraphs=["Opening.", "Second.", "Only for subscribers."])
    prompt = make_prompt(headline="Own gate text", premium_only=True, frequency=Frequency.AT_MOST, frequency_limit=1)
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Gate variant", weight=1)
    html = reader().get(premium.get_absolute_url()).content.decode()
    gate = html.split('<section class="story-gated"', 1)[1]
    assert 'data-paywall-slot="gate"' in gate and "Only for subscribers." not in html
    assert "paywall.js" in html
    client = reader()
    first = decide(client, premium, slots="gate")[1]["gate"]
    assert "Own gate text" in first or "Gate variant" in first
    # Seen once (its cap): the gate falls back to the plain offer, never to nothing.
    second = decide(client, premium, slots="gate")[1]["gate"]
    assert "Own gate text" not in second and "Gate variant" not in second and "/account/" in second


def test_a_counted_variant_is_retired_not_deleted(client, paywall_manager, story, django_capture_on_commit_callbacks):
    from tests.paywall.test_admin import form

    prompt = make_prompt(headline="Own text")
    variant = PromptVariant.objects.create(prompt=prompt, name="B", headline="Variant B", weight=1)
    PromptDay.objects.create(prompt=prompt, variant=variant, day=timezone.localdate(), impressions=7)
    assert any("Variant B" in decide(reader(), story)[1]["article_end"] for _ in range(30))
    client.force_login(paywall_manager)
    change = f"/admin/paywall/prompt/{prompt.pk}/change/"
    data = form(
        placement="article_end",
        **{"starts_at_0": None, "starts_at_1": None, "ends_at_0": None, "ends_at_1": None},
        **{"variants-TOTAL_FORMS": "1", "variants-INITIAL_FORMS": "1", "variants-0-id": str(variant.pk)},
        **{"variants-0-prompt": str(prompt.pk), "variants-0-name": "B", "variants-0-headline": "Variant B"},
        **{"variants-0-cta_label": "Subscribe", "variants-0-weight": "1"},
    )
    refused = client.post(change, {**data, "variants-0-DELETE": "on"})
    assert refused.status_code == 200 and "protected" in refused.content.decode().lower()
    assert PromptDay.objects.filter(variant=variant).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, {**data, "variants-0-weight": "0"}).status_code == 302
    assert all("Variant B" not in decide(reader(), story)[1]["article_end"] for _ in range(30))
    assert "paywall-slot" not in reader().get(story.get_absolute_url()).content.decode()  # no A/B test left
    client.post(f"/admin/paywall/prompt/{prompt.pk}/delete/", {"post": "yes"})
    assert not Prompt.objects.exists() and not PromptDay.objects.exists()  # the whole prompt goes, figures too


def test_the_csv_does_not_hand_a_spreadsheet_a_formula(client, paywall_manager):
    prompt = make_prompt(headline="Own text")
    variant = PromptVariant.objects.create(prompt=prompt, name='=HYPERLINK("http://evil.example","B")', weight=1)
    PromptDay.objects.create(prompt=prompt, variant=variant, day=timezone.localdate(), impressions=3)
    client.force_login(paywall_manager)
    rows = client.get(f"/admin/paywall/prompt/{prompt.pk}/figures.csv").content.decode().splitlines()
    assert rows[1].startswith(f"{timezone.localdate()},\"'=HYPERLINK(")


def test_hostile_text_in_a_variant_reaches_readers_escaped(story):
    prompt = make_prompt(headline="Own text")
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    PromptVariant.objects.create(prompt=prompt, name=payload, headline=payload, cta_label=payload, weight=1000)
    html = decide(reader(), story)[1]["article_end"]
    assert "<script>" not in html and "<img src=x" not in html and "&lt;script&gt;" in html


def test_only_a_get_is_a_decision_or_a_click(client, story):
    prompt = make_prompt(headline="Once a day", frequency=Frequency.ONCE_PER_DAY)
    headers = {"User-Agent": BROWSER}
    assert client.head(f"/paywall/decide/{story.pk}/", {"slots": "article_end"}, headers=headers).status_code == 405
    assert client.head(f"/paywall/go/{prompt.pk}/", headers=headers).status_code == 302
    assert not PromptDay.objects.exists()
