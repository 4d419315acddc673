"""The picture library on the desk: protected deletes, and who may change a picture readers see."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import AuditEntry, Image, Status
from tests.conftest import png_bytes

IMAGES = "/admin/articles/image/"


def change_url(image):
    return f"{IMAGES}{image.pk}/change/"


def delete_url(image):
    return f"{IMAGES}{image.pk}/delete/"


def story_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def upload(name="new.png", colour="#993366"):
    return SimpleUploadedFile(name, png_bytes(colour=colour), content_type="image/png")


def image_form(image, **overrides):
    """The change form as the browser posts it back: no file unless one is chosen."""
    return {
        "alt_text": image.alt_text,
        "caption": image.caption,
        "credit": image.credit,
        "wire_service": image.wire_service_id or "",
        **overrides,
    }


@pytest.fixture
def make_image(db):
    def make(name="old.png", **fields):
        fields.setdefault("alt_text", "Ministers shake hands")
        return Image.objects.create(file=upload(name, colour="#336699"), **fields)

    return make


@pytest.fixture
def picture(make_image):
    return make_image()


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


# Deleting: a picture any story uses is protected, and the page says by which stories.


def test_deleting_an_image_in_use_lists_its_stories(editor_client, picture, make_article):
    """The delete page names each story using the picture (the Trash included), linked to its form."""
    live = make_article(headline="Ministers meet", lead_image=picture)
    trashed = make_article(headline="Old summit", lead_image=picture, trashed_at=timezone.now())
    make_article(headline="Unrelated")

    response = editor_client.get(delete_url(picture))

    assert response.status_code == 200
    html = response.content.decode()
    assert "it is used by these stories" in html
    assert f'<a href="{story_url(live)}">Ministers meet</a> (Published)' in html
    assert f'<a href="{story_url(trashed)}">Old summit</a> (Published, in the Trash)' in html
    assert "Unrelated" not in html
    assert 'name="post"' not in html  # no button to confirm


def test_posting_a_delete_of_an_image_in_use_deletes_nothing(editor_client, picture, make_article):
    """Posting the confirmation anyway shows the same refusal and keeps the picture."""
    make_article(lead_image=picture, status=Status.DRAFT)
    response = editor_client.post(delete_url(picture), {"post": "yes"})
    assert response.status_code == 200
    assert "it is used by these stories" in response.content.decode()
    assert Image.objects.filter(pk=picture.pk).exists()


def test_bulk_delete_with_an_image_in_use_is_refused(editor_client, make_image, make_article):
    """The delete action refuses the whole selection, listing each story and which picture it uses."""
    used, unused = make_image("used.png", alt_text="Used"), make_image("unused.png", alt_text="Unused")
    story = make_article(headline="Ministers meet", lead_image=used, trashed_at=timezone.now())
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [used.pk, unused.pk]}

    page = editor_client.post(IMAGES, {**data, "index": "0"})
    confirmed = editor_client.post(IMAGES, {**data, "post": "yes"})

    for response in [page, confirmed]:
        assert response.status_code == 200
        html = response.content.decode()
        assert "cannot be deleted while they are used by these stories" in html
        assert f'<a href="{story_url(story)}">Ministers meet</a> (Published, in the Trash) — lead image: Used' in html
    assert Image.objects.filter(pk__in=[used.pk, unused.pk]).count() == 2


def test_an_unused_image_deletes(editor_client, make_image):
    """A picture no story uses deletes, singly and in bulk."""
    one, two, three = make_image("1.png"), make_image("2.png"), make_image("3.png")
    assert editor_client.post(delete_url(one), {"post": "yes"}).status_code == 302
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [two.pk, three.pk], "post": "yes"}
    assert editor_client.post(IMAGES, data).status_code == 302
    assert not Image.objects.exists()


# Changing a picture a published story shows: editors only, recorded on every story showing it.


def test_reporter_sees_a_published_storys_image_read_only(reporter_client, picture, make_article):
    """A reporter opening a picture a published story shows gets it read-only, with the reason."""
    story = make_article(lead_image=picture)
    response = reporter_client.get(change_url(picture))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' not in html and 'name="caption"' not in html and 'name="_save"' not in html
    assert "only an editor may change it" in html
    assert story_url(story) not in html  # which stories use it is the desk's to see


def test_reporter_cannot_replace_a_published_storys_image(reporter_client, picture, make_article):
    """A reporter's post replacing the file is refused (403) and the file stays as it was."""
    story = make_article(lead_image=picture)
    before = picture.file.name
    response = reporter_client.post(change_url(picture), image_form(picture, file=upload()))
    assert response.status_code == 403
    picture.refresh_from_db()
    assert picture.file.name == before
    assert not AuditEntry.objects.filter(article=story).exists()


def test_reporter_cannot_edit_the_caption_of_a_published_storys_image(reporter_client, picture, make_article):
    """Alt text and caption of a picture readers see are the desk's too: refused, unchanged."""
    make_article(lead_image=picture)
    response = reporter_client.post(change_url(picture), image_form(picture, caption="Changed", alt_text="Changed"))
    assert response.status_code == 403
    picture.refresh_from_db()
    assert (picture.caption, picture.alt_text) == ("", "Ministers shake hands")


def test_editor_replaces_the_file_and_every_story_showing_it_records_it(editor_client, editor, picture, make_article):
    """An editor's new file is saved, and each story using the picture, published or not, gets an audit entry."""
    published = make_article(lead_image=picture)
    draft = make_article(lead_image=picture, status=Status.DRAFT)
    other = make_article()
    before = picture.file.name

    response = editor_client.post(change_url(picture), image_form(picture, file=upload("replacement.png")))

    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.file.name != before and "replacement" in picture.file.name
    assert picture.file.storage.exists(before)  # the old file is kept for the record
    for story in [published, draft]:
        entry = AuditEntry.objects.get(article=story, action="articles.image_replaced")
        assert entry.user == editor
        assert entry.data["image"] == picture.pk
        assert (entry.data["old_file"], entry.data["new_file"]) == (before, picture.file.name)
    assert not AuditEntry.objects.filter(article=other).exists()


def test_editor_caption_change_is_recorded_on_the_stories(editor_client, editor, picture, make_article):
    """An editor's caption and alt-text edit is audited as “articles.image_changed”, with before and after."""
    story = make_article(lead_image=picture)
    response = editor_client.post(change_url(picture), image_form(picture, caption="Leaders meet", alt_text="Two men"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(article=story, action="articles.image_changed")
    assert entry.user == editor
    assert entry.data["image"] == picture.pk
    assert entry.data["changes"] == {"alt_text": ["Ministers shake hands", "Two men"], "caption": ["", "Leaders meet"]}


def test_editor_sees_the_stories_using_an_image(editor_client, picture, make_article):
    """The change form lists the stories whose lead image it is, and warns that one is published."""
    story = make_article(headline="Ministers meet", lead_image=picture)
    html = editor_client.get(change_url(picture)).content.decode()
    assert f'<a href="{story_url(story)}">Ministers meet</a> (Published)' in html
    assert "A published story shows this picture" in html
    assert 'type="file"' in html


def test_reporter_edits_an_image_no_published_story_uses(reporter_client, reporter, picture, make_article):
    """A picture only drafts use is the reporter's to change: new file and caption save, audited on the draft."""
    draft = make_article(lead_image=picture, status=Status.DRAFT, created_by=reporter)
    response = reporter_client.post(change_url(picture), image_form(picture, file=upload(), caption="New"))
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.caption == "New" and "new" in picture.file.name
    assert AuditEntry.objects.get(article=draft, action="articles.image_replaced").user == reporter


def test_reporter_edits_an_unused_image(reporter_client, picture):
    """A picture no story uses is the reporter's to change, with no audit entry anywhere."""
    response = reporter_client.post(change_url(picture), image_form(picture, file=upload(), credit="Jane Doe"))
    assert response.status_code == 302
    picture.refresh_from_db()
    assert picture.credit == "Jane Doe"
    assert not AuditEntry.objects.exists()


def test_reporter_adds_an_image(reporter_client):
    """Reporters still upload new pictures."""
    data = {"file": upload(), "alt_text": "A harbour", "caption": "", "credit": "", "wire_service": ""}
    response = reporter_client.post(f"{IMAGES}add/", data)
    assert response.status_code == 302
    assert Image.objects.get().alt_text == "A harbour"
