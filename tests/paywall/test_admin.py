"""The paywall desk over HTTP: who may open it, the prompt form, preview, figures and CSV; counts under load."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles.models import Section
from paywall.models import Prompt, PromptDay, PromptVariant

pytestmark = pytest.mark.django_db
ADD = "/admin/paywall/prompt/add/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"


def form(**changes):
    data = {
        "name": "Election offer",
        "headline": "Half price for the campaign",
        "message": "<p>Follow every vote with us.</p>",
        "cta_label": "Subscribe",
        "cta_url": "/account/",
        "style": "highlighted",
        "placement": "top_banner",
        "after_paragraph": "3",
        "audience": "non_subscribers",
        "starts_at_0": "2026-12-01",
        "starts_at_1": "09:00:00",
        "ends_at_0": "2026-12-31",
        "ends_at_1": "23:00:00",
        "priority": "80",
        "is_active": "on",
        "weight": "1",
        "frequency": "every_view",
        "frequency_limit": "3",
        "referrer_domains": "",
        "min_reads": "",
        "max_reads": "",
        "variants-TOTAL_FORMS": "0",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def manager_client(client, paywall_manager):
    client.force_login(paywall_manager)
    return client


def test_a_paywall_manager_creates_schedules_and_targets_a_prompt(manager_client, world):
    response = manager_client.post(ADD, form(sections=[str(world.pk)]))
    assert response.status_code == 302, response.content.decode()[:2000]
    prompt = Prompt.objects.get(name="Election offer")
    assert list(prompt.sections.all()) == [world] and prompt.placement == "top_banner"
    assert timezone.localtime(prompt.starts_at).day == 1 and prompt.priority == 80
    listing = manager_client.get("/admin/paywall/prompt/").content.decode()
    assert "Election offer" in listing and "CTR" in listing


@pytest.mark.parametrize("address", ["javascript:alert(1)", "//evil.example/", "ftp://files.example/", "relative/path"])
def test_a_refused_address_keeps_what_was_typed(manager_client, address):
    response = manager_client.post(ADD, form(cta_url=address, headline="Typed headline <b>"))
    html = response.content.decode()
    assert response.status_code == 200 and not Prompt.objects.exists()
    assert "Give an address on this site" in html and "Typed headline &lt;b&gt;" in html


def test_the_end_must_come_after_the_start(manager_client):
    response = manager_client.post(ADD, form(ends_at_0="2026-11-01"))
    assert response.status_code == 200 and "The end comes before the start." in response.content.decode()


def test_preview_shows_the_prompt_on_a_chosen_story_and_counts_nothing(manager_client, make_article):
    story = make_article(headline="A story to preview on")
    prompt = Prompt.objects.create(name="P", headline="Preview me", cta_url="/account/", placement="article_end")
    response = manager_client.get(
        f"/admin/paywall/prompt/{prompt.pk}/preview/", {"article": story.pk, "reader": "registered"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Preview me" in html and "A story to preview on" in html
    assert "paywall/seen" not in html and not PromptDay.objects.exists()
    as_subscriber = manager_client.get(f"/admin/paywall/prompt/{prompt.pk}/preview/", {"reader": "subscriber"})
    assert "would not get this prompt" in as_subscriber.content.decode()
    assert manager_client.get(f"/admin/paywall/prompt/{prompt.pk}/preview/", {"reader": "<script>"}).status_code == 200


def test_figures_chart_and_csv(manager_client):
    prompt = Prompt.objects.create(name="P", cta_url="/account/", placement="article_end")
    PromptDay.objects.create(prompt=prompt, day=timezone.localdate(), impressions=200, clicks=5)
    listing = manager_client.get("/admin/paywall/prompt/").content.decode()
    assert ">200<" in listing and ">5<" in listing and "2.5%" in listing
    page = manager_client.get(f"/admin/paywall/prompt/{prompt.pk}/change/").content.decode()
    assert "<svg" in page and "200 impressions, 5 clicks, CTR 2.5%" in page
    csv = manager_client.get(f"/admin/paywall/prompt/{prompt.pk}/figures.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines() == [
        "day,text,impressions,clicks,ctr_percent",
        f"{timezone.localdate()},Own text,200,5,2.50",
    ]


def test_the_desk_roles_do_not_manage_prompts(client, editor, reporter):
    for user in (editor, reporter):
        client.force_login(user)
        assert client.get("/admin/paywall/prompt/").status_code == 403
        assert client.get(ADD).status_code == 403


def test_a_paywall_manager_manages_subscriptions(manager_client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x-long-password")
    response = manager_client.post(
        "/admin/paywall/subscription/add/",
        {"user": str(reader.pk), "plan": "Digital", "status": "active", "valid_until_0": "", "valid_until_1": ""},
    )
    assert response.status_code == 302
    assert reader.subscription.is_current


@pytest.mark.django_db(transaction=True)
def test_impressions_and_clicks_are_counted_exactly_under_concurrent_requests():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises them (CI runs this on PostgreSQL)")
    Section.objects.get_or_create(slug="world", defaults={"name": "World"})
    prompt = Prompt.objects.create(name="Busy", cta_url="/account/", placement="article_end")
    variant = PromptVariant.objects.create(prompt=prompt, name="B", weight=1)
    threads, per_thread, errors = 8, 25, []

    def reader():
        browser = Client(headers={"User-Agent": BROWSER})
        try:
            for _ in range(per_thread):
                # Each request counts both texts: the day's first rows for each are raced for, too.
                for text in ({}, {"v": variant.pk}):
                    assert browser.get(f"/paywall/seen/{prompt.pk}.gif", text).status_code == 200
                    assert browser.get(f"/paywall/go/{prompt.pk}/", text).status_code == 302
        except Exception as error:  # reported below, with the count
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=reader) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    for text in (None, variant):
        day = PromptDay.objects.get(prompt=prompt, variant=text)
        assert (day.impressions, day.clicks) == (threads * per_thread, threads * per_thread)
