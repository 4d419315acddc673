"""Nothing is deleted without a trace: the Trash, restoring from it, and purging it."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from articles.models import Article, AuditEntry, Correction, Revision, Status
from articles.services.corrections import add_correction
from articles.services.previews import share_link
from articles.services.revisions import record_revision
from tests.ingest.conftest import read
from tests.test_admin import change_form

CHANGELIST = "/admin/articles/article/"


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


@pytest.fixture
def story(make_article, editor):
    """A published story with a revision, a correction and an audit entry."""
    article = make_article(headline="Ferry fares rise", credit_override="Staff")
    record_revision(article, user=editor, reason="Created")
    add_correction(article=article, kind="correction", text="An earlier version misnamed the port.", user=editor)
    return article


def test_deleting_moves_the_story_to_the_trash_and_keeps_its_history(editor_client, story, client):
    """The admin's delete keeps the story, its revisions, audit entries and corrections; its URL answers 410."""
    address = story.get_absolute_url()
    page = editor_client.get(url(story, "delete/")).content.decode()
    assert "Move “Ferry fares rise” to the Trash?" in page
    response = editor_client.post(url(story, "delete/"), {"post": "yes"}, follow=True)
    assert "is in the Trash" in response.content.decode()
    story.refresh_from_db()
    assert story.trashed_at is not None and story.status == Status.PUBLISHED
    assert Revision.objects.filter(article=story).exists()
    assert Correction.objects.filter(article=story).exists()
    assert AuditEntry.objects.filter(article=story, action="articles.trashed").exists()
    assert client.get(address).status_code == 410
    assert story.headline not in client.get("/").content.decode()
    listing = editor_client.get(CHANGELIST).content.decode()
    assert "Ferry fares rise" not in listing
    assert "Ferry fares rise" in editor_client.get(CHANGELIST + "?trash=yes").content.decode()


def test_a_never_public_story_in_the_trash_is_simply_not_there(editor_client, make_article, client):
    """A draft moved to the Trash was never public: its would-be address is a 404, not a 410."""
    draft = make_article(status=Status.DRAFT, published_at=None, slug="a-draft")
    editor_client.post(url(draft, "delete/"), {"post": "yes"})
    assert client.get(f"/world/2026/01/01/{draft.slug}/").status_code == 404


def test_editor_restores_from_the_trash(editor_client, story, client):
    """An editor's Restore brings the story back as it was, readers included."""
    editor_client.post(url(story, "delete/"), {"post": "yes"})
    page = editor_client.get(url(story)).content.decode()
    assert "Restore from the Trash" in page
    editor_client.post(url(story, "restore/"))
    story.refresh_from_db()
    assert story.trashed_at is None and story.is_public
    assert client.get(story.get_absolute_url()).status_code == 200
    assert AuditEntry.objects.filter(article=story, action="articles.restored").exists()


def test_bulk_trash_and_restore(editor_client, make_article):
    """The list's actions move several stories to the Trash and back."""
    stories = [make_article(), make_article()]
    ids = [story.pk for story in stories]
    response = editor_client.post(CHANGELIST, {"action": "trash_selected", "_selected_action": ids}, follow=True)
    assert "Moved 2 stories to the Trash." in response.content.decode()
    assert Article.objects.in_trash().count() == 2
    editor_client.post(CHANGELIST + "?trash=yes", {"action": "restore_selected", "_selected_action": ids})
    assert Article.objects.in_trash().count() == 0


def test_a_story_in_the_trash_cannot_be_edited(editor_client, story):
    """Its form is read-only and a post is refused; nothing changes until it is restored."""
    editor_client.post(url(story, "delete/"), {"post": "yes"})
    story.refresh_from_db()
    response = editor_client.post(url(story), change_form(editor_client, story, headline="Sneaky edit"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline == "Ferry fares rise"


def test_reporters_cannot_delete(client, reporter, make_article):
    """A reporter gets 403 on the delete page, and the Trash actions do nothing for them, even on their own draft."""
    own = make_article(status=Status.DRAFT, published_at=None, created_by=reporter)
    client.force_login(reporter)
    assert client.get(url(own, "delete/")).status_code == 403
    assert client.post(url(own, "delete/"), {"post": "yes"}).status_code == 403
    client.post(CHANGELIST, {"action": "trash_selected", "_selected_action": [own.pk]})
    own.refresh_from_db()
    assert own.trashed_at is None


def test_trashing_revokes_shared_previews(editor_client, editor, make_article):
    """A preview link shared before the story went to the Trash stops working."""
    draft = make_article(status=Status.DRAFT, published_at=None)
    link = share_link(article=draft, user=editor)
    assert Client().get(link).status_code == 200
    editor_client.post(url(draft, "delete/"), {"post": "yes"})
    assert Client().get(link).status_code == 404


def test_purge_trash_removes_old_stories_for_good_and_leaves_a_record(editor_client, story, make_article, client):
    """purge_trash --older-than 30 deletes only what has been in the Trash longer; an audit entry names each."""
    address = story.get_absolute_url()
    recent = make_article(headline="Trashed yesterday")
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        editor_client.post(url(story, "delete/"), {"post": "yes"})
    editor_client.post(url(recent, "delete/"), {"post": "yes"})
    call_command("purge_trash", "--older-than", "30", "--dry-run")
    assert Article.objects.filter(pk=story.pk).exists()

    call_command("purge_trash", "--older-than", "30")
    assert not Article.objects.filter(pk=story.pk).exists()
    assert not Revision.objects.filter(article_id=story.pk).exists()
    assert Article.objects.filter(pk=recent.pk).exists()
    record = AuditEntry.objects.get(action="articles.purged")
    assert record.article is None
    assert (record.data["article"], record.data["headline"]) == (story.pk, "Ferry fares rise")
    assert client.get(address).status_code == 404


def test_purge_trash_needs_a_sensible_age(db):
    """A negative age is refused with a clear error."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="0 or more"):
        call_command("purge_trash", "--older-than", "-1")


def test_agency_versions_of_a_trashed_story_are_kept_but_not_applied(editor_client, agencies):
    """A newer agency version of a story in the Trash is kept on the wire desk with the reason; the story stays put."""
    from articles.services.ingest import receive

    article = receive(read("nitf/harbor-ferry.xml"))[0].article
    editor_client.post(url(article, "delete/"), {"post": "yes"})
    item = receive(read("nitf/harbor-ferry-v2.xml"))[0]
    assert item.outcome == "rejected" and "Trash" in item.error and item.raw
    article.refresh_from_db()
    assert article.trashed_at is not None and article.wire_version == "1"
