from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from ..models import Article
from .widgets import TagAutocompleteWidget


class ArticleAdminForm(forms.ModelForm):
    tags = TagField(
        label=_("Tags"),
        required=False,
        widget=TagAutocompleteWidget,
        help_text=_("Comma-separated. Existing tags are suggested as you type; new ones are created."),
    )

    class Meta:
        model = Article
        fields = "__all__"
