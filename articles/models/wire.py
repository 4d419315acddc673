from django.db import models
from django.utils.translation import gettext_lazy as _


class WireService(models.Model):
    """A news agency whose copy the paper runs: Kyodo, AP, Reuters…"""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. “Kyodo News”."))
    credit = models.CharField(
        _("credit as printed"),
        max_length=100,
        help_text=_("How stories from this agency are credited on the page, e.g. “Kyodo”."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    usage_terms = models.TextField(
        _("usage terms"),
        blank=True,
        help_text=_("A note for the desk on what the contract allows (embargo rules, image use…)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire service")
        verbose_name_plural = _("wire services")

    def __str__(self):
        return self.name
