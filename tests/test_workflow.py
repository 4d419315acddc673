"""The publishing workflow, through the admin's forms and the workflow service."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from articles.models import AuditEntry, Image, Status
from articles.services.publishing import perform
from tests.test_admin import change_form

S = Status
CHANGELIST = "/admin/articles/article/"


def url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def local_parts(moment):
    local = timezone.localtime(moment)
    return {"publish_at_0": local.strftime("%Y-%m-%d"), "publish_at_1": local.strftime("%H:%M:%S")}


@pytest.fixture
def story(make_article, reporter):
    """A complete staff story by the reporter, in whatever state a test puts it."""

    def make(status, **fields):
        published_at = fields.pop("published_at", None)
        if status in (S.PUBLISHED, S.WITHDRAWN) and published_at is None:
            published_at = timezone.now() - timedelta(hours=1)
        if status == S.SCHEDULED and published_at is None:
            published_at = timezone.now() + timedelta(hours=1)
        fields.setdefault("created_by", reporter)
        fields.setdefault("credit_override", "Staff reporter")
        return make_article(status=status, published_at=published_at, **fields)

    return make


# The matrix: every role against every transition, over HTTP. ----------------------------------

SOURCE = {
    "submit": S.DRAFT,
    "send_back": S.IN_REVIEW,
    "approve": S.IN_REVIEW,
    "publish": S.DRAFT,
    "schedule": S.DRAFT,
    "unschedule": S.SCHEDULED,
    "withdraw": S.PUBLISHED,
    "republish": S.WITHDRAWN,
    "kill": S.DRAFT,
}
TARGET = {
    "submit": S.IN_REVIEW,
    "send_back": S.DRAFT,
    "approve": S.READY,
    "publish": S.PUBLISHED,
    "schedule": S.SCHEDULED,
    "unschedule": S.READY,
    "withdraw": S.WITHDRAWN,
    "republish": S.PUBLISHED,
    "kill": S.KILLED,
}
# Which (role, transition) pairs may happen. Reporters act on their own drafts only.
ALLOWED = {("editor", name) for name in SOURCE} | {("reporter", "submit")}


@pytest.mark.parametrize("role", ["editor", "reporter", "other_reporter", "paywall_manager"])
@pytest.mark.parametrize("name", list(SOURCE))
def test_role_transition_matrix_over_http(client, story, role, name, request, django_user_model):
    """Each role may do exactly its share of the workflow; the rest is refused at the server."""
    if role == "other_reporter":
        user = django_user_model.objects.create_user("other", password="pw", is_staff=True)
        user.groups.add(*request.getfixturevalue("reporter").groups.all())
    else:
        user = request.getfixturevalue(role)
    article = story(SOURCE[name])
    client.force_login(user)
    extra = {"_transition": name, "workflow_note": "A note for the record."}
    if name == "schedule":
        extra.update(local_parts(timezone.now() + timedelta(hours=2)))
    response = client.post(url(article), change_form(client, article, **extra))
    article.refresh_from_db()

    if (role, name) in ALLOWED:
        assert response.status_code == 302
        assert article.status == TARGET[name]
        entry = AuditEntry.objects.get(article=article, action=f"articles.{name}")
        assert (entry.user, entry.from_status, entry.to_status) == (user, SOURCE[name], TARGET[name])
    else:
        assert article.status == SOURCE[name]
        assert response.status_code in (200, 302, 403)
        if response.status_code == 200:
            assert "You may not" in response.content.decode()
        if response.status_code == 302:  # a story this user may not even open: sent back to the desk's index
            assert response.url == "/admin/" and role == "other_reporter"
        assert not AuditEntry.objects.filter(article=article).exists()


@pytest.mark.parametrize("name", ["publish", "withdraw", "kill"])
def test_service_refuses_reporters_whatever_the_door(story, reporter, name):
    """The service itself refuses, not only the form: permissions hold for commands and ingest too."""
    article = story(SOURCE[name])
    with pytest.raises(PermissionDenied):
        perform(article=article, name=name, user=reporter, note="x")


def test_reporter_cannot_edit_story_once_in_review(client, reporter, story):
    """After submitting, the story belongs to the desk: the reporter's edits are refused."""
    article = story(S.IN_REVIEW, headline="Original")
    client.force_login(reporter)
    response = client.post(url(article), change_form(client, article, headline="Changed"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Original"
    assert client.get(url(article)).status_code == 200  # may still read it


def test_reporter_sees_the_send_back_note(client, editor, reporter, story):
    """The editor's note comes back to the reporter on the story's page."""
    article = story(S.IN_REVIEW)
    with pytest.raises(ValidationError):
        perform(article=article, name="send_back", user=editor)  # a note is required
    perform(article=article, name="send_back", user=editor, note="Needs a second source.")
    client.force_login(reporter)
    html = client.get(url(article)).content.decode()
    assert "Sent back by" in html and "Needs a second source." in html


def test_workflow_buttons_only_for_allowed_steps(client, editor, reporter, story):
    """The form offers each user only the steps they may take."""
    article = story(S.DRAFT)
    client.force_login(reporter)
    html = client.get(url(article)).content.decode()
    assert 'value="submit"' in html and 'value="publish"' not in html and 'value="kill"' not in html
    client.force_login(editor)
    html = client.get(url(article)).content.decode()
    for name in ["submit", "publish", "schedule", "kill"]:
        assert f'value="{name}"' in html


# Validation. -----------------------------------------------------------------------------------


def test_publishing_names_every_missing_field(editor, make_article):
    """A story without headline, slug, section, body or credit cannot publish; each is named."""
    article = make_article(status=S.DRAFT, headline="", slug="", section=None, body="")
    with pytest.raises(ValidationError) as caught:
        perform(article=article, name="publish", user=editor)
    assert set(caught.value.message_dict) == {"headline", "slug", "section", "body", "credit_override"}


def test_lead_image_needs_alt_text(editor, story):
    """A lead image without alt text blocks publishing."""
    from django.core.files.base import ContentFile

    from tests.conftest import png_bytes

    image = Image(alt_text="")
    image.file.save("x.png", ContentFile(png_bytes()))
    article = story(S.READY, lead_image=image)
    with pytest.raises(ValidationError) as caught:
        perform(article=article, name="publish", user=editor)
    assert "lead_image" in caught.value.message_dict


def test_form_refusal_keeps_what_was_typed(editor_client, story):
    """A publish refused for a missing section comes back as a form error with the new text kept."""
    article = story(S.DRAFT, section=None)
    response = editor_client.post(
        url(article), change_form(editor_client, article, headline="A headline typed just now", _transition="publish")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a section before publishing." in html and "A headline typed just now" in html
    article.refresh_from_db()
    assert article.status == S.DRAFT and article.headline != "A headline typed just now"


# Scheduling and embargo. -----------------------------------------------------------------------


def test_scheduled_story_goes_live_without_a_job_and_is_recorded_once(client, editor_client, story, editor):
    """A story scheduled a minute ahead is public at its time; publish_scheduled records it once."""
    article = story(S.READY)
    due = timezone.now() + timedelta(minutes=1)
    editor_client.post(url(article), change_form(editor_client, article, _transition="schedule", **local_parts(due)))
    article.refresh_from_db()
    assert article.status == S.SCHEDULED
    public_url = article.get_absolute_url()
    assert client.get(public_url).status_code == 404

    with time_machine.travel(due + timedelta(seconds=30)):
        assert client.get(public_url).status_code == 200  # live by the query alone
        assert "would publish" not in call_command_output("publish_scheduled", "--dry-run")
        article.refresh_from_db()
        assert article.status == S.SCHEDULED  # the dry run changed nothing
        output = call_command_output("publish_scheduled")
        assert "1 published" in output
        assert "0 published" in call_command_output("publish_scheduled")
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert AuditEntry.objects.filter(article=article, action="articles.go_live").count() == 1


def call_command_output(*args):
    import io

    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_schedule_needs_a_future_time(editor, story):
    """Scheduling into the past is refused with a reason."""
    with pytest.raises(ValidationError) as caught:
        perform(article=story(S.READY), name="schedule", user=editor, publish_at=timezone.now() - timedelta(1))
    assert "publish_at" in caught.value.message_dict


def test_embargo_is_enforced_by_the_service(editor, story):
    """Nothing publishes, or is scheduled, before the embargo; after it, it may."""
    embargo = timezone.now() + timedelta(hours=3)
    article = story(S.READY, embargo_until=embargo)
    with pytest.raises(ValidationError) as caught:
        perform(article=article, name="publish", user=editor)
    assert "embargoed until" in caught.value.message_dict["embargo_until"][0]
    with pytest.raises(ValidationError):
        perform(article=article, name="schedule", user=editor, publish_at=embargo - timedelta(minutes=1))
    perform(article=article, name="schedule", user=editor, publish_at=embargo + timedelta(minutes=1))
    article.refresh_from_db()
    assert article.status == S.SCHEDULED


def test_embargoed_story_is_never_public(client, make_article):
    """Even a story marked published stays hidden while its embargo runs."""
    article = make_article(embargo_until=timezone.now() + timedelta(hours=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.headline not in client.get("/").content.decode()


def test_embargo_shown_on_form_and_list(editor_client, story):
    """The desk sees an embargo on the form and in the list."""
    article = story(S.DRAFT, embargo_until=timezone.now() + timedelta(hours=5))
    assert "EMBARGOED" in editor_client.get(url(article)).content.decode()
    assert "Embargoed until" in editor_client.get(CHANGELIST).content.decode()


# Withdraw, kill, republish, URLs. --------------------------------------------------------------


def test_withdrawn_story_answers_410_with_notice_and_leaves_lists(client, editor, story):
    """Withdrawal takes a story off every list at once; its URL says 410 Gone with the notice."""
    article = story(S.PUBLISHED, headline="Doomed story")
    public_url = article.get_absolute_url()
    assert "Doomed story" in client.get("/").content.decode()
    perform(article=article, name="withdraw", user=editor, note="This story has been withdrawn for legal reasons.")
    response = client.get(public_url)
    assert response.status_code == 410
    assert "withdrawn for legal reasons" in response.content.decode()
    for page in ["/", "/world/"]:
        assert "Doomed story" not in client.get(page).content.decode()
    perform(article=article, name="republish", user=editor)
    assert client.get(public_url).status_code == 200  # the same address again


def test_killed_draft_can_never_publish(editor, story):
    """A killed story is flagged and no step leads out of it."""
    article = story(S.DRAFT)
    perform(article=article, name="kill", user=editor, note="Agency kill: story withdrawn by Kyodo.")
    with pytest.raises(Exception) as caught:
        perform(article=article, name="publish", user=editor)
    assert "cannot be given" in str(caught.value)


def test_old_urls_redirect_permanently(client, editor_client, story, business):
    """Changing a published story's slug, then its section, leaves both old URLs redirecting."""
    article = story(S.PUBLISHED, slug="first-slug")
    first = article.get_absolute_url()
    editor_client.post(url(article), change_form(editor_client, article, slug="second-slug"))
    article.refresh_from_db()
    second = article.get_absolute_url()
    editor_client.post(url(article), change_form(editor_client, article, section=business.pk))
    article.refresh_from_db()
    third = article.get_absolute_url()
    assert len({first, second, third}) == 3
    for old in (first, second):
        response = client.get(old)
        assert response.status_code == 301 and response["Location"] == third
    assert client.get(third).status_code == 200


def test_drafts_do_not_leave_redirects(editor_client, story):
    """Renaming a story nobody has seen keeps no old address."""
    article = story(S.DRAFT, slug="draft-slug")
    editor_client.post(url(article), change_form(editor_client, article, slug="better-slug"))
    assert not article.old_urls.exists()


# Corrections. ----------------------------------------------------------------------------------


def add_note(client, article, kind, text):
    """Post the story form with one new row in the corrections inline, as the browser does."""
    existing = list(article.corrections.all())
    data = change_form(client, article)
    data.update({"corrections-TOTAL_FORMS": str(len(existing) + 1), "corrections-INITIAL_FORMS": str(len(existing))})
    for number, correction in enumerate(existing):
        data.update({f"corrections-{number}-id": correction.pk, f"corrections-{number}-article": article.pk})
    new = len(existing)
    data.update(
        {f"corrections-{new}-kind": kind, f"corrections-{new}-text": text, f"corrections-{new}-article": article.pk}
    )
    return client.post(url(article), data)


def test_corrections_are_dated_ordered_and_change_modified_time(client, editor_client, story):
    """Corrections and updates added in the admin show at the story's end, in order, and mark it updated."""
    article = story(S.PUBLISHED)
    assert add_note(editor_client, article, "correction", "An earlier version misspelled a name.").status_code == 302
    article.refresh_from_db()
    assert add_note(editor_client, article, "update", "Police have since made an arrest.").status_code == 302
    article.refresh_from_db()
    assert article.modified_at is not None
    assert [c.kind for c in article.corrections.all()] == ["correction", "update"]
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("misspelled a name") < html.index("made an arrest")
    assert "Updated" in html


# Desk views. -----------------------------------------------------------------------------------


@time_machine.travel("2026-06-01T12:00:00+09:00", tick=True)  # noon in Tokyo: "a minute ago" is today
def test_desk_quick_filters(editor_client, editor, story, make_article):
    """My drafts, In review, Scheduled, Embargoed and Published today each find their stories."""
    mine = story(S.DRAFT, headline="Mine", created_by=editor)
    story(S.DRAFT, headline="Not mine")
    story(S.IN_REVIEW, headline="Waiting")
    story(S.SCHEDULED, headline="Later")
    story(S.READY, headline="Held", embargo_until=timezone.now() + timedelta(hours=2))
    story(S.PUBLISHED, headline="Today", published_at=timezone.now() - timedelta(minutes=1))
    story(S.PUBLISHED, headline="Long ago", published_at=timezone.now() - timedelta(days=3))

    def headlines(key):
        return sorted(a.headline for a in editor_client.get(CHANGELIST, {"desk": key}).context["cl"].result_list)

    assert headlines("mine") == [mine.headline]
    assert headlines("in_review") == ["Waiting"]
    assert headlines("scheduled") == ["Later"]
    assert headlines("embargoed") == ["Held"]
    assert headlines("today") == ["Today"]


def test_dashboard_on_admin_index(editor_client, story):
    """The admin index shows counts and short lists of the desk's queues."""
    story(S.IN_REVIEW, headline="Waiting for an editor")
    html = editor_client.get("/admin/").content.decode()
    assert 'id="desk-dashboard"' in html and "Waiting for an editor" in html


def test_status_badges_in_list(editor_client, story):
    """Each row carries a status badge."""
    story(S.IN_REVIEW)
    assert 'class="status-badge status-in_review"' in editor_client.get(CHANGELIST).content.decode()


def test_bulk_publish_reports_what_it_skipped(editor_client, story):
    """Bulk publishing does what it may and names each story it skipped, with the reason."""
    good = story(S.READY, headline="Good story")
    bad = story(S.READY, headline="", slug="")
    response = editor_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [good.pk, bad.pk]}, follow=True
    )
    html = response.content.decode()
    assert "Published 1 story." in html
    assert "Skipped 1 story" in html and "Write a headline before publishing." in html
    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.status, bad.status) == (S.PUBLISHED, S.READY)


def test_bulk_action_checks_each_story_for_reporters(client, reporter, story, django_user_model):
    """A reporter's bulk submit moves their own drafts and skips everyone else's."""
    own = story(S.DRAFT)
    other_user = django_user_model.objects.create_user("someone")
    others = story(S.DRAFT, created_by=other_user)
    client.force_login(reporter)
    selection = {"action": "submit_selected", "_selected_action": [own.pk, others.pk]}
    response = client.post(CHANGELIST, selection, follow=True)
    own.refresh_from_db(), others.refresh_from_db()
    assert (own.status, others.status) == (S.IN_REVIEW, S.DRAFT)
    # Someone else's draft is not on a reporter's desk at all, so it cannot be selected.
    assert "Submitted 1 story" in response.content.decode()
