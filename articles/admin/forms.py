from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from ..models import Article
from ..services.publishing import TransitionError, get_transition, validate
from .widgets import TagAutocompleteWidget

# Where each service error belongs on this form.
ERROR_FIELDS = {"note": "workflow_note", "publish_at": "publish_at"}


class ArticleAdminForm(forms.ModelForm):
    """
    The story form. Besides the story's fields it carries the version it was
    opened at (to catch a save over someone else's), and the note and time a
    workflow button may need. The admin sets `user` on the class.
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
        fields = [
            "headline", "dek", "body", "credit_override", "wire_service", "wire_guid", "wire_version", "wire_byline",
            "dateline", "dateline_date", "copyright_holder", "copyright_notice", "usage_terms",
            "section", "tags", "lead_image", "is_home_lead", "slug", "embargo_until",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_stale_save(cleaned.get("lock_version"))
        return cleaned

    def _refuse_stale_save(self, opened_at_version):
        # Lock the row for the rest of this request's transaction, so two saves
        # arriving together cannot both pass this check.
        current = Article.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
        if opened_at_version is None or opened_at_version == current.lock_version:
            return
        # The form comes back with the newer version number: saving again,
        # after looking at the other changes, is then a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix("lock_version")] = current.lock_version
        who = (
            current.updated_by.get_full_name() or current.updated_by.get_username()
            if current.updated_by
            else _("Someone")
        )
        when = formats.date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        compare = reverse("admin:articles_article_revisions", args=[current.pk])
        raise ValidationError(
            format_html(
                '{} <a href="{}" target="_blank">{}</a>',
                _(
                    "%(who)s saved this story at %(when)s, after you opened it. Your changes have NOT been saved: "
                    "they are still in the form below. Look at their changes, then save again to keep yours."
                )
                % {"who": who, "when": when},
                compare,
                _("See their changes"),
            ),
            code="conflict",
        )

    def _post_clean(self):
        super()._post_clean()
        name = self.data.get("_transition")
        if name and not self.errors:
            self._check_transition(name)

    def _check_transition(self, name):
        """Refuse the save up front if the requested workflow step would be refused after it."""
        try:
            validate(
                story=self.instance,
                transition=get_transition(name),
                user=self.user,
                note=self.cleaned_data.get("workflow_note", ""),
                publish_at=self.cleaned_data.get("publish_at"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field == "credit_override":
                    continue  # the byline is saved after this form; the service checks the credit then
                field = ERROR_FIELDS.get(field, field)
                self.add_error(field if field in self.fields else None, messages)
        except (PermissionDenied, TransitionError) as error:
            self.add_error(None, str(error))
