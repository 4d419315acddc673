"""The story list and story form: the heart of the editorial desk."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from taggit.models import Tag

from ..models import Article, ArticleAuthor, AuditEntry, Correction, Status
from ..services.corrections import add_correction
from ..services.editing import open_for_editing, take_over
from ..services.ingest import WireRejected, apply_update, update_changes
from ..services.previews import revoke_links, share_link
from ..services.publishing import TransitionError, perform
from ..services.revisions import record_revision
from ..tags import suggest_tags
from ..views.reader import render_preview
from ..workflow import available_transitions, can_edit
from .forms import ArticleAdminForm
from .history import RevisionViews
from .workflow import DeskFilter, WorkflowActions, describe_error


class TagFilter(admin.SimpleListFilter):
    """The most used tags as quick links; any tag works through ?tag=<slug>."""

    title = gettext_lazy("tag")
    parameter_name = "tag"
    shown = 25

    def lookups(self, request, model_admin):
        tags = (
            Tag.objects.filter(taggit_taggeditem_items__content_type__model="article")
            .annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")[: self.shown]
        )
        choices = [(tag.slug, tag.name) for tag in tags]
        selected = self.value()
        if selected and selected not in {slug for slug, _name in choices}:
            tag = Tag.objects.filter(slug=selected).first()
            if tag:
                choices.append((tag.slug, tag.name))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__slug=self.value())
        return queryset


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
        return obj is not None and obj.status == Status.PUBLISHED and request.user.has_perm("articles.add_correction")

    def has_view_permission(self, request, obj=None):
        # Only stories readers have seen carry corrections.
        return obj is not None and obj.published_at is not None and super().has_view_permission(request, obj)


@admin.register(Article)
class ArticleAdmin(WorkflowActions, RevisionViews, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "display_headline",
        "display_status",
        "section",
        "credit_line",
        "display_embargo",
        "updated_at",
        "published_at",
    ]
    list_display_links = ["display_headline"]
    list_filter = [
        DeskFilter,
        "status",
        "section",
        "wire_service",
        ("authors", admin.RelatedOnlyFieldListFilter),
        TagFilter,
    ]
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "body", "tags__name", "wire_guid"]
    search_help_text = gettext_lazy("Searches headline, dek, body, tags and wire GUID.")
    autocomplete_fields = ["section", "wire_service", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = [
        "lead_image_preview",
        "display_status",
        "published_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "audit_trail",
    ]
    inlines = [BylineInline, CorrectionInline]
    list_per_page = 50
    ordering = ["-updated_at"]
    # The byline inline is drawn inside the "Credit" fieldset by the change_form template.
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"]}),
        (
            gettext_lazy("Credit"),
            {
                "fields": [
                    "credit_override",
                    "wire_service",
                    ("wire_guid", "wire_version"),
                    "wire_byline",
                    ("dateline", "dateline_date"),
                    ("copyright_holder", "copyright_notice"),
                    "usage_terms",
                ]
            },
        ),
        (
            gettext_lazy("Placement"),
            {"fields": ["section", "tags", "lead_image", "lead_image_preview", "is_home_lead"]},
        ),
        (gettext_lazy("Publishing"), {"fields": ["display_status", "slug", "published_at", "embargo_until"]}),
        (
            gettext_lazy("History"),
            {"fields": [("created_at", "created_by"), ("updated_at", "updated_by"), "audit_trail"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/desk.css"]}

    def get_queryset(self, request):
        # Every column reads only what these joins and prefetches bring, so a
        # page of 50 stories costs the same number of queries as a page of one.
        return super().get_queryset(request).with_credit().select_related("section")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    # Permissions: reporters edit only their own drafts; hidden buttons are not the guard.

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit(request.user, obj)

    # List columns.

    @admin.display(description=gettext_lazy("headline"), ordering="headline")
    def display_headline(self, article):
        if article.headline:
            return article.headline
        return format_html('<span class="needs-headline">{}</span>', _("Needs headline"))

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def display_status(self, article):
        return format_html(
            '<span class="status-badge status-{}">{}</span>', article.status, article.get_status_display()
        )

    @admin.display(description=gettext_lazy("embargo"), ordering="embargo_until")
    def display_embargo(self, article):
        if not article.is_embargoed:
            return ""
        when = formats.date_format(timezone.localtime(article.embargo_until), "SHORT_DATETIME_FORMAT")
        return format_html('<span class="embargo">{} {}</span>', _("Embargoed until"), when)

    @admin.display(description=gettext_lazy("credit line"))
    def credit_line(self, article):
        return article.credit_line

    @admin.display(description=gettext_lazy("preview"))
    def lead_image_preview(self, article):
        image = article.lead_image
        if not image:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width: 240px; height: auto" width="{}" height="{}">',
            image.file.url,
            image.alt_text,
            image.width,
            image.height,
        )

    @admin.display(description=gettext_lazy("workflow history"))
    def audit_trail(self, article):
        if not article.pk:
            return "—"
        entries = AuditEntry.objects.filter(article=article).select_related("user")[:30]
        if not entries:
            return _("No workflow steps yet.")
        rows = format_html_join_rows(entries)
        return format_html('<table class="audit-trail"><tbody>{}</tbody></table>', rows)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_public else None

    # Saving: content first, then the workflow step the button asked for.

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        # The workflow button, if one was pressed, acts once everything is saved.
        request.workflow_step = {
            "name": form.data.get("_transition", ""),
            "note": form.cleaned_data.get("workflow_note", ""),
            "publish_at": form.cleaned_data.get("publish_at"),
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record_revision(form.instance, user=request.user, reason=_("Edited") if change else _("Created"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        # Corrections go through the service, which dates the story's change.
        formset.new_objects = [
            add_correction(
                article=form.instance,
                kind=correction_form.cleaned_data["kind"],
                text=correction_form.cleaned_data["text"],
                user=request.user,
            )
            for correction_form in formset.extra_forms
            if correction_form.has_changed()
        ]
        formset.changed_objects, formset.deleted_objects = [], []

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request, obj):
        step = getattr(request, "workflow_step", None)
        if not step or not step["name"]:
            return None
        try:
            story = perform(
                article=obj, name=step["name"], user=request.user, note=step["note"], publish_at=step["publish_at"]
            )
        except (ValidationError, PermissionDenied, TransitionError) as error:
            # The content is saved; only the step was refused.
            self.message_user(request, _("Saved, but not moved on: %s") % describe_error(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("“%(story)s” is now %(status)s.") % {"story": story, "status": story.get_status_display()},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    # The change page: soft lock, send-back note, workflow buttons.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None and request.method == "GET":
            extra_context.update(self._editing_context(request, article))
            extra_context["workflow_transitions"] = available_transitions(request.user, article)
            extra_context["sent_back"] = (
                article.audit_entries.filter(action="articles.send_back").select_related("user").first()
                if article.status == Status.DRAFT
                else None
            )
            extra_context["published_revision"] = article.revisions.filter(was_published=True).first()
            if article.pending_update_id:
                extra_context["wire_update"] = article.pending_update
                extra_context["wire_update_changes"] = update_changes(article)
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["workflow_transitions"] = available_transitions(request.user, Article(status=Status.DRAFT))
        return super().add_view(request, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # After a refused save the page is drawn from the POST; keep the buttons.
        if "workflow_transitions" not in context:
            context["workflow_transitions"] = available_transitions(request.user, obj or Article(status=Status.DRAFT))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _editing_context(self, request, article):
        """Who else has this story open: a soft lock, as Wagtail and Superdesk show."""
        other = open_for_editing(article=article, user=request.user) if can_edit(request.user, article) else None
        return {"editing_by": other[0], "editing_since": other[1]} if other else {}

    def get_urls(self):
        def route(pattern, function, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"articles_article_{name}")

        urls = [
            route("tag-suggestions/", self.tag_suggestions, "tag_suggestions"),
            route("<int:pk>/preview/", self.preview_view, "preview"),
            route("<int:pk>/share-preview/", self.share_preview_view, "share_preview"),
            route("<int:pk>/revoke-previews/", self.revoke_previews_view, "revoke_previews"),
            route("<int:pk>/take-over/", self.take_over_view, "take_over"),
            route("<int:pk>/apply-update/", self.apply_update_view, "apply_update"),
        ]
        return urls + self.revision_urls() + super().get_urls()

    def _article_or_403(self, request, pk, *, edit=False):
        article = get_object_or_404(Article, pk=pk)
        allowed = can_edit(request.user, article) if edit else self.has_view_or_change_permission(request, article)
        if not allowed:
            raise PermissionDenied
        return article

    def preview_view(self, request, pk):
        """The story exactly as its public page will show it, in any state."""
        self._article_or_403(request, pk)
        article = Article.objects.for_page().get(pk=pk)
        return render_preview(request, article, shared=False)

    @staticmethod
    def _back_to(article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def share_preview_view(self, request, pk):
        article = self._article_or_403(request, pk, edit=True)
        if request.method != "POST":
            return self._back_to(article)
        url = request.build_absolute_uri(share_link(article=article, user=request.user))
        hours = settings.PREVIEW_LINK_MAX_AGE // 3600
        self.message_user(
            request,
            format_html(
                '{} <a href="{}" class="share-link">{}</a>',
                _("Preview link, valid for %(hours)s hours, no login needed:") % {"hours": hours},
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return self._back_to(article)

    def revoke_previews_view(self, request, pk):
        article = self._article_or_403(request, pk, edit=True)
        if request.method == "POST":
            revoke_links(article=article, user=request.user)
            self.message_user(request, _("Every preview link shared for this story has stopped working."))
        return self._back_to(article)

    def take_over_view(self, request, pk):
        article = self._article_or_403(request, pk, edit=True)
        if request.method == "POST":
            take_over(article=article, user=request.user)
            self.message_user(request, _("You have taken over this story."))
        return self._back_to(article)

    def apply_update_view(self, request, pk):
        """Put the agency's newer version over the desk's edits; the edits stay in the revisions."""
        article = self._article_or_403(request, pk, edit=True)
        if request.method == "POST":
            try:
                apply_update(article=article, user=request.user)
            except WireRejected as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("The agency's update has been applied."), messages.SUCCESS)
        return self._back_to(article)

    def tag_suggestions(self, request):
        """Existing tag names for the tag field's autocomplete: prefix matches first."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"results": []}, status=403)
        term = request.GET.get("q", "").strip()
        return JsonResponse({"results": suggest_tags(term)})


def format_html_join_rows(entries):
    return format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                entry.user.get_full_name() or entry.user.get_username() if entry.user else _("system"),
                _status_change(entry),
                entry.note,
            )
            for entry in entries
        ),
    )


def _status_change(entry):
    if entry.from_status and entry.to_status:
        return f"{Status(entry.from_status).label} → {Status(entry.to_status).label}"
    return entry.action.removeprefix("articles.").replace("_", " ")
