"""
The publishing workflow: every allowed change of a story's state, and the
permission each one needs, in one table.

Nothing here writes to the database. `services.publishing.perform` is the one
function that carries a transition out; the admin, bulk actions, management
commands and wire ingest all call it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .status import Status

S = Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str | None  # codename in the articles app; None: no person may (only the system)
    note: str = ""  # "required", "optional" or "" (none asked for)
    note_label: str = ""
    checks_completeness: bool = False  # the story goes before readers: it must be complete
    needs_time: bool = False  # asks for a publish time
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
            checks_completeness=True,
        ),
        _t(
            "schedule",
            _("Schedule"),
            frozenset({S.DRAFT, S.IN_REVIEW, S.READY}),
            S.SCHEDULED,
            "publish_article",
            checks_completeness=True,
            needs_time=True,
        ),
        _t("unschedule", _("Unschedule"), frozenset({S.SCHEDULED}), S.READY, "publish_article"),
        _t(
            "withdraw",
            _("Withdraw"),
            frozenset({S.PUBLISHED}),
            S.WITHDRAWN,
            "withdraw_article",
            note="required",
            note_label=_("Public notice shown at the story's address"),
            danger=True,
            system=True,
        ),
        _t(
            "republish",
            _("Republish"),
            frozenset({S.WITHDRAWN}),
            S.PUBLISHED,
            "publish_article",
            checks_completeness=True,
        ),
        _t(
            "kill",
            _("Kill"),
            frozenset(set(S) - {S.KILLED}),
            S.KILLED,
            "kill_article",
            note="optional",
            note_label=_("Public notice (e.g. the agency's kill advisory)"),
            danger=True,
            system=True,
        ),
        # Scheduled stories are already visible at their time; publish_scheduled records it.
        _t("go_live", _("Go live as scheduled"), frozenset({S.SCHEDULED}), S.PUBLISHED, None, system=True),
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


def can_edit(user, article):
    """
    Editors edit anything. Reporters edit their own drafts only: once a story
    is in review or beyond, it belongs to the desk.
    """
    if not has_article_permission(user, "change_article"):
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
