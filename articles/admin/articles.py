"""
The story list and story form: the heart of the editorial desk.

The admin collects input and calls services; it writes nothing itself. A
save is one call to `stories.save_story` (content, byline, tags, revision,
audit entry and the workflow button pressed); deleting moves stories to the
Trash (`services.trash`). The desk's other pages are in desk_views.py, the
revision pages in history.py, the inlines and filters beside them.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import Article, ArticleAuthor, Correction, Status
from ..params import whole_number
from ..services import stories
from ..services.corrections import add_correction
from ..services.editing import open_for_editing
from ..services.trash import restore_story, trash_story
from ..services.wire_updates import update_changes
from ..workflow import available_transitions, can_edit
from .desk_views import DeskViews
from .filters import DeskFilter, TagFilter, TrashFilter
from .forms import ArticleAdminForm
from .history import RevisionViews
from .inlines import AuditTrailInline, BylineInline, CorrectionInline, byline_from
from .workflow import WorkflowActions, describe_error

# A search longer than this is cut: each word is a condition on five columns,
# and thousands of them make a query no database should be asked to plan.
MAX_SEARCH_WORDS = 12
DATE_PARTS = {"year": (1, 9999), "month": (1, 12), "day": (1, 31)}


class DeskChangeList(ChangeList):
    """The story list, always read a page at a time: a short list is sliced too, so it stops at the page's end."""

    def get_results(self, request):
        super().get_results(request)
        if not self.multi_page and not (self.show_all and self.can_show_all):
            self.result_list = self.result_list[: self.list_per_page]


class NewestStoriesPaginator(Paginator):
    """
    Pages of the desk's list that count at most `cap` stories: counting all
    100,000 of an archive on every page view would cost more than the page.
    Past the cap the list says so, and filters or the search narrow it.
    """

    cap = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


@admin.register(Article)
class ArticleAdmin(WorkflowActions, DeskViews, RevisionViews, admin.ModelAdmin):
    form = ArticleAdminForm
    actions = [*WorkflowActions.actions, "trash_selected", "restore_selected"]
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
        "authors",
        TagFilter,
        ("published_at", admin.DateFieldListFilter),
        TrashFilter,
    ]
    # No date_hierarchy: its links are a DISTINCT over every story's date, a
    # full read of the archive on every page view; the date filter is ranges.
    search_fields = ["headline"]  # shows the box; the search itself is ArticleQuerySet.desk_search
    search_help_text = gettext_lazy(
        "Searches headlines, deks and the text of published stories, tags by name and wire GUIDs."
    )
    paginator = NewestStoriesPaginator
    show_full_result_count = False
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
    ]
    inlines = [BylineInline, CorrectionInline, AuditTrailInline]
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
                    ("wire_service", "wire_source"),
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
            {
                "fields": [
                    "section",
                    "tags",
                    "lead_image",
                    "lead_image_preview",
                    "is_home_lead",
                    "is_premium",
                    "language",
                ]
            },
        ),
        (gettext_lazy("Publishing"), {"fields": ["display_status", "slug", "published_at", "embargo_until"]}),
        (gettext_lazy("Saved"), {"fields": [("created_at", "created_by"), ("updated_at", "updated_by")]}),
    ]

    class Media:
        css = {"all": ["articles/admin/desk.css"]}

    def get_queryset(self, request):
        # Only the stories this user may open (ArticleQuerySet.visible_to). Every
        # column reads what these joins and prefetches bring, so a page of 50
        # stories costs the same number of queries as a page of one.
        return super().get_queryset(request).visible_to(request.user).with_credit().select_related("section")

    def get_changelist(self, request, **kwargs):
        return DeskChangeList

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
        if article.trashed_at:
            return format_html('<span class="status-badge status-trashed">{}</span>', _("In the Trash"))
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
        if not image.is_available:
            return _("The picture's file is missing from storage: upload it again, or choose another.")
        size = format_html(' width="{}" height="{}"', image.width, image.height) if image.width else ""
        return format_html('<img src="{}" alt="{}" class="lead-image-preview"{}>', image.file.url, image.alt_text, size)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_public else None

    # Saving: the form is validated against the service (forms.py); the save is one service call.

    def save_model(self, request, obj, form, change):
        """Nothing here: the story is saved with its byline and tags, in one call, by `save_related`."""

    def save_related(self, request, form, formsets, change):
        byline = next((formset for formset in formsets if formset.model is ArticleAuthor), None)
        saved = stories.save_story(
            story=form.instance,
            user=request.user,
            changed_fields=form.changed_data if change else None,
            bylines=byline_from(byline) if byline is not None and (byline.has_changed() or not change) else None,
            tags=form.cleaned_data["tags"] if "tags" in form.changed_data or not change else None,
            expected_version=form.cleaned_data.get("lock_version") if change else None,
            step=form.step(),
        )
        for formset in formsets:
            # The byline was written by the service and the history is read-only: only
            # corrections are saved from their formset. Django's change message reads these lists.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if formset.model is Correction:
                self._add_corrections(request, form.instance, formset)
        if saved.step_error is not None:
            # The content is saved; only the step was refused.
            self.message_user(
                request, _("Saved, but not moved on: %s") % describe_error(saved.step_error), messages.ERROR
            )
        elif form.step() is not None:
            self.message_user(
                request,
                _("“%(story)s” is now %(status)s.")
                % {"story": saved.story, "status": saved.story.get_status_display()},
                messages.SUCCESS,
            )

    def _add_corrections(self, request, article, formset):
        # Corrections go through their service, which dates the story's change.
        formset.new_objects = [
            add_correction(
                article=article,
                kind=correction_form.cleaned_data["kind"],
                text=correction_form.cleaned_data["text"],
                user=request.user,
            )
            for correction_form in formset.extra_forms
            if correction_form.has_changed()
        ]

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return self._back_to(obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return self._back_to(obj)
        return super().response_change(request, obj)

    # Deleting moves stories to the Trash; editors restore them from there.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=gettext_lazy("Move selected stories to the Trash"), permissions=["delete"])
    def trash_selected(self, request, queryset):
        self.delete_queryset(request, queryset)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("Moved %d story to the Trash.", "Moved %d stories to the Trash.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Restore selected stories from the Trash"), permissions=["delete"])
    def restore_selected(self, request, queryset):
        restored = [restore_story(story=story, user=request.user) for story in queryset.in_trash()]
        self.message_user(
            request,
            ngettext("Restored %d story.", "Restored %d stories.", len(restored)) % len(restored),
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        trash_story(story=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            trash_story(story=story, user=request.user)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted: the stories go to the Trash with all that belongs to them.
        perms_needed = set() if self.has_delete_permission(request) else {self.opts.verbose_name}
        return [str(obj) for obj in objs], {self.opts.verbose_name_plural: len(objs)}, perms_needed, []

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            _("“%s” is in the Trash. An editor can restore it from there.") % obj_display,
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # The list: odd input in the address or the search box is answered, never a 500.

    def changelist_view(self, request, extra_context=None):
        bad = [key for key in request.GET if key.startswith("published_at__") and not _valid_date_part(key, request)]
        if bad:
            query = request.GET.copy()
            for key in bad:
                del query[key]
            self.message_user(request, _("That date is not one the calendar has; showing all dates."), messages.WARNING)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        words = search_term.split()
        if len(words) > MAX_SEARCH_WORDS:
            self.message_user(
                request,
                _("Only the first %(count)d words were searched for.") % {"count": MAX_SEARCH_WORDS},
                messages.WARNING,
            )
            search_term = " ".join(words[:MAX_SEARCH_WORDS])
        return queryset.desk_search(search_term), False

    # The change page: soft lock, send-back note, workflow buttons, the Trash.

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
            extra_context["can_restore_from_trash"] = article.trashed_at and self.has_delete_permission(request)
            extra_context["agency_note"] = article.wire_items.exclude(ed_note="").order_by("-pk").first()
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
        return self.desk_urls() + self.revision_urls() + super().get_urls()


def _valid_date_part(key, request):
    """A date-hierarchy parameter the calendar can hold (a year of twenty digits cannot)."""
    bounds = DATE_PARTS.get(key.removeprefix("published_at__"))
    value = request.GET.get(key, "")
    if bounds is None:
        return True  # not ours to judge: Django answers other lookups itself
    number = whole_number(value, digits=4)
    return number is not None and bounds[0] <= number <= bounds[1]
