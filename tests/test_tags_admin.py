"""The tag list on the desk: rename, merge and delete, through the admin's real pages and posts."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from taggit.models import Tag

from articles.models import AuditEntry, Revision, Status

TAGS = "/admin/taggit/tag/"


def change_url(tag):
    return f"{TAGS}{tag.pk}/change/"


def delete_url(tag):
    return f"{TAGS}{tag.pk}/delete/"


def latest_revision(story):
    return Revision.objects.filter(article=story).order_by("-number").first()


def merge(client, tags, **confirm):
    """The merge action: the first post asks, the second (with `confirm`) merges."""
    data = {"action": "merge_selected", ACTION_CHECKBOX_NAME: [tag.pk for tag in tags]}
    if confirm:
        data.update(post="yes", **confirm)
    else:
        data["index"] = "0"
    return client.post(TAGS, data)


@pytest.fixture
def tags(db):
    return {name: Tag.objects.create(name=name) for name in ["Tokio", "Tokyo", "Osaka"]}


# Who may reach the tag list.


def test_reporter_cannot_reach_the_tag_list(client, reporter, tags):
    """A reporter gets 403 on the list, a tag's page, a rename, the merge action and a delete."""
    client.force_login(reporter)
    tag = tags["Tokio"]
    assert client.get(TAGS).status_code == 403
    assert client.get(change_url(tag)).status_code == 403
    assert client.post(change_url(tag), {"name": "Tokyo-to"}).status_code == 403
    assert merge(client, [tags["Tokio"], tags["Tokyo"]]).status_code == 403
    assert merge(client, [tags["Tokio"], tags["Tokyo"]], into=str(tags["Tokyo"].pk)).status_code == 403
    assert client.post(delete_url(tag), {"post": "yes"}).status_code == 403
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Osaka", "Tokio", "Tokyo"]


def test_reporter_is_not_shown_the_tag_list(client, reporter):
    """The desk's index offers reporters no link to the tag list."""
    client.force_login(reporter)
    assert TAGS not in client.get("/admin/").content.decode()


def test_paywall_manager_posting_merge_is_refused(client, paywall_manager, tags, make_article):
    """A paywall manager, who holds no tag permission, gets a 403 from the merge action, never a 500."""
    story = make_article(tags=["Tokio"])
    client.force_login(paywall_manager)
    assert merge(client, [tags["Tokio"], tags["Tokyo"]]).status_code == 403
    assert merge(client, [tags["Tokio"], tags["Tokyo"]], into=str(tags["Tokyo"].pk)).status_code == 403
    assert list(story.tags.names()) == ["Tokio"]


# The list.


def test_editor_sees_name_slug_and_story_count(editor_client, tags, make_article):
    """The list shows each tag's name, slug and how many stories carry it, and searches by name."""
    make_article(tags=["Tokyo", "Osaka"])
    make_article(tags=["Tokyo"])
    response = editor_client.get(TAGS)
    assert response.status_code == 200
    rows = {tag.name: tag.story_count for tag in response.context["cl"].result_list}
    assert rows == {"Osaka": 1, "Tokio": 0, "Tokyo": 2}
    html = response.content.decode()
    assert "tokyo" in html and "Merge selected tags" in html
    found = editor_client.get(TAGS, {"q": "tok"}).context["cl"].result_list
    assert sorted(tag.name for tag in found) == ["Tokio", "Tokyo"]


def test_tags_are_not_added_from_the_tag_list(editor_client, db):
    """Tags come from tagging stories; the list has no add page."""
    assert editor_client.get(f"{TAGS}add/").status_code == 403


# Renaming.


def test_editor_rename_records_a_revision_on_published_stories(editor_client, editor, tags, make_article):
    """Renaming a tag makes a revision of each published story carrying it, its snapshot showing the new name."""
    published = make_article(tags=["Tokio", "Osaka"])
    draft = make_article(tags=["Tokio"], status=Status.DRAFT)
    untouched = make_article(tags=["Osaka"])

    response = editor_client.post(change_url(tags["Tokio"]), {"name": "Tōkyō"})

    assert response.status_code == 302
    tag = Tag.objects.get(pk=tags["Tokio"].pk)
    assert (tag.name, tag.slug) == ("Tōkyō", "tōkyō")
    revision = latest_revision(published)
    assert revision.data["tags"] == ["Osaka", "Tōkyō"]
    assert revision.reason == "Tag “Tokio” renamed to “Tōkyō”"
    assert revision.user == editor
    entry = AuditEntry.objects.get(article=published, action="articles.tag_renamed")
    assert entry.user == editor
    assert entry.data == {"tag": tag.pk, "old_name": "Tokio", "new_name": "Tōkyō"}
    # The draft carries the new name too, with no history written for it; the other story is untouched.
    assert list(draft.tags.names()) == ["Tōkyō"]
    assert not Revision.objects.filter(article__in=[draft, untouched]).exists()
    assert not AuditEntry.objects.filter(article__in=[draft, untouched]).exists()


def test_rename_to_another_tags_name_is_a_form_error(editor_client, tags, make_article):
    """A name another tag has (in any case) is refused on the form, offering to merge; nothing changes."""
    story = make_article(tags=["Tokio"])
    response = editor_client.post(change_url(tags["Tokio"]), {"name": "TOKYO"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["name"]
    assert "Another tag is already called “Tokyo”" in errors[0]
    both = f"{TAGS}?id__in={tags['Tokyo'].pk},{tags['Tokio'].pk}"
    assert f'<a href="{both}">' in response.content.decode()
    assert sorted(tag.name for tag in editor_client.get(both).context["cl"].result_list) == ["Tokio", "Tokyo"]
    assert Tag.objects.get(pk=tags["Tokio"].pk).name == "Tokio"
    assert not Revision.objects.filter(article=story).exists()


def test_rename_changing_only_the_case_is_allowed(editor_client, tags):
    """“Tokio” may become “TOKIO”: it is still the same tag."""
    response = editor_client.post(change_url(tags["Tokio"]), {"name": "TOKIO"})
    assert response.status_code == 302
    assert Tag.objects.get(pk=tags["Tokio"].pk).name == "TOKIO"


def test_rename_to_a_taken_slug_gets_a_free_one(editor_client, db):
    """A new name whose slug another tag holds gets taggit's numbered slug, not an error."""
    Tag.objects.create(name="C", slug="c")
    sharp = Tag.objects.create(name="C sharp")
    response = editor_client.post(change_url(sharp), {"name": "C#"})
    assert response.status_code == 302
    assert Tag.objects.get(pk=sharp.pk).slug == "c_1"


def test_saving_an_unchanged_name_records_nothing(editor_client, tags, make_article):
    """Saving a tag's page without changing the name makes no revision."""
    story = make_article(tags=["Tokio"])
    assert editor_client.post(change_url(tags["Tokio"]), {"name": "Tokio"}).status_code == 302
    assert not Revision.objects.filter(article=story).exists()


def test_long_names_fit_the_revision_reason(editor_client, make_article):
    """Two 100-character names make a reason longer than a revision holds: it is shortened, not refused."""
    Tag.objects.create(name="a" * 100)
    story = make_article(tags=["a" * 100])
    tag = Tag.objects.get(name="a" * 100)
    assert editor_client.post(change_url(tag), {"name": "b" * 100}).status_code == 302
    reason = latest_revision(story).reason
    assert len(reason) <= 200 and reason.startswith("Tag “aaa")


# Merging.


def test_merge_asks_which_tag_to_keep(editor_client, tags, make_article):
    """The merge action first shows a page naming the tags, with the most used one chosen to keep."""
    make_article(tags=["Tokyo"])
    make_article(tags=["Tokyo", "Tokio"])
    response = merge(editor_client, [tags["Tokio"], tags["Tokyo"]])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tokio (1 story)" in html and "Tokyo (2 stories)" in html
    assert response.context["form"]["into"].initial == str(tags["Tokyo"].pk)
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Osaka", "Tokio", "Tokyo"]


def test_editor_merges_two_tags(editor_client, editor, tags, make_article):
    """Every story carrying either tag carries the kept one exactly once; the other is deleted; revisions record it."""
    both = make_article(tags=["Tokio", "Tokyo", "Osaka"])
    old_only = make_article(tags=["Tokio"])
    kept_only = make_article(tags=["Tokyo"])
    draft = make_article(tags=["Tokio"], status=Status.DRAFT)

    response = merge(editor_client, [tags["Tokio"], tags["Tokyo"]], into=str(tags["Tokyo"].pk))

    assert response.status_code == 302
    assert not Tag.objects.filter(pk=tags["Tokio"].pk).exists()
    for story in [both, old_only, kept_only, draft]:
        assert story.tags.filter(name="Tokyo").count() == 1
        assert "Tokio" not in story.tags.names()
    assert sorted(both.tags.names()) == ["Osaka", "Tokyo"]
    for story in [both, old_only]:
        revision = latest_revision(story)
        assert "Tokyo" in revision.data["tags"] and "Tokio" not in revision.data["tags"]
        assert revision.reason == "Tags “Tokio” merged into “Tokyo”"
        assert revision.user == editor
        assert AuditEntry.objects.get(article=story, action="articles.tags_merged").data["into"] == "Tokyo"
    # A story that already had only the kept tag did not change; a draft changes with no history.
    assert not Revision.objects.filter(article__in=[kept_only, draft]).exists()
    assert not AuditEntry.objects.filter(article__in=[kept_only, draft]).exists()
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Merged “Tokio” into “Tokyo”."]


def test_merge_into_a_new_name(editor_client, tags, make_article):
    """Typing a new name merges the selected tags into a new tag of that name."""
    story = make_article(tags=["Tokio", "Tokyo"])
    response = merge(editor_client, [tags["Tokio"], tags["Tokyo"]], into="new", new_name="Tokyo Metropolis")
    assert response.status_code == 302
    assert list(story.tags.names()) == ["Tokyo Metropolis"]
    assert not Tag.objects.filter(name__in=["Tokio", "Tokyo"]).exists()
    assert latest_revision(story).data["tags"] == ["Tokyo Metropolis"]


def test_merge_into_the_name_of_an_existing_tag_uses_it(editor_client, tags, make_article):
    """A typed name another tag has (in any case) merges into that tag rather than making a twin."""
    story = make_article(tags=["Tokio", "Tokyo"])
    osaka = make_article(tags=["Osaka"])
    response = merge(editor_client, [tags["Tokio"], tags["Tokyo"]], into="new", new_name="osaka")
    assert response.status_code == 302
    assert list(story.tags.names()) == ["Osaka"]
    assert Tag.objects.get(name="Osaka").pk == tags["Osaka"].pk
    assert not Revision.objects.filter(article=osaka).exists()


def test_merge_without_a_choice_asks_again(editor_client, tags):
    """Choosing “a new name” with no name shows the page again with the error; nothing merges."""
    response = merge(editor_client, [tags["Tokio"], tags["Tokyo"]], into="new", new_name=" ")
    assert response.status_code == 200
    assert response.context["form"].errors["new_name"] == ["Type the name of the tag they become."]
    assert Tag.objects.count() == 3


def test_merge_needs_two_tags(editor_client, tags):
    """Selecting one tag is answered with a message, not a merge page."""
    response = merge(editor_client, [tags["Tokio"]])
    assert response.status_code == 302
    assert Tag.objects.count() == 3


# Deleting.


def test_editor_deletes_a_tag_through_the_service(editor_client, editor, tags, make_article):
    """Deleting a tag takes it off its stories; each published one gets a revision without it."""
    published = make_article(tags=["Tokio", "Osaka"])
    draft = make_article(tags=["Tokio"], status=Status.DRAFT)
    page = editor_client.get(delete_url(tags["Tokio"]))
    assert page.status_code == 200
    response = editor_client.post(delete_url(tags["Tokio"]), {"post": "yes"})
    assert response.status_code == 302
    assert not Tag.objects.filter(name="Tokio").exists()
    revision = latest_revision(published)
    assert revision.data["tags"] == ["Osaka"]
    assert revision.reason == "Tag “Tokio” deleted"
    assert AuditEntry.objects.get(article=published, action="articles.tag_deleted").user == editor
    assert list(draft.tags.names()) == []
    assert not Revision.objects.filter(article=draft).exists()


def test_bulk_delete_makes_one_revision_per_story(editor_client, tags, make_article):
    """Deleting several tags at once gives a story carrying two of them one revision naming both."""
    story = make_article(tags=["Tokio", "Tokyo", "Osaka"])
    data = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [tags["Tokio"].pk, tags["Tokyo"].pk]}
    assert editor_client.post(TAGS, {**data, "index": "0"}).status_code == 200  # the confirmation page
    response = editor_client.post(TAGS, {**data, "post": "yes"})
    assert response.status_code == 302
    assert list(story.tags.names()) == ["Osaka"]
    assert Revision.objects.filter(article=story).count() == 1
    assert latest_revision(story).reason == "Tags “Tokio”, “Tokyo” deleted"


def test_a_story_form_opened_before_a_rename_cannot_put_the_old_tag_back(editor_client, tags, make_article):
    """The rename counts as an edit of each story carrying the tag: an older open form is refused, not saved."""
    from tests.test_admin import change_form

    story = make_article(tags=["Tokio"], status=Status.DRAFT)
    opened = change_form(editor_client, story)  # the form as it was before the rename, tag "Tokio" in it
    editor_client.post(change_url(tags["Tokio"]), {"name": "Tōkyō"})
    response = editor_client.post(f"/admin/articles/article/{story.pk}/change/", opened)
    assert response.status_code == 200 and "after you opened it" in response.content.decode()
    assert list(story.tags.names()) == ["Tōkyō"]
    assert not Tag.objects.filter(name="Tokio").exists()
