from django.contrib import admin
from django.db.models import Count
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from ..models import Article, ArticleAuthor
from .forms import ArticleAdminForm


class TagFilter(admin.SimpleListFilter):
    """The most used tags as quick links; any tag works through ?tag=<slug>."""

    title = _("tag")
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
    verbose_name = _("author")
    verbose_name_plural = _("authors (in byline order)")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["display_headline", "status", "section", "credit_line", "updated_at", "published_at"]
    list_display_links = ["display_headline"]
    list_filter = ["status", "section", "wire_service", ("authors", admin.RelatedOnlyFieldListFilter), TagFilter]
    date_hierarchy = "published_at"
    search_fields = ["headline", "dek", "body", "tags__name", "wire_guid"]
    search_help_text = _("Searches headline, dek, body, tags and wire GUID.")
    autocomplete_fields = ["section", "wire_service", "lead_image"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["lead_image_preview", "created_at", "created_by", "updated_at", "updated_by"]
    inlines = [BylineInline]
    list_per_page = 50
    ordering = ["-updated_at"]

    class Media:
        css = {"all": ["articles/admin/desk.css"]}
    # The byline inline is drawn inside the "Credit" fieldset by the change_form template.
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"]}),
        (_("Credit"), {"fields": ["credit_override", "wire_service", ("wire_guid", "wire_version"), "dateline"]}),
        (_("Placement"), {"fields": ["section", "tags", "lead_image", "lead_image_preview", "is_home_lead"]}),
        (_("Publishing"), {"fields": ["slug", "status", "published_at"]}),
        (
            _("History"),
            {"fields": [("created_at", "created_by"), ("updated_at", "updated_by")], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        # Every column reads only what these joins and prefetches bring, so a
        # page of 50 stories costs the same number of queries as a page of one.
        return super().get_queryset(request).with_credit().select_related("section")

    @admin.display(description=_("headline"), ordering="headline")
    def display_headline(self, article):
        if article.headline:
            return article.headline
        return format_html('<span class="needs-headline">{}</span>', _("Needs headline"))

    @admin.display(description=_("credit line"))
    def credit_line(self, article):
        return article.credit_line

    @admin.display(description=_("preview"))
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

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_public else None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_article_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tag names for the tag field's autocomplete: prefix matches first."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"results": []}, status=403)
        term = request.GET.get("q", "").strip()
        if not term:
            return JsonResponse({"results": []})
        prefix = list(Tag.objects.filter(name__istartswith=term).order_by("name").values_list("name", flat=True)[:10])
        contains = Tag.objects.filter(name__icontains=term).exclude(name__in=prefix).order_by("name")
        names = prefix + list(contains.values_list("name", flat=True)[: 10 - len(prefix)])
        return JsonResponse({"results": names})
