"""
Prompts on the reader's pages, through the same doors readers and staff use:
the article page over HTTP, the prompt admin's forms, the pixel and the
click redirect.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from paywall.demo import REFERENCE_PROMPT, SUBSCRIBER
from paywall.models import Audience, Placement, Prompt, PromptDay, Subscription

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def make_prompt(**fields):
    fields.setdefault("name", "Support us")
    fields.setdefault("message", "<p>Journalism costs money. Please subscribe today.</p>")
    fields.setdefault("cta_url", "/account/")
    fields.setdefault("placement", Placement.ARTICLE_END)
    sections = fields.pop("sections", [])
    prompt = Prompt.objects.create(**fields)
    prompt.sections.set(sections)
    return prompt


def prompt_html(html, placement="article_end"):
    found = re.search(rf'<aside class="paywall-prompt paywall-{placement}.*?</aside>', html, flags=re.S)
    return found[0] if found else ""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    return Article.objects.get(headline="Japan and South Korea make no headway on wartime labor and trade rows")


def test_an_anonymous_reader_sees_the_reference_prompt_after_the_last_paragraph(client, demo):
    response = client.get(demo.get_absolute_url())
    html = response.content.decode()
    prompt = prompt_html(html)
    assert prompt, "no prompt under the story"
    text = " ".join(re.sub(r"<[^>]+>", " ", prompt).split())
    assert text.startswith(" ".join(REFERENCE_PROMPT)) and "Subscribe" in text
    last_paragraph = html.split('<div class="story-body">')[1].split("</div>")[0].rsplit("<p>", 1)[1]
    assert html.index(last_paragraph) < html.index(prompt)  # after the last paragraph, not in the body
    assert REFERENCE_PROMPT[0] not in html.split('<div class="story-body">')[1].split("</div>")[0]
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.get("Vary", "")
    assert response["Cache-Control"].startswith("public")


def test_a_subscriber_sees_no_prompt_and_a_registered_reader_does(client, demo, django_user_model):
    username, password = SUBSCRIBER
    assert client.login(username=username, password=password)
    assert prompt_html(client.get(demo.get_absolute_url()).content.decode()) == ""
    client.logout()
    django_user_model.objects.create_user("reader", password="a-long-reader-password")
    client.login(username="reader", password="a-long-reader-password")
    assert prompt_html(client.get(demo.get_absolute_url()).content.decode())


def test_a_lapsed_subscription_is_no_subscription(client, demo):
    Subscription.objects.update(valid_until=timezone.now() - timedelta(days=1))
    client.login(username=SUBSCRIBER[0], password=SUBSCRIBER[1])
    assert prompt_html(client.get(demo.get_absolute_url()).content.decode())


def test_the_politics_banner_shows_on_politics_stories_only(client, demo):
    politics = Article.objects.published().filter(section__slug="politics").first()
    other = Article.objects.published().exclude(section__slug="politics").first()
    banner = prompt_html(client.get(politics.get_absolute_url()).content.decode(), "top_banner")
    assert "Follow the campaign with us" in banner
    assert prompt_html(client.get(other.get_absolute_url()).content.decode(), "top_banner") == ""


@pytest.mark.parametrize(
    ("targeting", "shown"),
    [
        ({}, True),
        ({"staff_only": True}, True),
        ({"audience": Audience.SUBSCRIBERS}, False),
        ({"audience": Audience.REGISTERED}, False),
        ({"audience": Audience.ANONYMOUS}, True),
        ({"starts_at": "future"}, False),
        ({"ends_at": "past"}, False),
        ({"is_active": False}, False),
    ],
)
def test_audience_schedule_and_targeting(client, make_article, targeting, shown):
    now = timezone.now()
    if targeting.get("starts_at") == "future":
        targeting["starts_at"] = now + timedelta(hours=1)
    if targeting.get("ends_at") == "past":
        targeting.update(starts_at=now - timedelta(days=2), ends_at=now - timedelta(hours=1))
    make_prompt(**targeting)
    story = make_article()
    assert bool(prompt_html(client.get(story.get_absolute_url()).content.decode())) == shown


def test_tag_and_agency_targeting(client, make_article, kyodo, django_capture_on_commit_callbacks):
    """Targeting changes made by staff reach the next page (the cached prompt list is dropped on commit)."""
    from taggit.models import Tag

    prompt = make_prompt()
    story = make_article(tags=["Elections"])
    other = make_article(tags=["Weather"], wire_service=kyodo)

    def shown(article):
        return bool(prompt_html(client.get(article.get_absolute_url()).content.decode()))

    with django_capture_on_commit_callbacks(execute=True):
        prompt.tags.set([Tag.objects.get(name="Elections")])
    assert shown(story) and not shown(other)
    with django_capture_on_commit_callbacks(execute=True):
        prompt.tags.clear()
        prompt.agencies.set([kyodo])
    assert not shown(story) and shown(other)
    with django_capture_on_commit_callbacks(execute=True):
        prompt.agencies.clear()
        prompt.staff_only = True
        prompt.save()
    assert shown(story) and not shown(other)


def test_the_higher_priority_prompt_wins_its_place(client, make_article):
    make_prompt(name="Low", headline="Low prompt", priority=10)
    make_prompt(name="High", headline="High prompt", priority=90)
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert html.count('class="paywall-prompt') == 1 and "High prompt" in html


def test_a_prompt_the_staff_change_shows_on_the_next_request(client, make_article, django_capture_on_commit_callbacks):
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        prompt = make_prompt(headline="First words")
    assert "First words" in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        prompt.headline = "Second words"
        prompt.save()
    assert "Second words" in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        prompt.delete()
    assert not prompt_html(client.get(story.get_absolute_url()).content.decode())


def test_choosing_prompts_costs_one_cache_lookup_and_no_query_on_a_warm_cache(rf, make_article, monkeypatch):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from paywall import decisions, slots

    make_prompt()
    make_prompt(name="Banner", placement=Placement.TOP_BANNER)
    story = Article.objects.for_page().get(pk=make_article().pk)
    decisions.live_prompts()  # warm
    lookups = []

    class CountingCache:
        def get(self, key, *args):
            lookups.append(key)
            return cache.get(key, *args)

    monkeypatch.setattr(decisions, "cache", CountingCache())
    request = rf.get(story.get_absolute_url())
    context = {"article": story}
    with CaptureQueriesContext(connection) as queries:
        shown = [slots.head(request, context), slots.top_banner(request, context), slots.article_end(request, context)]
        shown += [slots.overlay(request, context), slots.inline(request, context)]
    assert "Support us" not in str(shown) and "Banner" not in str(shown)  # names are for staff
    assert "paywall-top_banner" in shown[1] and "paywall-article_end" in shown[2]
    assert lookups == [decisions.CACHE_KEY] and len(queries) == 0


def test_a_prompt_is_never_shown_on_a_preview(editor_client, make_article):
    from articles.models import Status

    make_prompt()
    draft = make_article(status=Status.DRAFT, published_at=None)
    html = editor_client.get(f"/admin/articles/article/{draft.pk}/preview/").content.decode()
    assert "paywall-prompt" not in html


def test_the_pixel_counts_people_not_robots(client):
    prompt = make_prompt()
    for agent in [BROWSER, BROWSER, GOOGLEBOT, ""]:
        response = client.get(f"/paywall/seen/{prompt.pk}.gif", headers={"User-Agent": agent})
        assert response.status_code == 200 and response["Content-Type"] == "image/gif"
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert PromptDay.objects.get(prompt=prompt).impressions == 2
    assert client.get("/paywall/seen/999999.gif", headers={"User-Agent": BROWSER}).status_code == 200
    assert PromptDay.objects.count() == 1


@pytest.mark.parametrize(
    "extra", ["", "?next=https://evil.example/", "?url=//evil.example", "?cta_url=javascript:alert(1)"]
)
def test_the_click_goes_only_to_the_prompts_own_address(client, extra):
    prompt = make_prompt(cta_url="https://subscribe.example/offer?from=prompt")
    response = client.get(f"/paywall/go/{prompt.pk}/{extra}", headers={"User-Agent": BROWSER})
    assert response.status_code == 302 and response["Location"] == "https://subscribe.example/offer?from=prompt"
    assert client.get("/paywall/go/999999/", headers={"User-Agent": BROWSER}).status_code == 404
    client.get(f"/paywall/go/{prompt.pk}/", headers={"User-Agent": GOOGLEBOT})
    assert PromptDay.objects.get(prompt=prompt).clicks == 1


def test_the_wire_item_records_the_prompt_text_it_left_out(editor, make_article):
    from articles.services.ingest import receive
    from tests.conftest import REFERENCE_STORY

    make_prompt(message="".join(f"<p>{line}</p>" for line in REFERENCE_PROMPT))
    item = receive(REFERENCE_STORY.read_bytes(), filename="kyodo.txt")[0]
    assert item.article is not None
    assert REFERENCE_PROMPT[0] not in item.article.body and REFERENCE_PROMPT[1] not in item.article.body
    assert " ".join(REFERENCE_PROMPT) in item.removed_text
    assert "Trump" in item.article.body  # the last paragraph of the story itself stays


def test_a_pasted_prompt_is_removed_on_save_but_a_quoted_sentence_stays(editor_client, world):
    from articles.services.stories import save_story

    make_prompt(message="".join(f"<p>{line}</p>" for line in REFERENCE_PROMPT))
    story = Article(
        headline="Pasted",
        slug="pasted",
        section=world,
        body=(
            "<p>The story itself.</p>"
            f"<p>The editor wrote: “{REFERENCE_PROMPT[0]}” and moved on.</p>"
            f"<p>{REFERENCE_PROMPT[0]}</p><p>{REFERENCE_PROMPT[1]}</p>"
        ),
    )
    saved = save_story(story=story, user=None)
    body = Article.objects.get(pk=saved.story.pk).body
    assert "The story itself." in body and "The editor wrote" in body
    assert f"<p>{REFERENCE_PROMPT[1]}</p>" not in body and len(saved.removed_text) == 2


def test_a_prompt_with_no_active_twin_removes_nothing(world):
    from articles.services.stories import save_story

    make_prompt(message=f"<p>{REFERENCE_PROMPT[0]}</p>", is_active=False)
    saved = save_story(
        story=Article(headline="Kept", slug="kept", section=world, body=f"<p>{REFERENCE_PROMPT[0]}</p>"), user=None
    )
    assert REFERENCE_PROMPT[0] in Article.objects.get(pk=saved.story.pk).body and saved.removed_text == []


def test_a_prompt_change_renews_cached_pages(client, make_article, settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE = True
    settings.CDN_PURGE_URL = ""
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        prompt = make_prompt(headline="Before")
    assert "Before" in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        prompt.headline = "After"
        prompt.save()
    assert "After" in client.get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("address", ["javascript:alert(1)", "//evil.example/", "data:text/html,hi"])
def test_a_bad_address_written_past_the_form_is_never_followed(client, address):
    prompt = make_prompt(cta_url=address)  # straight to the table, past the form's check
    assert client.get(f"/paywall/go/{prompt.pk}/", headers={"User-Agent": BROWSER}).status_code == 404


def test_an_inline_prompt_sits_after_paragraph_n(client, make_article):
    make_prompt(name="Inline", headline="Inline offer", placement=Placement.INLINE, after_paragraph=2)
    story = make_article(paragraphs=["First.", "Second.", "Third.", "Fourth."])
    html = client.get(story.get_absolute_url()).content.decode()
    body = html.split('<div class="story-body">')[1].split("</article>")[0]
    assert body.index("Second.") < body.index("Inline offer") < body.index("Third.")
    short = make_article(paragraphs=["Only one."])
    html = client.get(short.get_absolute_url()).content.decode()
    assert html.index("Only one.") < html.index("Inline offer")  # a shorter story has it at its end


def test_one_dismissible_overlay_without_script(client, make_article):
    make_prompt(name="Overlay one", headline="First overlay", placement=Placement.OVERLAY, priority=90)
    make_prompt(name="Overlay two", headline="Second overlay", placement=Placement.OVERLAY, priority=10)
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert html.count('class="paywall-overlay"') == 1 and "First overlay" in html and "Second overlay" not in html
    overlay = html.split('<details class="paywall-overlay" open>')[1].split("</details>")[0]
    assert '<summary class="paywall-dismiss">Not now</summary>' in overlay and "<script" not in overlay
    assert "paywall-overlay" not in client.get("/").content.decode()  # on story pages only
