from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    """A dated note appended to a published story: what was wrong, or what is new."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(_("text"), help_text=_("As readers will see it, e.g. “An earlier version misspelled…”."))
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class OldURL(models.Model):
    """
    An address a published story used to have. Once published, a URL is
    permanent: when the slug or section changes, the old path redirects.
    """

    path = models.CharField(_("old path"), max_length=400, unique=True)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="old_urls")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("old URL")
        verbose_name_plural = _("old URLs")

    def __str__(self):
        return self.path
