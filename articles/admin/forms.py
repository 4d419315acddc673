from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from ..models import Article
from ..services import stories
from ..workflow import TransitionError
from .widgets import TagAutocompleteWidget

# Where each service error belongs on this form.
ERROR_FIELDS = {"note": "workflow_note", "publish_at": "publish_at"}


class ArticleAdminForm(forms.ModelForm):
    """
    The story form. Besides the story's fields it carries the version it was
    opened at (to catch a save over someone else's), and the note and time a
    workflow button may need. The admin sets `user` on the class.

    `clean` asks the save service whether it would refuse this save (and the
    workflow step pressed with it), so a refusal comes back as form errors
    with everything typed still in the form. The save itself is the admin's
    call to `stories.save_story`.
    """

    user = None

    tags = TagField(
        label=_("Tags"),
        required=False,
        widget=TagAutocompleteWidget,
        help_text=_("Comma-separated. Existing tags are suggested as you type; new ones are created."),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Needed to send a story back or withdraw it; shown with the action in the story's history."),
    )
    publish_at = forms.SplitDateTimeField(
        label=_("Publish at"),
        required=False,
        widget=admin_widgets.AdminSplitDateTime,
        help_text=_("For “Schedule”: when the story goes live."),
    )

    class Meta:
        model = Article
        # The story's own fields, as the model lists them (Article.content_fields), and its tags.
        fields = [*(field.name for field in Article.content_fields()), "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version

    def step(self):
        """The workflow step whose button was pressed, if any."""
        name = self.data.get("_transition")
        if not name:
            return None
        return stories.Step(
            name=name, note=self.cleaned_data.get("workflow_note", ""), publish_at=self.cleaned_data.get("publish_at")
        )

    def clean(self):
        cleaned = super().clean()
        if self._errors:
            return cleaned
        story = construct_instance(self, self.instance, fields=self._meta.fields)
        try:
            stories.check_save(
                story=story, user=self.user, expected_version=cleaned.get("lock_version"), step=self.step()
            )
        except stories.StaleStory as conflict:
            self._refuse_stale_save(conflict)
        except ValidationError as error:
            self._add_service_errors(error)
        except (PermissionDenied, TransitionError) as error:
            self.add_error(None, str(error))
        return cleaned

    def _refuse_stale_save(self, conflict):
        # The form comes back with the newer version number: saving again,
        # after looking at the other changes, is then a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = conflict.current.lock_version
        compare = reverse("admin:articles_article_revisions", args=[conflict.current.pk])
        self.add_error(
            None,
            ValidationError(
                format_html(
                    '{} {} <a href="{}" target="_blank">{}</a>',
                    str(conflict),
                    _(
                        "Your changes have NOT been saved: they are still in the form below. "
                        "Look at their changes, then save again to keep yours."
                    ),
                    compare,
                    _("See their changes"),
                ),
                code="conflict",
            ),
        )

    def _add_service_errors(self, error):
        for field, messages in error.message_dict.items():
            if field == "credit_override":
                continue  # the byline is in the inline below; the step is checked again once it is saved
            field = ERROR_FIELDS.get(field, field)
            self.add_error(field if field in self.fields else None, messages)
