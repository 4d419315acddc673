"""
The publishing workflow: every allowed change of a story's state, and the
permission each one needs, in one table.

Nothing here writes to the database. `services.publishing.perform` is the one
function that carries a transition out; the admin, bulk actions, management
commands and wire ingest all call it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from .status import Status

S = Status


class TransitionError(Exception):
    """The transition does not apply to the story as it is now; the message says why."""


# When a story goes (or would go) before readers after a transition: each row
# names one of these, so the service that carries transitions out never asks
# which transition it is running.


def keep_time(story, now, requested):
    return story.published_at


def no_time(story, now, requested):
    return None


def requested_time(story, now, requested):
    if requested is None:
        raise ValidationError({"publish_at": gettext_now("Choose when the story should publish.")})
    if requested <= now:
        raise ValidationError({"publish_at": gettext_now("A scheduled time must be in the future; use “Publish now”.")})
    return requested


def first_time_or_now(story, now, requested):
    # A story already live (or withdrawn) keeps its first publish time, and so its URL.
    if story.published_at and story.published_at <= now:
        return story.published_at
    return now


def due_time(story, now, requested):
    if story.published_at is None or story.published_at > now:
        raise TransitionError(gettext_now("This story is not due yet."))
    return story.published_at


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str | None  # codename in the articles app; None: no person may (only the system)
    note: str = ""  # "required", "optional" or "" (none asked for)
    note_label: str = ""
    publish_time: Callable = keep_time  # (story, now, requested time) -> the story's publish time after it
    checks_completeness: bool = False  # the story goes before readers: it must be complete
    needs_time: bool = False  # asks for a publish time
    sets_notice: bool = False  # the note becomes the public notice at the story's address
    clears_notice: bool = False
    revokes_previews: bool = False  # shared preview links stop working
    danger: bool = False  # shown apart in the admin
    system: bool = False  # the system may do it with no user: publish_scheduled, agency kills from ingest


def _t(*args, **kwargs):
    return Transition(*args, **kwargs)


TRANSITIONS = {
    t.name: t
    for t in [
        _t(
            "submit",
            _("Submit for review"),
            frozenset({S.DRAFT}),
            S.IN_REVIEW,
            "submit_article",
            note="optional",
            note_label=_("Note for the editor"),
        ),
        _t(
            "send_back",
            _("Send back to reporter"),
            frozenset({S.IN_REVIEW, S.READY}),
            S.DRAFT,
            "review_article",
            note="required",
            note_label=_("What needs to change (the reporter sees this)"),
        ),
        _t("approve", _("Approve"), frozenset({S.IN_REVIEW}), S.READY, "review_article"),
        _t(
            "publish",
            _("Publish now"),
            frozenset({S.DRAFT, S.IN_REVIEW, S.READY, S.SCHEDULED}),
            S.PUBLISHED,
            "publish_article",
            publish_time=first_time_or_now,
            checks_completeness=True,
        ),
        _t(
            "schedule",
            _("Schedule"),
            frozenset({S.DRAFT, S.IN_REVIEW, S.READY}),
            S.SCHEDULED,
            "publish_article",
            publish_time=requested_time,
            checks_completeness=True,
            needs_time=True,
        ),
        _t("unschedule", _("Unschedule"), frozenset({S.SCHEDULED}), S.READY, "publish_article", publish_time=no_time),
        _t(
            "withdraw",
            _("Withdraw"),
            frozenset({S.PUBLISHED}),
            S.WITHDRAWN,
            "withdraw_article",
            note="required",
            note_label=_("Public notice shown at the story's address"),
            sets_notice=True,
            revokes_previews=True,
            danger=True,
            system=True,
        ),
        _t(
            "republish",
            _("Republish"),
            frozenset({S.WITHDRAWN}),
            S.PUBLISHED,
            "publish_article",
            publish_time=first_time_or_now,
            checks_completeness=True,
            clears_notice=True,
        ),
        _t(
            "kill",
            _("Kill"),
            frozenset(set(S) - {S.KILLED}),
            S.KILLED,
            "kill_article",
            note="optional",
            note_label=_("Public notice (e.g. the agency's kill advisory)"),
            sets_notice=True,
            revokes_previews=True,
            danger=True,
            system=True,
        ),
        # Scheduled stories are already visible at their time; publish_scheduled records it.
        _t(
            "go_live",
            _("Go live as scheduled"),
            frozenset({S.SCHEDULED}),
            S.PUBLISHED,
            None,
            publish_time=due_time,
            checks_completeness=True,
            system=True,
        ),
    ]
}


def has_article_permission(user, codename):
    return user.has_perm(f"articles.{codename}")


def owns(user, article):
    """A reporter's own story: one they created or carry the byline of."""
    if article.pk is None:
        return True
    if article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def can_view(user, article):
    """May `user` open this story on the desk? The rule is `ArticleQuerySet.visible_to`."""
    from .models import Article

    return Article.objects.visible_to(user).filter(pk=article.pk).exists()


def can_edit(user, article):
    """
    Editors edit anything outside the Trash. Reporters edit their own drafts
    only: once a story is in review or beyond, it belongs to the desk.
    """
    if not has_article_permission(user, "change_article"):
        return False
    if article is not None and article.trashed_at is not None:
        return False
    if article is None or has_article_permission(user, "edit_any_article"):
        return True
    return article.status == Status.DRAFT and owns(user, article)


def can_perform(user, article, transition):
    """May `user` carry out `transition` on `article` (whatever its state)?"""
    if transition.permission is None or not has_article_permission(user, transition.permission):
        return False
    # Without edit_any_article, a user acts only on their own stories.
    return has_article_permission(user, "edit_any_article") or owns(user, article)


def available_transitions(user, article):
    """The transitions to offer `user` on this story now."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if article.status in transition.sources and can_perform(user, article, transition)
    ]
