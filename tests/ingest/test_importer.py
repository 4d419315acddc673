"""Versions, duplicates, kills and embargoes: what the importer does to the desk's stories."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section, Status, WireItem
from articles.services.ingest import receive
from articles.services.publishing import perform
from tests.ingest.conftest import WIRE, read
from tests.test_admin import change_form

Outcome = WireItem.Outcome


def ingest(relative):
    return receive(read(relative), filename=relative, base_dir=(WIRE / relative).parent)[0]


def test_same_file_twice_makes_one_article(agencies):
    """The same version again is a duplicate and changes nothing."""
    first, second = ingest("nitf/harbor-ferry.xml"), ingest("nitf/harbor-ferry.xml")
    assert (first.outcome, second.outcome) == (Outcome.CREATED, Outcome.DUPLICATE)
    assert Article.objects.count() == 1 and second.article == first.article
    assert WireItem.objects.count() == 2  # both deliveries are kept


def test_newer_version_updates_an_untouched_draft_in_place(agencies):
    """Version 2 of a draft nobody edited replaces its text, as a new revision."""
    article = ingest("nitf/harbor-ferry.xml").article
    item = ingest("nitf/harbor-ferry-v2.xml")
    article.refresh_from_db()
    assert item.outcome == Outcome.UPDATED and item.article == article
    assert article.headline == "Harbor ferry fares to rise 12% in spring" and article.wire_version == "2"
    assert [r.reason for r in article.revisions.order_by("number")] == ["Wire import v1", "Wire import v2"]
    assert Article.objects.count() == 1


def test_newer_version_flags_an_edited_story_and_keeps_the_desk_text(agencies, editor_client):
    """Once the desk has edited, version 2 waits as 'agency update available' with a diff and an apply button."""
    article = ingest("nitf/harbor-ferry.xml").article
    url = f"/admin/articles/article/{article.pk}/change/"
    editor_client.post(url, change_form(editor_client, article, headline="Desk headline: ferry fares up"))
    item = ingest("nitf/harbor-ferry-v2.xml")
    article.refresh_from_db()
    assert item.outcome == Outcome.UPDATE_AVAILABLE
    assert article.headline == "Desk headline: ferry fares up" and article.pending_update == item

    html = editor_client.get(url).content.decode()
    assert "Agency update available" in html and "<ins>12%</ins>" in html and "Apply update" in html
    editor_client.post(f"/admin/articles/article/{article.pk}/apply-update/")
    article.refresh_from_db()
    assert article.headline == "Harbor ferry fares to rise 12% in spring" and article.pending_update is None
    assert article.revisions.filter(data__headline="Desk headline: ferry fares up").exists()  # nothing lost


def test_older_version_arriving_late_changes_nothing(agencies):
    """Version 1 after version 2 is recorded as older and ignored."""
    ingest("nitf/harbor-ferry.xml")
    ingest("nitf/harbor-ferry-v2.xml")
    late = ingest("nitf/harbor-ferry.xml")
    assert late.outcome == Outcome.STALE
    assert Article.objects.get().headline.endswith("12% in spring")


def test_versions_compare_as_numbers_not_text(agencies):
    """Version 10 is newer than version 9."""
    template = (
        '{"uri": "urn:n:1", "version": "%s", "headline": "v%s", "body_html": "<p>x</p>", "copyrightholder": "dpa"}'
    )
    receive((template % (9, 9)).encode())
    assert receive((template % (10, 10)).encode())[0].outcome == Outcome.UPDATED
    assert receive((template % (9, 9)).encode())[0].outcome == Outcome.STALE
    assert Article.objects.get().headline == "v10"


def test_cancel_withdraws_the_published_story(agencies, editor, client):
    """A canceled NITF withdraws the published story at once: its URL answers 410 with the agency's notice."""
    article = ingest("nitf/harbor-ferry.xml").article
    article.section = __import__("articles.models", fromlist=["Section"]).Section.objects.create(
        name="World", slug="world"
    )
    article.save()
    perform(article=article, name="publish", user=editor)
    article.refresh_from_db()
    public_url = article.get_absolute_url()
    assert client.get(public_url).status_code == 200

    item = ingest("nitf/harbor-ferry-kill.xml")
    article.refresh_from_db()
    assert item.outcome == Outcome.KILLED and article.status == Status.WITHDRAWN
    response = client.get(public_url)
    assert response.status_code == 410 and "KILL: This story has been withdrawn" in response.content.decode()
    assert article.headline not in client.get("/").content.decode()


def test_cancel_of_a_draft_flags_it_killed_for_good(agencies, editor):
    """A killed draft cannot publish, and the wire desk lists the kill."""
    article = ingest("nitf/harbor-ferry.xml").article
    ingest("nitf/harbor-ferry-kill.xml")
    article.refresh_from_db()
    assert article.status == Status.KILLED
    with pytest.raises(Exception, match="cannot be given"):
        perform(article=article, name="publish", user=editor)


def test_embargo_from_the_wire_blocks_publishing(agencies, editor):
    """An embargoed delivery sets embargo_until, and the workflow refuses to publish before it."""
    data = read("nitf/budget-embargoed-latin1.xml").replace(b"20261201T000100Z", b"20991201T000100Z")
    article = receive(data)[0].article
    assert article.embargo_until.year == 2099
    article.section = Section.objects.create(name="UK", slug="uk")
    article.save()
    with pytest.raises(Exception, match="embargoed until"):
        perform(article=article, name="publish", user=editor)


def test_each_story_is_atomic(agencies, monkeypatch):
    """If applying a story fails half-way, nothing of it is left but the kept file and the reason."""
    import articles.services.stories as stories_service

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(stories_service, "record_revision", broken)
    item = ingest("nitf/harbor-ferry.xml")
    assert item.outcome == Outcome.REJECTED and "disk on fire" in item.error
    assert not Article.objects.exists()
    assert WireItem.objects.get().raw


def test_oversized_file_is_refused_and_kept(agencies, settings):
    """Files over WIRE_MAX_BYTES are refused with the sizes, and what arrived is kept."""
    settings.WIRE_MAX_BYTES = 100
    item = ingest("nitf/harbor-ferry.xml")
    assert item.outcome == Outcome.REJECTED and "the limit is 100" in item.error and len(item.raw) == 100


# The command. ---------------------------------------------------------------------------------


def run(*args):
    out = io.StringIO()
    try:
        call_command("ingest_wire", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue()


def test_command_reports_each_file_and_exits_zero_when_all_good(agencies):
    """One line per file, a summary, exit status 0."""
    code, output = run(str(WIRE / "nitf" / "harbor-ferry.xml"), str(WIRE / "ninjs"))
    assert code == 0
    assert "harbor-ferry.xml: created “Harbor ferry fares to rise 10% in spring”" in output
    stories = sorted((WIRE / "ninjs").glob("*.json"))
    assert "dpa_text.json: created" in output and "ninjs3-picture.json: kept" in output
    assert f"{len(stories) + 1} stories: " in output and "rejected" not in output


def test_command_takes_the_channel_and_skips_notes_in_folders(agencies, tmp_path):
    """--agency names the channel; a folder's README, notes and hidden files are not ingested."""
    (tmp_path / "story.json").write_bytes(read("ninjs/dpa_text.json"))
    (tmp_path / "README.md").write_text("# Our wire samples")
    (tmp_path / ".gitattributes").write_text("* -text")
    code, output = run(str(tmp_path), "--agency", "dpa")
    assert code == 0 and "1 stories: 1 created." in output
    assert WireItem.objects.get().channel == agencies["dpa"]
    with pytest.raises(CommandError, match="No agency with the slug “nobody”"):
        call_command("ingest_wire", str(tmp_path), "--agency", "nobody")


def test_command_exits_non_zero_when_a_file_is_rejected(agencies):
    """Rejections are printed with the reason, and the exit status says so."""
    code, output = run(str(WIRE / "hostile"))
    assert code == 1
    assert "xxe.xml: rejected" in output and "billion-laughs.xml: rejected" in output
    assert "external-dtd.xml: created" in output


def test_desk_sees_kills_and_headline_less_copy(agencies, editor_client):
    """Agency kills show on the dashboard; headline-less wire copy has its own quick filter."""
    from tests.conftest import REFERENCE_STORY

    ingest("nitf/harbor-ferry.xml")
    ingest("nitf/harbor-ferry-kill.xml")
    receive(REFERENCE_STORY.read_bytes())
    html = editor_client.get("/admin/").content.decode()
    assert "Agency kills and updates" in html and "Killed: Harbor ferry fares" in html
    listed = editor_client.get("/admin/articles/article/", {"desk": "needs_headline"}).context["cl"].result_list
    assert [article.wire_service.credit for article in listed] == ["Kyodo"]


def test_apply_update_from_the_wire_desk(agencies, editor_client):
    """The wire desk's action applies a waiting agency update to its edited story."""
    article = ingest("nitf/harbor-ferry.xml").article
    url = f"/admin/articles/article/{article.pk}/change/"
    editor_client.post(url, change_form(editor_client, article, headline="Desk headline"))
    item = ingest("nitf/harbor-ferry-v2.xml")
    editor_client.post("/admin/articles/wireitem/", {"action": "apply_updates", "_selected_action": [item.pk]})
    article.refresh_from_db()
    assert article.headline.endswith("12% in spring") and article.pending_update is None
    assert WireItem.objects.get(pk=item.pk).outcome == Outcome.UPDATED


def test_kill_before_the_story_keeps_it_dead(agencies):
    """A kill that overtakes the story it kills: the late story arrives as an older version and stays killed."""
    kill = ingest("nitf/harbor-ferry-kill.xml")
    late = ingest("nitf/harbor-ferry.xml")
    assert kill.outcome == Outcome.KILLED and late.outcome == Outcome.STALE
    assert Article.objects.get().status == Status.KILLED
