"""Bulk workflow actions on the story list."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..services import stories


def describe_error(error):
    """One readable sentence from whatever the workflow service refused with."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return " ".join(message for messages in error.message_dict.values() for message in messages)
        return " ".join(error.messages)
    return str(error) or _("You may not do this.")


def bulk_action(name, description, done):
    """An admin action that moves each selected story through the transition `name`."""

    def action(modeladmin, request, queryset):
        modeladmin.bulk_transition(request, queryset, name, done)

    action.__name__ = f"{name}_selected"
    return admin.action(description=description)(action)


class WorkflowActions:
    """
    Bulk workflow steps for the story list. Each story goes through the same
    service as the form, so permissions are checked story by story; whatever
    is refused is listed with the reason, not silently dropped.
    """

    actions = [
        bulk_action(
            "submit",
            gettext_lazy("Submit selected stories for review"),
            lambda n: ngettext("Submitted %d story for review.", "Submitted %d stories for review.", n) % n,
        ),
        bulk_action(
            "approve",
            gettext_lazy("Approve selected stories"),
            lambda n: ngettext("Approved %d story.", "Approved %d stories.", n) % n,
        ),
        bulk_action(
            "publish",
            gettext_lazy("Publish selected stories now"),
            lambda n: ngettext("Published %d story.", "Published %d stories.", n) % n,
        ),
        bulk_action(
            "unschedule",
            gettext_lazy("Unschedule selected stories"),
            lambda n: ngettext("Unscheduled %d story.", "Unscheduled %d stories.", n) % n,
        ),
    ]

    def bulk_transition(self, request, queryset, name, done_message):
        done, skipped = 0, []
        for article in queryset:
            # A step with no change of content: the save service writes no revision, only the step.
            saved = stories.save_story(story=article, user=request.user, changed_fields=[], step=stories.Step(name))
            if saved.step_error is None:
                done += 1
            else:
                skipped.append(f"“{article}”: {describe_error(saved.step_error)}")
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext("Skipped %(count)d story: %(list)s", "Skipped %(count)d stories: %(list)s", len(skipped))
                % {"count": len(skipped), "list": "; ".join(skipped)},
                messages.WARNING,
            )
