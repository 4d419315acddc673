"""The parts of a story edited or read beside its form: byline, corrections and the audit trail."""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from ..models import ArticleAuthor, AuditEntry, Correction, Status
from ..workflow import can_edit


class BylineInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = gettext_lazy("author")
    verbose_name_plural = gettext_lazy("authors (in byline order)")

    def has_change_permission(self, request, obj=None):
        return obj is None or can_edit(request.user, obj)

    has_add_permission = has_delete_permission = has_change_permission


def byline_from(formset):
    """The authors a byline formset asks for, in byline order (the save service writes them)."""
    rows = [
        (form.cleaned_data.get("position") or 0, index, form.cleaned_data["author"])
        for index, form in enumerate(formset.forms)
        if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
    ]
    return [author for _position, _index, author in sorted(rows, key=lambda row: row[:2])]


class CorrectionInline(admin.TabularInline):
    """Corrections and updates are appended, dated, and never edited afterwards."""

    model = Correction
    fields = ["kind", "text", "created_at"]
    readonly_fields = ["created_at"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == Status.PUBLISHED
            and obj.trashed_at is None
            and request.user.has_perm("articles.add_correction")
        )

    def has_view_permission(self, request, obj=None):
        # Only stories readers have seen carry corrections.
        return obj is not None and obj.published_at is not None and super().has_view_permission(request, obj)


class AuditTrailInline(admin.TabularInline):
    """Every save and workflow step on the story, newest first, as written by `log_action`. Read-only."""

    model = AuditEntry
    fields = ["created_at", "who", "what", "change", "note"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    extra = 0
    can_delete = False
    verbose_name = gettext_lazy("history entry")
    verbose_name_plural = gettext_lazy("history")
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may open the story (the story admin decides that) may read its history.
        return request.user.has_perm("articles.view_article")

    @admin.display(description=gettext_lazy("by"))
    def who(self, entry):
        if entry.user is None:
            return gettext_lazy("the system")
        return entry.user.get_full_name() or entry.user.get_username()

    @admin.display(description=gettext_lazy("what"))
    def what(self, entry):
        # "articles.wire_update_applied" → "wire update applied"
        return entry.action.removeprefix("articles.").replace("_", " ")

    @admin.display(description=gettext_lazy("state"))
    def change(self, entry):
        if entry.from_status and entry.to_status and entry.from_status != entry.to_status:
            return f"{Status(entry.from_status).label} → {Status(entry.to_status).label}"
        return ""
