import logging

from django.core.cache import cache
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..fields import CheckedImageField

logger = logging.getLogger(__name__)


class Image(models.Model):
    """A picture in the newsroom's library, with what a page must print beside it."""

    file = CheckedImageField(
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
