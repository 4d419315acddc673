from django.db import models
from django.utils.translation import gettext_lazy as _


class Rendition(models.Model):
    """
    One resized copy of a picture, made once and kept in storage, so that pages
    print `<picture>` markup from database rows and never open a file.

    `source` says what it was made from: the original's file name, the crop and,
    for crops, the focal point. When any of those changes the rendition is stale
    and is made again.
    """

    class Format(models.TextChoices):
        WEBP = "webp", "WebP"
        JPEG = "jpeg", "JPEG"

    # No index of its own: the unique constraint, which starts with the image, serves lookups by image.
    image = models.ForeignKey("articles.Image", on_delete=models.CASCADE, related_name="renditions", db_index=False)
    crop = models.CharField(
        _("crop"), max_length=10, blank=True, help_text=_("Aspect ratio, empty for the original's.")
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    file = models.FileField(_("file"), max_length=255)
    source = models.CharField(_("made from"), max_length=255)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        constraints = [
            models.UniqueConstraint(fields=["image", "crop", "format", "width"], name="rendition_unique_size"),
        ]

    def __str__(self):
        return f"{self.image_id} {self.crop or 'original'} {self.format} {self.width}×{self.height}"
