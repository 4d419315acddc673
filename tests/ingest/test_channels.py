"""
Whose story it is: the delivery channel names the agency, the file refines it
only where the desk allows, unknown agencies wait as drafts, and identifiers
are found or made so that every delivery deduplicates.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, AuditEntry, Status, WireItem, WireMapping, WireService
from articles.services.ingest import receive
from tests.ingest.conftest import read

Outcome = WireItem.Outcome


def ninjs(guid="urn:x:1", version="1", headline="Far away", **fields):
    """A small ninjs 1.x story; `fields` may name its agency (copyrightholder, provider…)."""
    import json

    return json.dumps({"uri": guid, "version": version, "headline": headline, "body_html": "<p>Text.</p>", **fields})


def test_unknown_agency_waits_as_a_draft_until_the_desk_maps_it(editor_client, agencies):
    """An unrecognised agency's story is kept as a flagged draft; mapping the name in the admin credits it."""
    item = receive(ninjs(copyrightholder="Northwind Wire").encode(), filename="northwind.json")[0]
    assert item.outcome == Outcome.CREATED and item.wire_service is None
    draft = item.article
    assert (draft.wire_service, draft.wire_source, draft.status) == (None, "Northwind Wire", Status.DRAFT)
    assert "credit" in str(draft.publishing_problems())  # cannot publish without a credit
    dashboard = editor_client.get("/admin/").content.decode()
    assert "Agency unknown" in dashboard and "Far away" in dashboard
    listing = editor_client.get("/admin/articles/article/", {"desk": "agency_unknown"}).context["cl"]
    assert [story.pk for story in listing.result_list] == [draft.pk]

    response = editor_client.post(
        "/admin/articles/wiremapping/add/",
        {"kind": "agency", "code": "northwind wire", "wire_service": agencies["kyodo"].pk, "tag": ""},
        follow=True,
    )
    assert "1 draft waiting under “northwind wire” now has its agency." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.wire_service, draft.wire_source, draft.credit_line) == (agencies["kyodo"], "", "Kyodo")
    assert AuditEntry.objects.filter(article=draft, action="articles.agency_mapped").exists()
    # The next version of the same story now finds it under the agency.
    assert receive(ninjs(version="2", copyrightholder="Northwind Wire").encode())[0].article == draft


def test_unknown_agency_redeliveries_deduplicate(agencies):
    """The same unknown agency's story delivered twice is one draft."""
    first = receive(ninjs(copyrightholder="Northwind Wire").encode())[0]
    again = receive(ninjs(copyrightholder="Northwind Wire").encode())[0]
    assert again.outcome == Outcome.DUPLICATE and again.article == first.article


def test_a_channel_credits_its_own_agency(agencies):
    """A file that names no agency, on Kyodo's channel, is Kyodo's."""
    item = receive(ninjs().encode(), channel=agencies["kyodo"])[0]
    assert item.outcome == Outcome.CREATED and item.article.credit_line == "Kyodo"
    assert (item.channel, item.wire_service) == (agencies["kyodo"], agencies["kyodo"])


def test_a_channel_may_carry_only_the_agencies_it_distributes(agencies):
    """Kyodo's channel carries Jiji only once the desk allows it; any other agency is refused and kept."""
    jiji = WireService.objects.get(slug="jiji")  # one of a fresh install's agencies
    data = ninjs(copyrightholder="Jiji Press").encode()
    refused = receive(data, channel=agencies["kyodo"])[0]
    assert refused.outcome == Outcome.REJECTED and "may not deliver" in refused.error
    assert bytes(refused.raw) == data and not Article.objects.exists()
    agencies["kyodo"].distributes.add(jiji)
    taken = receive(data, channel=agencies["kyodo"])[0]
    assert taken.outcome == Outcome.CREATED and taken.article.credit_line == "Jiji"


def test_a_channel_cannot_act_on_another_agencys_story(agencies):
    """A kill on Kyodo's channel carrying AP's GUID is refused: AP's story stays published."""
    story = receive(read("nitf/harbor-ferry.xml"))[0].article  # AP's, by the file
    Article.objects.filter(pk=story.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    kill = receive(read("nitf/harbor-ferry-kill.xml"), channel=agencies["kyodo"])[0]
    assert kill.outcome == Outcome.REJECTED
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert receive(read("nitf/harbor-ferry-kill.xml"), channel=agencies["ap"])[0].outcome == Outcome.KILLED


def test_the_upload_form_names_the_channel(editor_client, agencies):
    """The admin's import page has an agency choice, which acts as the channel."""
    editor_client.post(
        "/admin/articles/wireitem/upload/",
        {"files": [SimpleUploadedFile("story.json", ninjs().encode())], "channel": agencies["kyodo"].pk},
    )
    item = WireItem.objects.get()
    assert (item.channel, item.wire_service, item.outcome) == (agencies["kyodo"], agencies["kyodo"], "created")


def test_a_story_without_identifier_gets_a_stable_one(agencies):
    """No GUID: a hash of agency, headline and first-created time is recorded, and a redelivery is a duplicate."""
    data = read("hostile/no-guid.json")
    first = receive(data)[0]
    assert first.outcome == Outcome.CREATED and first.guid_derived and first.guid.startswith("derived:")
    again = receive(data)[0]
    assert (again.outcome, again.guid, again.article) == (Outcome.DUPLICATE, first.guid, first.article)


def test_a_kill_outlives_its_story(editor_client, agencies):
    """After a killed story is purged from the Trash, a late older version does not bring it back."""
    receive(read("nitf/harbor-ferry.xml"))
    killed = receive(read("nitf/harbor-ferry-kill.xml"))[0].article
    editor_client.post(f"/admin/articles/article/{killed.pk}/delete/", {"post": "yes"})
    Article.objects.filter(pk=killed.pk).update(trashed_at=timezone.now() - timedelta(days=60))
    call_command("purge_trash", "--older-than", "30")
    assert not Article.objects.exists()
    late = receive(read("nitf/harbor-ferry.xml"))[0]
    assert late.outcome == Outcome.STALE and "killed this story earlier" in late.error
    assert not Article.objects.exists()


def test_default_agencies_and_their_japanese_names_are_mapped(db):
    """A fresh install knows the agencies a Japanese paper takes, under English and Japanese names."""
    expected = {
        "共同": "kyodo", "共同通信": "kyodo", "Kyodo News": "kyodo",
        "時事": "jiji", "時事通信": "jiji",
        "AP": "ap", "Associated Press": "ap", "ロイター": "reuters", "nprov:REUTERS": "reuters",
        "AFP": "afp", "dpa": "dpa", "EFE": "efe", "Yonhap": "yonhap", "聯合ニュース": "yonhap",
        "Xinhua": "xinhua", "新華社": "xinhua",
    }  # fmt: skip
    from articles.ingest.mapping import Mapper

    mapper = Mapper()
    found = {code: getattr(mapper.agency_for([code]), "slug", None) for code in expected}
    assert found == expected
    assert WireMapping.objects.filter(code="共同通信").exists()  # editable mappings, not code


def test_the_agencys_note_to_editors_shows_on_the_story_form(editor_client, agencies):
    """An agency's note to editors, kept on its wire item, is shown on the desk's story form."""
    story = receive(ninjs(copyrightholder="Kyodo News").encode())[0].article
    WireItem.objects.filter(article=story).update(ed_note="Corrects spelling of the minister's name.")
    html = editor_client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "Note from Kyodo News to editors" in html and "Corrects spelling" in html
