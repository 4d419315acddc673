"""Model fields that carry the newsroom's rules for HTML bodies and images."""

import logging

from django import forms
from django.db import models
from django_prose_editor.fields import ProseEditorField

from .html import sanitize_body
from .images import inspect_image

logger = logging.getLogger(__name__)

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
    """
    An image field that always stores its picture's width and height, and never
    lets a file missing from storage break a page.

    Django measures a picture whenever a row whose width or height is empty is
    loaded (on `post_init`), by reading the file from storage. A file gone from
    storage raised FileNotFoundError in the middle of a query, so every page
    listing that story answered 500. Here a failed measurement is logged and the
    size left empty; `Image.is_available` then keeps the picture off the page.

    Django also leaves the size empty when a picture is saved from a nameless
    `ContentFile` (`image.file.save(name, ContentFile(data))`), so saving
    measures the stored file whenever its size is still unknown. Rows that carry
    their size are never measured again: loading them reads no file.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        try:
            super().update_dimension_fields(instance, force, *args, **kwargs)
        except OSError as error:  # FileNotFoundError, or storage that cannot be read
            logger.warning(
                "Image %s: cannot read its file %r to measure it: %s",
                instance.pk,
                self.value_from_object(instance).name,
                error,
            )
            setattr(instance, self.width_field, None)
            setattr(instance, self.height_field, None)

    def pre_save(self, model_instance, add):
        file = super().pre_save(model_instance, add)
        sizes = [getattr(model_instance, name) for name in (self.width_field, self.height_field) if name]
        if file and None in sizes:
            # The file field comes before width and height in the model, so their values
            # are read for the query after this has filled them in.
            self.update_dimension_fields(model_instance, force=True)
        return file

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})


def clip(model, name, value):
    """`value` cut to the max_length of `model`'s field `name`: for text from outside, such as agencies' files."""
    limit = model._meta.get_field(name).max_length
    return value[:limit] if limit else value
