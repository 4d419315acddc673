"""
Who may see what on the desk, over real HTTP, and odd input that must never
give a 500. The rule (ArticleQuerySet.visible_to): editors see every story;
reporters see their own, and the desk's work from review onwards unless it is
embargoed; paywall managers see what readers see.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Image, Status
from articles.services.revisions import record_revision
from tests.conftest import png_bytes
from tests.ingest.conftest import read
from tests.test_admin import change_form

CHANGELIST = "/admin/articles/article/"


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


@pytest.fixture
def desk(make_article, reporter, django_user_model):
    """One story of each kind a reporter or paywall manager might try to read."""
    colleague = django_user_model.objects.create_user("colleague", is_staff=True)
    later = timezone.now() + timedelta(days=1)
    return {
        "own_draft": make_article(headline="My own draft", status=Status.DRAFT, published_at=None, created_by=reporter),
        "their_draft": make_article(
            headline="The colleague draft", status=Status.DRAFT, published_at=None, created_by=colleague
        ),
        "in_review": make_article(headline="Waiting for review", status=Status.IN_REVIEW, published_at=None),
        "embargoed": make_article(
            headline="Embargoed results", status=Status.IN_REVIEW, published_at=None, embargo_until=later
        ),
        "published": make_article(headline="Out to readers"),
    }


SEES = {
    "reporter": {"own_draft", "in_review", "published"},
    "editor": {"own_draft", "their_draft", "in_review", "embargoed", "published"},
}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_its_share_of_the_desk(client, desk, role, request):
    """The list, the change page, the preview and the revisions all follow the one rule."""
    client.force_login(request.getfixturevalue(role))
    listing = client.get(CHANGELIST).content.decode()
    for key, story in desk.items():
        record_revision(story)
        visible = key in SEES[role]
        assert (story.headline in listing) == visible, key
        change = client.get(url(story))
        assert (change.status_code == 200) == visible, key
        if not visible:
            assert change.status_code == 302 and change.url == "/admin/"
        assert (client.get(url(story, "preview/")).status_code == 200) == visible, key
        assert (client.get(url(story, "revisions/")).status_code == 200) == visible, key
        assert (client.get(url(story, "revisions/1/")).status_code == 200) == visible, key


def test_a_paywall_manager_opens_no_story_on_the_desk(client, desk, paywall_manager):
    """Paywall managers work on prompts: every story page of the desk answers 403."""
    client.force_login(paywall_manager)
    assert client.get(CHANGELIST).status_code == 403
    for story in desk.values():
        record_revision(story)
        for suffix in ["change/", "preview/", "revisions/", "revisions/1/"]:
            assert client.get(url(story, suffix)).status_code in (403, 404), suffix
        assert client.get(url(story)).status_code == 403


def test_reporter_cannot_restore_or_share_what_they_cannot_see(client, reporter, desk):
    """Posting to a hidden story's desk buttons gives 404, and changes nothing."""
    client.force_login(reporter)
    story = desk["their_draft"]
    record_revision(story)
    for suffix in ["revisions/1/restore/", "share-preview/", "take-over/", "revoke-previews/"]:
        assert client.post(url(story, suffix)).status_code == 404, suffix


# Restoring a revision that points at something gone is a clear refusal, not a 500.


def test_restoring_a_revision_whose_picture_was_deleted_says_why(editor_client, make_article):
    """The lead image of the old revision was deleted since: the desk is told, the story is unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    old, new = (
        Image.objects.create(file=SimpleUploadedFile(f"{name}.png", png_bytes()), alt_text=name)
        for name in ("old", "new")
    )
    article = make_article(status=Status.DRAFT, lead_image=old)
    record_revision(article)
    editor_client.post(url(article), change_form(editor_client, article, lead_image=new.pk))
    old.delete()
    response = editor_client.post(url(article, "revisions/1/restore/"), follow=True)
    assert response.status_code == 200
    assert "was not restored" in response.content.decode() and "lead image" in response.content.decode()
    article.refresh_from_db()
    assert article.lead_image == new


def test_restoring_a_slug_another_story_now_has_says_why(editor_client, make_article):
    """The old revision's slug belongs to another story now: a clear message, no 500, nothing changed."""
    article = make_article(status=Status.DRAFT, published_at=None, slug="first-slug")
    record_revision(article)
    editor_client.post(url(article), change_form(editor_client, article, slug="second-slug"))
    make_article(slug="first-slug")
    response = editor_client.post(url(article, "revisions/1/restore/"), follow=True)
    assert response.status_code == 200 and "is now another story" in response.content.decode()
    article.refresh_from_db()
    assert article.slug == "second-slug"


# The story list with hostile or careless input.


def test_a_search_of_two_thousand_words_is_answered(editor_client, make_article):
    """A pasted essay in the search box is cut to its first words, with a note; never a 500."""
    make_article(headline="Ferry fares rise")
    words = " ".join(["ferry"] + [f"word{number}" for number in range(2000)])
    response = editor_client.get(CHANGELIST, {"q": words})
    assert response.status_code == 200
    assert "Only the first 12 words were searched for." in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"published_at__year": "9" * 20},
        {"published_at__year": "2026", "published_at__month": "99999999999999999999"},
        {"published_at__year": "-1"},
        {"published_at__year": "abc"},
        {"published_at__year": "²"},
        {"published_at__year": "٢٠٢٦"},
        {"published_at__year": "2026", "published_at__month": "2", "published_at__day": "31"},
    ],
)
def test_impossible_dates_in_the_list_are_answered(editor_client, make_article, query):
    """A date-hierarchy year of twenty digits (and other impossible dates) is dropped or refused, never a 500."""
    make_article()
    response = editor_client.get(CHANGELIST, query, follow=True)
    assert response.status_code == 200


def test_agency_update_diff_escapes_once(agencies, editor_client):
    """'fuel & labor' in the agency's update reads as '&', not as '&amp;amp;', in the desk's diff."""
    from articles.services.ingest import receive

    article = receive(read("nitf/harbor-ferry.xml"))[0].article
    editor_client.post(url(article), change_form(editor_client, article, headline="Desk headline"))
    receive(read("nitf/harbor-ferry-v2.xml"))
    html = editor_client.get(url(article)).content.decode()
    notice = html[html.index('class="desk-notice wire-update"') : html.index("Apply update")]
    assert "&amp;amp;" not in notice and "fuel &amp; labor" in notice
