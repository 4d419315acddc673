from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """
    One code, checked by `check` (a function of the code that returns what it
    accepted, or None); what it returned is kept as `result`.
    """

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    error_messages = {
        "wrong": _(
            "That code did not work. Codes change every 30 seconds; after a wrong code, "
            "wait a few seconds before trying the next."
        ),
    }

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.result = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        self.result = self.check(code)
        if not self.result:
            raise forms.ValidationError(self.error_messages["wrong"], code="wrong")
        return code
