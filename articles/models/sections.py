from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The first parts of the reader site's own addresses (articles/urls.py): a section
# with one of these slugs would be shadowed by the page that owns the address.
RESERVED_SLUGS = frozenset(
    {
        "account",
        "admin",
        "agencies",
        "archive",
        "authors",
        "feeds",
        "media",
        "paywall",
        "preview",
        "search",
        "static",
        "tags",
        "wire",
    }
)


class SectionQuerySet(models.QuerySet):
    def for_navigation(self):
        return self.filter(show_in_navigation=True).order_by("position", "name")


class Section(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The first part of every article URL in this section, e.g. “world”."),
    )
    position = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Sections are listed in the navigation from low to high.")
    )
    description = models.TextField(_("description"), blank=True)
    show_in_navigation = models.BooleanField(_("show in navigation"), default=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section": self.slug})

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%(slug)s” is the address of another page of the site; choose another slug.")
                 % {"slug": self.slug}}
            )  # fmt: skip
