"""Model fields that carry the newsroom's rules for HTML bodies and images."""

from django import forms
from django.db import models
from django_prose_editor.fields import ProseEditorField

from .html import sanitize_body
from .images import inspect_image

# What the desk's editor offers; the server-side allow-list in html.py is the
# real guard, so anything the editor could produce beyond it is dropped on save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    # The editor turns the browser's spell checker off by default; copy editors want it.
    "NoSpellCheck": False,
}


class BodyField(ProseEditorField):
    """
    Rich text edited with ProseMirror in the admin and stored as sanitized HTML.

    Sanitizing in `pre_save` rather than only in forms means wire ingest,
    management commands and the shell cannot store unsafe markup either.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": BODY_EDITOR_EXTENSIONS})
        kwargs["sanitize"] = sanitize_body
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize_body(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value


class CheckedImageFormField(forms.ImageField):
    """
    Runs our size and format checks before Django's own Pillow check, so that
    a decompression bomb gets a clear message instead of "corrupted image".
    """

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            inspect_image(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})


def clip(model, name, value):
    """`value` cut to the max_length of `model`'s field `name`: for text from outside, such as agencies' files."""
    limit = model._meta.get_field(name).max_length
    return value[:limit] if limit else value
