"""The record of what happened to each story: the audit log and its revisions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """
    One change of state or notable act, with who did it. Written by
    `services.audit.log_action`; action names are namespaced ("articles.published").
    """

    action = models.CharField(_("action"), max_length=100, db_index=True)
    # SET_NULL: the entry recording a purge outlives the story it names (its id is in `data`).
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.action} by {self.user or 'system'} at {self.created_at:%Y-%m-%d %H:%M}"


class Revision(models.Model):
    """A snapshot of a story's fields, byline and tags, taken at every save."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Marks the snapshot taken when the story went before readers.
    was_published = models.BooleanField(_("published version"), default=False)
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number")]

    def __str__(self):
        return f"Revision {self.number} of {self.article_id}"
