"""Admin for the things stories are built from: sections, authors, agencies and images."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Author, Image, Section, WireService


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "show_in_navigation", "story_count"]
    list_editable = ["position", "show_in_navigation"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # Meta.ordering is not applied to grouped queries; restate it.
        return super().get_queryset(request).annotate(story_count=Count("articles")).order_by("position", "name")

    @admin.display(description=_("stories"), ordering="story_count")
    def story_count(self, section):
        return section.story_count


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "bio", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(WireService)
class WireServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "credit", "slug", "website", "accepts_push"]
    search_fields = ["name", "credit", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "credit", "slug", "website", "usage_terms"]}),
        (_("Wire ingest"), {"fields": ["boilerplate", "push_token"]}),
    ]

    @admin.display(description=_("push"), boolean=True)
    def accepts_push(self, service):
        return bool(service.push_token)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit_line", "dimensions", "created_at"]
    list_select_related = ["wire_service"]
    list_filter = ["wire_service", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    autocomplete_fields = ["wire_service"]
    readonly_fields = ["thumbnail", "dimensions"]
    fields = ["file", "thumbnail", "alt_text", "caption", "credit", "wire_service", "dimensions"]

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        if not image.file:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-width: 120px; max-height: 90px; height: auto">', image.file.url
        )

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description=_("credit"))
    def credit_line(self, image):
        return image.credit_line
