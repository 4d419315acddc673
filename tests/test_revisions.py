"""Revisions: every save is kept, any one can be compared and restored exactly."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Revision, Status
from articles.services.publishing import perform
from articles.services.revisions import record_revision
from tests.test_admin import change_form


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


def test_every_admin_save_stores_a_revision(editor_client, make_article, editor):
    """Each save through the form adds a numbered revision with the user and the tags."""
    article = make_article(status=Status.DRAFT, tags=["Japan"])
    editor_client.post(url(article), change_form(editor_client, article, headline="Second headline"))
    article.refresh_from_db()
    editor_client.post(
        url(article), change_form(editor_client, article, headline="Third headline", tags="Japan, Korea")
    )
    revisions = list(article.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].data["headline"] == "Second headline" and revisions[0].user == editor
    assert revisions[1].data["tags"] == ["Japan", "Korea"]


def test_restore_brings_back_fields_byline_and_tags_exactly(editor_client, make_article, make_author, kyodo, business):
    """Restoring an old revision puts back every field, the byline order and the tags, as a new revision."""
    first, second = make_author("Ann First"), make_author("Ben Second")
    article = make_article(
        status=Status.DRAFT,
        authors=[first, second],
        tags=["Japan", "GSOMIA"],
        dek="Original dek",
        dateline="TOKYO",
        paragraphs=["One.", "Two."],
    )
    record_revision(article, reason="Created")  # revision 1: the original, as the add form would have kept it
    original = article.revisions.get(number=1).data

    data = change_form(
        editor_client,
        article,
        headline="Rewritten",
        dek="New dek",
        dateline="",
        body="<p>Other.</p>",
        wire_service=kyodo.pk,
        section=business.pk,
        tags="Economy",
    )
    data["bylines-0-DELETE"] = "on"
    assert editor_client.post(url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Rewritten" and article.credit_line == "By Ben Second and Kyodo"

    response = editor_client.post(url(article, "revisions/1/restore/"))
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert (article.headline, article.dek, article.dateline, article.section_id, article.wire_service_id) == (
        original["headline"],
        "Original dek",
        "TOKYO",
        original["section_id"],
        None,
    )
    assert article.body == "<p>One.</p>\n<p>Two.</p>"
    assert [a.name for a in article.byline_authors] == ["Ann First", "Ben Second"]
    assert sorted(article.tags.names()) == ["GSOMIA", "Japan"]
    latest = article.revisions.first()
    assert latest.number == 3 and latest.reason == "Restored revision 1"
    assert latest.data == {**original}


def test_revision_list_and_diff(editor_client, make_article):
    """The desk sees the list of revisions and a word-level diff against the current version."""
    article = make_article(status=Status.DRAFT, paragraphs=["The minister said no."])
    record_revision(article, reason="Created")
    editor_client.post(url(article), change_form(editor_client, article, body="<p>The minister said yes.</p>"))
    html = editor_client.get(url(article, "revisions/")).content.decode()
    assert "Compare with current" in html
    html = editor_client.get(url(article, "revisions/1/")).content.decode()
    assert "<del>no.</del>" in html and "<ins>yes.</ins>" in html
    assert "Restore this revision" in html


def test_compare_with_published_version(editor_client, editor, make_article):
    """One click compares the story with the version that went out to readers."""
    article = make_article(status=Status.READY, credit_override="Staff", headline="As published")
    perform(article=article, name="publish", user=editor)
    article.refresh_from_db()
    editor_client.post(url(article), change_form(editor_client, article, headline="Edited after publication"))
    published = article.revisions.get(was_published=True)
    response = editor_client.get(url(article, "compare-published/"))
    assert response["Location"] == url(article, f"revisions/{published.number}/")
    html = editor_client.get(response["Location"]).content.decode()
    assert "<del>As</del><ins>Edited</ins>" in html and "<del>published</del>" in html


def test_transitions_store_revisions_too(editor, make_article):
    """A change of state is a save, so it is kept as a revision with its reason."""
    article = make_article(status=Status.READY, credit_override="Staff")
    perform(article=article, name="schedule", user=editor, publish_at=timezone.now() + timedelta(hours=1))
    assert Revision.objects.get(article=article).reason == "Schedule"
