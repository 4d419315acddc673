from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..fields import CheckedImageField


class Author(models.Model):
    """A staff writer, credited in bylines."""

    name = models.CharField(_("name"), max_length=150, help_text=_("As printed in the byline."))
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    bio = models.TextField(_("short bio"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text=_("The desk login of this writer, if they have one."),
    )
    photo = CheckedImageField(_("photo"), upload_to="authors/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name
