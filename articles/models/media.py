import logging

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..fields import CheckedImageField

logger = logging.getLogger(__name__)


class MeasuredImageField(CheckedImageField):
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
        unmeasured = (
            getattr(model_instance, self.width_field) is None or getattr(model_instance, self.height_field) is None
        )
        if file and unmeasured:
            # The file field comes before width and height in the model, so their values
            # are read for the query after this has filled them in.
            self.update_dimension_fields(model_instance, force=True)
        return file

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        # Migrations see the CheckedImageField it extends: the columns are the same, only measuring differs.
        return name, "articles.fields.CheckedImageField", args, kwargs


class Image(models.Model):
    """A picture in the newsroom's library, with what a page must print beside it."""

    file = MeasuredImageField(
        _("file"),
        upload_to="images/%Y/%m/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG, GIF or WebP."),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it. Required to publish."),
    )
    caption = models.TextField(_("caption"), blank=True)
    credit = models.CharField(
        _("credit"), max_length=200, blank=True, help_text=_("Photographer or source, e.g. “Jane Doe”.")
    )
    wire_service = models.ForeignKey(
        "articles.WireService",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="images",
        help_text=_("If the picture is agency copy, the agency is credited too."),
    )
    # Declared after `file`, whose pre_save fills them in (see MeasuredImageField).
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text or self.caption[:60] or self.file.name

    @property
    def credit_line(self):
        """'Jane Doe / Kyodo', 'Kyodo' or 'Jane Doe'."""
        parts = [self.credit, self.wire_service.credit if self.wire_service else ""]
        return " / ".join(part for part in parts if part)

    @cached_property
    def is_available(self):
        """
        Whether the picture can be shown: its file is in storage. A missing file is
        logged, and pages show the story without its picture rather than a broken one.

        One `exists()` per picture shown: a file-system check on disk, a HEAD request
        on object storage. Reader pages show at most one picture each.
        """
        if not self.file:
            return False
        if self.file.storage.exists(self.file.name):
            return True
        logger.warning(
            "Image %s: its file %r is missing from storage; it is left off the page.", self.pk, self.file.name
        )
        return False
