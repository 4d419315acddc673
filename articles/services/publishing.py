"""
Carrying out workflow transitions. `perform` is the only way a story changes
state: it checks the table in workflow.py and the user's permission, validates
the story, saves atomically, and writes the audit entry and a revision.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import page_cache, search
from ..models import Article, Status
from ..workflow import TRANSITIONS, TransitionError, can_perform
from .audit import log_action
from .revisions import record_revision

__all__ = ["TransitionError", "perform", "validate", "get_transition", "publish_due"]


def perform(*, article, name, user, note="", publish_at=None):
    """
    Move `article` through the transition called `name` on behalf of `user`.
    `user=None` is the system (publish_scheduled, agency kills), allowed only
    for transitions marked `system` in the table. Returns the updated story.

    Only the story's state is written (status, publish time, notice): its
    content and its lock version are `save_story`'s, so a state change never
    counts as somebody's edit.

    Raises PermissionDenied, TransitionError, or ValidationError naming each
    field that stops the story from going before readers.
    """
    transition = get_transition(name)
    note = (note or "").strip()

    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=article.pk)
        previous = story.status
        # 1. May this user do this, to this story, now? 2. Is the story fit for it?
        story.published_at = validate(story=story, transition=transition, user=user, note=note, publish_at=publish_at)
        # 3. The change itself, as the transition's row describes it.
        story.status = transition.target
        if transition.sets_notice:
            story.notice = note
        elif transition.clears_notice:
            story.notice = ""
        if transition.revokes_previews:
            story.preview_key = uuid.uuid4()
        story.save(update_fields=["status", "published_at", "notice", "preview_key"])
        search.index_story(story)
        page_cache.reader_pages_changed(story, previous_status=previous)
        # 4. The audit entry and a revision, in the same transaction.
        log_action(
            story,
            f"articles.{transition.name}",
            user=user,
            note=note,
            from_status=previous,
            to_status=story.status,
            data={"published_at": story.published_at.isoformat() if story.published_at else None},
        )
        record_revision(
            story,
            user=user,
            reason=str(transition.label),
            was_published=story.status == Status.PUBLISHED,
        )
    return story


def get_transition(name):
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise TransitionError(_("There is no workflow action called “%(name)s”.") % {"name": name})
    return transition


def validate(*, story, transition, user, note="", publish_at=None):
    """
    Check that `user` may give `story` (as it stands in memory) this
    transition, and that the story is fit for it. Returns the publish time the
    story would have. Writes nothing, so the admin can ask it before saving and
    show a refusal as form errors with the editor's input intact.
    """
    # 1. The table and the permission.
    if user is None:
        if not transition.system:
            raise PermissionDenied(_("Only a person may do this."))
    elif not can_perform(user, story, transition):
        raise PermissionDenied(_("You may not “%(action)s” this story.") % {"action": transition.label})
    if story.trashed_at is not None:
        raise TransitionError(_("This story is in the Trash. Restore it first."))
    if story.status not in transition.sources:
        raise TransitionError(
            _("A story that is “%(status)s” cannot be given “%(action)s”.")
            % {"status": story.get_status_display(), "action": transition.label}
        )
    if transition.note == "required" and not (note or "").strip():
        raise ValidationError({"note": _("%(label)s is required.") % {"label": transition.note_label}})
    # 2. The story itself, at the time it would go before readers.
    published_at = transition.publish_time(story, timezone.now(), publish_at)
    if transition.checks_completeness:
        _check_can_go_before_readers(story, published_at)
    return published_at


def _check_can_go_before_readers(story, published_at):
    problems = story.publishing_problems()
    if story.embargo_until and published_at and published_at < story.embargo_until:
        when = formats.date_format(timezone.localtime(story.embargo_until), "DATETIME_FORMAT")
        problems["embargo_until"] = _("The story is embargoed until %(when)s.") % {"when": when}
    if problems:
        raise ValidationError(problems)


def publish_due(*, now=None, dry_run=False):
    """
    Record Scheduled → Published for stories whose time has come. Readers see
    them already (visibility is a query on the time); this is for the audit
    log and caches. Safe to run from cron every minute and concurrently.

    Returns (published, skipped) lists; skipped holds (story, reason).
    """
    now = now or timezone.now()
    due = Article.objects.filter(status=Status.SCHEDULED, published_at__lte=now).order_by("published_at", "pk")
    if dry_run:
        return list(due), []
    published, skipped = [], []
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Another worker holding this row has it in hand: skip it, don't wait.
            story = (
                Article.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=Status.SCHEDULED, published_at__lte=now)
                .first()
            )
            if story is None:
                continue
            try:
                published.append(perform(article=story, name="go_live", user=None))
            except (ValidationError, TransitionError) as error:
                skipped.append((story, _describe(error)))
    return published, skipped


def _describe(error):
    if isinstance(error, ValidationError):
        return "; ".join(message for messages in error.message_dict.values() for message in messages)
    return str(error)
