"""The demo newsroom that `make run` loads, through the `load_demo` command."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Image, Section, Status, WireService
from paywall.demo import REFERENCE_PROMPT as SUBSCRIPTION_PROMPT
from tests.conftest import reference_paragraphs

HEADLINE = "Japan and South Korea make no headway on wartime labor and trade rows"


def load(settings, debug=True):
    settings.DEBUG = debug
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, settings):
    return load(settings)


def test_demo_has_the_newsroom(demo):
    """Sections, the five agencies, three staff, desk logins and about ten more stories."""
    assert Section.objects.count() >= 5
    credits = set(WireService.objects.values_list("credit", flat=True))
    assert credits >= {"Kyodo", "Jiji", "AP", "Reuters", "AFP", "dpa", "EFE", "Yonhap", "Xinhua"}
    assert Author.objects.count() == 3
    for username, group in [("editor", "Editor"), ("reporter", "Reporter"), ("paywall", "Paywall manager")]:
        assert User.objects.get(username=username).groups.filter(name=group).exists()
    assert Article.objects.count() >= 11
    statuses = set(Article.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.PUBLISHED, Status.IN_REVIEW, Status.SCHEDULED} <= statuses
    assert Article.objects.filter(wire_service__isnull=True).exists()  # staff stories
    assert Article.objects.filter(lead_image__isnull=False, status=Status.PUBLISHED).exists()
    assert Image.objects.get().width == 1200
    assert "editor" in demo and "newsroom-editor" in demo  # the logins are printed


def test_reference_story_is_published_as_kyodo_printed_it(demo, client):
    """The reference story: published in World, credited to Kyodo, fourteen paragraphs byte for byte, tagged."""
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Status.PUBLISHED and article.section.slug == "world"
    assert article.credit_line == "Kyodo"
    assert set(article.tags.names()) == {
        "Japan",
        "South Korea",
        "Toshimitsu Motegi",
        "Kang Kyung-wha",
        "Shinzo Abe",
        "Moon Jae-in",
        "GSOMIA",
        "wartime labor",
    }
    assert article.get_absolute_url().startswith("/world/2019/09/26/")

    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="story-body">')[1].split("</div>")[0]
    paragraphs = re.findall(r"<p>(.*?)</p>", body, flags=re.S)
    assert paragraphs == reference_paragraphs()
    assert len(paragraphs) == 14
    assert '<span class="credit-line">Kyodo</span>' in html
    for line in SUBSCRIPTION_PROMPT:
        assert line not in body
        assert line not in article.body


def test_reference_story_leads_the_home_page(demo, client):
    """Whatever its date, the reference story is the home page's lead."""
    html = client.get("/").content.decode()
    lead = html.split('class="lead-story"')[1].split("</section>")[0]
    assert HEADLINE in lead


def test_loading_twice_changes_nothing(demo, settings):
    """A second run creates nothing and leaves edited stories alone."""
    story = Article.objects.get(headline=HEADLINE)
    story.dek = "Edited by the desk"
    story.save()
    before = {a.pk: a.updated_at for a in Article.objects.all()}
    counts = [model.objects.count() for model in (Article, Section, WireService, Author, Image, User)]
    output = load(settings)
    assert "already loaded" in output
    assert [model.objects.count() for model in (Article, Section, WireService, Author, Image, User)] == counts
    assert {a.pk: a.updated_at for a in Article.objects.all()} == before
    assert Article.objects.get(headline=HEADLINE).dek == "Edited by the desk"


def test_no_logins_without_debug(db, settings):
    """With DEBUG off the demo content loads but no known passwords are created."""
    output = load(settings, debug=False)
    assert not User.objects.exists()
    assert "no demo logins" in output
    assert Article.objects.filter(headline=HEADLINE).exists()


def test_demo_drafts_are_not_public(demo, client):
    """Demo drafts and the scheduled story stay off the public site."""
    for article in Article.objects.exclude(status=Status.PUBLISHED):
        assert not article.is_public
        if article.get_absolute_url():
            assert client.get(article.get_absolute_url()).status_code == 404
    headline_less = Article.objects.get(headline="")
    assert headline_less.wire_service.credit == "Jiji"
    assert Article.objects.published().filter(published_at__gt=timezone.now()).count() == 0


def test_roles_come_from_migrate_and_loading_leaves_the_app_registry_alone(db, settings):
    """The groups exist after migrate (a post_migrate handler); load_demo does not touch Django's live app registry."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Editor", "Reporter", "Paywall manager"}
    editor = Group.objects.get(name="Editor")
    assert editor.permissions.filter(codename="publish_article").exists()
    before = {config.label: config.models_module for config in apps.get_app_configs()}
    load(settings)
    assert {config.label: config.models_module for config in apps.get_app_configs()} == before
    assert apps.get_app_config("articles").models_module is not None
