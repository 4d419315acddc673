import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..fields import CheckedImageField

logger = logging.getLogger(__name__)


class CleanedImageFieldFile(ImageFieldFile):
    """
    A picture whose file is rewritten before it is stored: turned upright and
    stripped of EXIF (GPS included), XMP and comments, since the original is
    served at MEDIA_URL too. Every way a file reaches storage (a form's upload,
    `image.file.save(...)` as wire ingest does) passes through here.
    """

    def save(self, name, content, save=True):
        from ..renditions import cleaned_original  # the rendition module imports the models

        super().save(name, cleaned_original(content, name), save)


class LibraryImageField(CheckedImageField):
    attr_class = CleanedImageFieldFile


focal_validators = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Image(models.Model):
    """A picture in the newsroom's library, with what a page must print beside it."""

    file = LibraryImageField(
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
    focal_x = models.FloatField(
        _("focal point, across"),
        null=True,
        blank=True,
        validators=focal_validators,
        help_text=_("Where the subject is, from 0 (left edge) to 1 (right edge). Crops keep it in the frame."),
    )
    focal_y = models.FloatField(
        _("focal point, down"),
        null=True,
        blank=True,
        validators=focal_validators,
        help_text=_("From 0 (top edge) to 1 (bottom edge). Leave both empty to crop around the centre."),
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

    def save(self, *args, **kwargs):
        """Save, then make any renditions the picture lacks (see articles.renditions)."""
        super().save(*args, **kwargs)
        from ..renditions import make_renditions  # the rendition module imports the models

        make_renditions(self)

    def clean(self):
        super().clean()
        if (self.focal_x is None) != (self.focal_y is None):
            missing = "focal_y" if self.focal_y is None else "focal_x"
            raise ValidationError({missing: _("Give both coordinates of the focal point, or neither.")})

    @property
    def focal_point(self):
        """(x, y) from 0 to 1, the centre unless the desk set one."""
        if self.focal_x is None or self.focal_y is None:
            return (0.5, 0.5)
        return (self.focal_x, self.focal_y)

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

        The answer is cached (the shared cache, so every app server uses it): asking
        storage is a file-system check on disk but a request on object storage, and
        a list page shows a picture per story. A stored file's name never changes
        (a replaced picture gets a new one), so "there" is kept for a day.
        """
        if not self.file:
            return False
        key = f"image-file-exists:{self.file.name}"
        if cache.get(key):
            return True
        if self.file.storage.exists(self.file.name):
            cache.set(key, True, timeout=24 * 3600)
            return True
        logger.warning(
            "Image %s: its file %r is missing from storage; it is left off the page.", self.pk, self.file.name
        )
        return False
