"""The one door for every write to a story: services.stories.save_story, and every caller going through it."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, AuditEntry, Status
from articles.services import stories
from articles.services.publishing import perform
from articles.services.revisions import record_revision
from tests.ingest.conftest import read
from tests.test_admin import ADD, article_form, change_form

S = Status


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


@pytest.fixture
def spy(monkeypatch):
    """Records every call of save_story (and still saves), so a test can see which door used it."""
    calls = []
    real = stories.save_story

    def recording(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(stories, "save_story", recording)
    return calls


# Every door goes through the service.


def test_admin_add_and_change_call_the_service(spy, editor_client, editor, world):
    """The story form's add and change both save through save_story, as the logged-in user."""
    editor_client.post(ADD, article_form(section=world.pk))
    article = Article.objects.get()
    editor_client.post(url(article), change_form(editor_client, article, headline="A better headline"))
    assert [call["user"] for call in spy] == [editor, editor]
    assert spy[1]["expected_version"] == 1 and "headline" in spy[1]["changed_fields"]


def test_wire_ingest_calls_the_service_as_the_system(spy, agencies):
    """A new wire story and its next version for an untouched draft are both saved by save_story, user None."""
    from articles.services.ingest import receive

    receive(read("nitf/harbor-ferry.xml"))
    receive(read("nitf/harbor-ferry-v2.xml"))
    assert [call["user"] for call in spy] == [None, None]
    assert spy[1]["expected_version"] == 1


def test_apply_update_calls_the_service(spy, agencies, editor_client, editor):
    """Applying a waiting agency update goes through save_story as the editor who pressed it."""
    from articles.services.ingest import receive

    article = receive(read("nitf/harbor-ferry.xml"))[0].article
    editor_client.post(url(article), change_form(editor_client, article, headline="Desk headline"))
    receive(read("nitf/harbor-ferry-v2.xml"))
    spy.clear()
    editor_client.post(url(article, "apply-update/"))
    assert [(call["user"], call["action"]) for call in spy] == [(editor, "articles.wire_update_applied")]


def test_restore_calls_the_service(spy, editor_client, editor, make_article):
    """Restoring a revision is a save through save_story, with the version it read."""
    article = make_article(status=S.DRAFT)
    record_revision(article)
    editor_client.post(url(article), change_form(editor_client, article, headline="Changed"))
    spy.clear()
    editor_client.post(url(article, "revisions/1/restore/"))
    assert [(call["user"], call["action"]) for call in spy] == [(editor, "articles.revision_restored")]


def test_bulk_actions_call_the_service(spy, editor_client, editor, make_article):
    """A bulk workflow action takes its step through save_story, with no content written."""
    story = make_article(status=S.READY, credit_override="Staff")
    editor_client.post("/admin/articles/article/", {"action": "publish_selected", "_selected_action": [story.pk]})
    assert [(call["user"], call["changed_fields"], call["step"].name) for call in spy] == [(editor, [], "publish")]
    story.refresh_from_db()
    assert story.status == S.PUBLISHED


# The version check holds for every caller.


def test_two_service_saves_from_one_version_one_wins(make_article, editor):
    """Two callers that read version n: the first save wins, the second is refused and changes nothing."""
    article = make_article(status=S.DRAFT)
    record_revision(article)
    first, second = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    read_at = first.lock_version
    first.headline = "First"
    stories.save_story(story=first, user=editor, changed_fields=["headline"], expected_version=read_at)
    second.headline = "Second"
    with pytest.raises(stories.StaleStory, match="saved this story"):
        stories.save_story(story=second, user=None, changed_fields=["headline"], expected_version=read_at)
    article.refresh_from_db()
    assert article.headline == "First" and article.lock_version == read_at + 1
    assert article.revisions.count() == 2  # the setup's and the winner's; the refused save left nothing


def test_state_changes_and_system_flags_do_not_count_as_edits(agencies, editor_client, editor):
    """A workflow step, go_live and an agency's 'update available' flag leave the lock and 'last updated by' alone."""
    from articles.services.ingest import receive

    article = receive(read("nitf/harbor-ferry.xml"))[0].article
    editor_client.post(url(article), change_form(editor_client, article, headline="Desk headline"))
    article.refresh_from_db()
    version, updated_by, updated_at = article.lock_version, article.updated_by, article.updated_at
    receive(read("nitf/harbor-ferry-v2.xml"))  # flags "update available"
    perform(article=article, name="submit", user=editor)
    article.refresh_from_db()
    assert (article.lock_version, article.updated_by, article.updated_at) == (version, editor, updated_at)
    assert article.pending_update_id and updated_by == editor
    flag = AuditEntry.objects.get(article=article, action="articles.wire_update_available")
    assert flag.user is None


def test_go_live_is_the_system_not_a_person(make_article, editor):
    """publish_scheduled records the step with no user, and does not touch the story's content version."""
    from articles.services.publishing import publish_due

    story = make_article(status=S.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1), credit_override="X")
    version = story.lock_version
    publish_due()
    story.refresh_from_db()
    entry = AuditEntry.objects.get(article=story, action="articles.go_live")
    assert (story.status, story.lock_version, entry.user) == (S.PUBLISHED, version, None)


def test_agency_update_never_embargoes_a_live_story(agencies, editor, world):
    """A newer version with an embargo, for a story already live, waits as an update; readers keep the story."""
    from articles.services.ingest import receive

    article = receive(read("nitf/harbor-ferry.xml"))[0].article
    article.section, article.headline = world, "Ferry fares rise"
    stories.save_story(story=article, user=editor, expected_version=article.lock_version, step=stories.Step("publish"))
    later = (timezone.now() + timedelta(days=2)).strftime("%Y%m%dT%H%M%SZ")
    embargoed = read("nitf/harbor-ferry-v2.xml").replace(
        b'management-status="usable">', f'management-status="embargoed"><date.release norm="{later}"/>'.encode()
    )
    item = receive(embargoed)[0]
    article.refresh_from_db()
    assert item.outcome == "update_available" and item.data["embargo_until"]
    assert article.embargo_until is None and article.is_public
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_an_embargo_cannot_be_put_on_a_live_story(editor_client, make_article):
    """Setting an embargo on a published story is refused with a reason; the form keeps what was typed."""
    article = make_article(credit_override="Staff")
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    data = change_form(
        editor_client,
        article,
        headline="Typed headline",
        embargo_until_0=later.strftime("%Y-%m-%d"),
        embargo_until_1=later.strftime("%H:%M:%S"),
    )
    response = editor_client.post(url(article), data)
    assert response.status_code == 200
    assert "an embargo would hide it" in response.content.decode()
    assert response.context["adminform"].form["headline"].value() == "Typed headline"
    article.refresh_from_db()
    assert article.embargo_until is None and article.is_public


# One rule for what readers see.


def test_is_public_agrees_with_published(make_article):
    """For every mix of state, publish time, embargo and Trash, the instance and the query give one answer."""
    now = timezone.now()
    times = [None, now - timedelta(hours=1), now + timedelta(hours=1)]
    combinations = list(itertools.product(list(S), times, times, [None, now - timedelta(minutes=1)]))
    for status, published_at, embargo_until, trashed_at in combinations:
        make_article(
            status=status,
            published_at=published_at,
            embargo_until=embargo_until,
            trashed_at=trashed_at,
        )
    public_ids = set(Article.objects.published().values_list("pk", flat=True))
    assert public_ids  # the mix includes stories readers see
    disagreements = [story.pk for story in Article.objects.all() if story.is_public != (story.pk in public_ids)]
    assert disagreements == []
    assert len(public_ids) == sum(1 for story in Article.objects.all() if story.is_public)


def test_the_story_form_shows_its_history(editor_client, editor, make_article):
    """Every save and step is listed on the story's form, newest first, with who did it."""
    article = make_article(status=S.DRAFT, credit_override="Staff")
    editor_client.post(url(article), change_form(editor_client, article, headline="Edited once"))
    perform(article=article, name="publish", user=editor)
    html = editor_client.get(url(article)).content.decode()
    history = html[html.index('id="audit_entries-group"') :]
    assert history.index("publish") < history.index("edited")
    assert "Draft → Published" in history and "editor" in history
