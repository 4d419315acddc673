"""The wire desk: what agencies sent, what became of it, and the mapping of their codes."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..ingest.mapping import Mapper
from ..models import WireItem, WireMapping, WireService
from ..services.ingest import WireRejected, raw_file, receive, retry
from ..services.stories import StaleStory
from ..services.wire_mappings import credit_waiting_drafts
from ..services.wire_updates import apply_update
from ..workflow import can_edit
from .workflow import describe_error


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Wire files"),
        help_text=gettext_lazy("Plain text, NITF, ninjs or NewsML-G2. Choose one or many."),
    )
    channel = forms.ModelChoiceField(
        label=gettext_lazy("Agency"),
        queryset=WireService.objects.all(),
        required=False,
        empty_label=gettext_lazy("As each file says"),
        help_text=gettext_lazy(
            "Whose files these are. The story is that agency's unless the file names an agency it may "
            "distribute; a file naming another agency is refused and kept. Leave it to let each file say."
        ),
    )


@admin.register(WireItem)
class WireItemAdmin(admin.ModelAdmin):
    list_display = [
        "display_headline",
        "priority",
        "slugline",
        "wire_service",
        "version",
        "display_outcome",
        "received_at",
        "article_link",
    ]
    list_select_related = ["wire_service", "article"]
    list_filter = [
        "outcome",
        "wire_service",
        "channel",
        "priority",
        "kind",
        ("received_at", admin.DateFieldListFilter),
        "format",
        "language",
    ]
    search_fields = ["headline", "guid", "filename", "slugline"]
    date_hierarchy = "received_at"
    actions = ["retry_selected", "apply_updates"]
    readonly_fields = [
        "received_at", "source", "channel", "filename", "format", "checksum", "wire_service", "kind", "guid",
        "guid_derived", "version", "headline", "slugline", "priority", "language", "first_created", "place",
        "ed_note", "display_outcome", "error", "removed_text", "article_link", "raw_link", "data",
    ]  # fmt: skip
    exclude = ["raw", "outcome", "article"]
    change_list_template = "admin/articles/wireitem/change_list.html"

    class Media:
        css = {"all": ["articles/admin/desk.css"]}

    def get_queryset(self, request):
        # The raw file (up to WIRE_MAX_BYTES) is read only where it is shown, never for the list.
        return super().get_queryset(request).defer("raw")

    def has_add_permission(self, request):
        return False  # items arrive through ingest, never typed in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("headline"), ordering="headline")
    def display_headline(self, item):
        if item.headline:
            return item.headline
        if item.outcome == WireItem.Outcome.REJECTED:
            return item.filename or item.guid or f"#{item.pk}"
        return format_html('<span class="needs-headline">{}</span>', _("Needs headline"))

    @admin.display(description=gettext_lazy("outcome"), ordering="outcome")
    def display_outcome(self, item):
        badge = format_html('<span class="status-badge wire-{}">{}</span>', item.outcome, item.get_outcome_display())
        if item.error:
            return format_html('{} <span class="help">{}</span>', badge, item.error)
        return badge

    @admin.display(description=gettext_lazy("article"))
    def article_link(self, item):
        if not item.article_id:
            return "—"
        url = reverse("admin:articles_article_change", args=[item.article_id])
        return format_html('<a href="{}">{}</a>', url, _("Open the article"))

    @admin.display(description=gettext_lazy("raw file"))
    def raw_link(self, item):
        url = reverse("admin:articles_wireitem_raw", args=[item.pk])
        return format_html('<a href="{}">{}</a> ({} bytes)', url, _("View the raw file"), len(raw_file(item)))

    @admin.action(description=gettext_lazy("Retry selected items"), permissions=["view"])
    def retry_selected(self, request, queryset):
        if not request.user.has_perm("articles.add_wireitem"):
            raise PermissionDenied
        mapper, outcomes = Mapper(), []
        for item in queryset:
            outcomes += [new.get_outcome_display().lower() for new in retry(item, mapper=mapper)]
        self.message_user(
            request,
            ngettext("Retried %(count)d item: %(outcomes)s.", "Retried %(count)d items: %(outcomes)s.", len(queryset))
            % {"count": len(queryset), "outcomes": ", ".join(outcomes)},
            messages.SUCCESS,
        )

    @admin.action(description=gettext_lazy("Apply selected agency updates to their stories"), permissions=["view"])
    def apply_updates(self, request, queryset):
        applied, skipped = 0, []
        for item in queryset.select_related("article"):
            article = item.article
            if article is None or article.pending_update_id != item.pk:
                skipped.append(str(item))
            elif not can_edit(request.user, article):
                skipped.append(f"{item} ({_('you may not edit this story')})")
            else:
                try:
                    apply_update(article=article, user=request.user)
                except (WireRejected, StaleStory, ValidationError) as error:
                    skipped.append(f"{item} ({describe_error(error)})")
                else:
                    applied += 1
        if applied:
            self.message_user(request, ngettext("Applied %d update.", "Applied %d updates.", applied) % applied)
        if skipped:
            self.message_user(
                request, _("Not waiting as an update, skipped: %s") % "; ".join(skipped), messages.WARNING
            )

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_wireitem_upload"),
            path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="articles_wireitem_raw"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """Import wire copy by hand: one or many files, with the same per-file results as the command."""
        if not request.user.has_perm("articles.add_wireitem"):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        results = []
        if request.method == "POST" and form.is_valid():
            mapper = Mapper()
            for upload in form.cleaned_data["files"]:
                items = receive(
                    upload.read(),
                    filename=upload.name,
                    source=f"upload:{request.user}",
                    mapper=mapper,
                    channel=form.cleaned_data["channel"],
                )
                results += [(upload.name, item) for item in items]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import wire copy"),
            "form": form,
            "results": results,
        }
        return TemplateResponse(request, "admin/articles/wireitem/upload.html", context)

    def raw_view(self, request, pk):
        """The file exactly as received, as plain text: never rendered as HTML, so nothing in it can run."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        item = WireItem.objects.filter(pk=pk).first()
        if item is None:
            return HttpResponseRedirect(reverse("admin:articles_wireitem_changelist"))
        response = HttpResponse(raw_file(item), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="wire-{item.pk}.txt"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


@admin.register(WireMapping)
class WireMappingAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "wire_service", "tag"]
    list_editable = ["wire_service", "tag"]
    list_filter = ["kind", "wire_service"]
    search_fields = ["code", "tag"]
    autocomplete_fields = ["wire_service"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        credited = credit_waiting_drafts(mapping=obj, user=request.user)
        if credited:
            self.message_user(
                request,
                ngettext(
                    "%(count)d draft waiting under “%(code)s” now has its agency.",
                    "%(count)d drafts waiting under “%(code)s” now have their agency.",
                    len(credited),
                )
                % {"count": len(credited), "code": obj.code},
                messages.SUCCESS,
            )
