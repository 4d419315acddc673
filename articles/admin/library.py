"""Admin for the things stories are built from: sections, authors, agencies and images."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import page_cache
from ..models import Author, Image, Section, WireService
from ..renditions import CROPS, current_renditions, plan
from ..services.images import EDIT_PUBLISHED, can_change_image, on_published_story, stories_showing, update_image


class ShownToReadersAdmin(admin.ModelAdmin):
    """Sections, authors and agencies are printed on reader pages: a change empties the page cache."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        page_cache.reader_pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        page_cache.reader_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        page_cache.reader_pages_changed()


@admin.register(Section)
class SectionAdmin(ShownToReadersAdmin):
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
class AuthorAdmin(ShownToReadersAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "bio", "user__username"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(WireService)
class WireServiceAdmin(ShownToReadersAdmin):
    """
    Agencies. Only a hash of each push token is stored: a token is shown once,
    in the message after it is set, and never again. Those who may change an
    agency get buttons (templates/admin/articles/wireservice/change_form.html)
    to set a new token or turn pushing off; the others see whether pushing is on.
    """

    list_display = ["name", "credit", "slug", "website", "accepts_push"]
    search_fields = ["name", "credit", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["accepts_push"]
    fieldsets = [
        (None, {"fields": ["name", "credit", "slug", "website", "usage_terms"]}),
        (_("Wire ingest"), {"fields": ["boilerplate", "accepts_push"]}),
    ]

    def has_view_permission(self, request, obj=None):
        # An agency's page (push status, boilerplate, contract terms) is for those who may
        # change it. Reporters still pick an agency on the story and picture forms: Django's
        # autocomplete asks this very method, so it alone keeps the view permission.
        if self._is_autocomplete(request):
            return super().has_view_permission(request, obj)
        return self.has_change_permission(request, obj)

    def _is_autocomplete(self, request):
        match = getattr(request, "resolver_match", None)
        return match is not None and match.view_name == f"{self.admin_site.name}:autocomplete"

    def lookup_allowed(self, lookup, value, request=None):
        # The changelist filters on any of the model's own fields from the URL; never let
        # anyone probe the token's hash that way (?push_token_hash__startswith=…).
        return not lookup.startswith("push_token_hash") and super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("push"), boolean=True)
    def accepts_push(self, service):
        return service.accepts_push

    def get_urls(self):
        def route(pattern, view, name):
            return path(pattern, self.admin_site.admin_view(view), name=f"articles_wireservice_{name}")

        return [
            route("<int:pk>/push-token/new/", self.new_push_token_view, "new_push_token"),
            route("<int:pk>/push-token/off/", self.push_off_view, "push_off"),
            *super().get_urls(),
        ]

    def _service_to_change(self, request, pk):
        service = get_object_or_404(WireService, pk=pk)
        if not self.has_change_permission(request, service):
            raise PermissionDenied
        return service

    @staticmethod
    def _back_to(service):
        return HttpResponseRedirect(reverse("admin:articles_wireservice_change", args=[service.pk]))

    def new_push_token_view(self, request, pk):
        """A new token for the agency, shown this once; the previous one stops working."""
        service = self._service_to_change(request, pk)
        if request.method == "POST":
            token = service.set_push_token()
            self.log_change(request, service, gettext("Set a new push token."))
            self.message_user(
                request,
                format_html(
                    '{} <code class="push-token">{}</code><br>{}',
                    _("New push token for %(agency)s:") % {"agency": service},
                    token,
                    _(
                        "Copy it now and give it to the agency: it will not be shown again. "
                        "The previous token no longer works."
                    ),
                ),
                messages.SUCCESS,
            )
        return self._back_to(service)

    def push_off_view(self, request, pk):
        """No token works for the agency any more."""
        service = self._service_to_change(request, pk)
        if request.method == "POST":
            service.clear_push_token()
            self.log_change(request, service, gettext("Turned pushing off."))
            message = _("Pushing is off for %(agency)s: no token works.") % {"agency": service}
            self.message_user(request, message, messages.SUCCESS)
        return self._back_to(service)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    """
    The picture library. A picture a published story shows is the desk's: only
    editors change it, and each change is recorded on the stories that show it
    (`services.images`). A picture any story uses cannot be deleted.
    """

    class Media:
        css = {"all": ["articles/admin/desk.css"]}

    list_display = ["thumbnail", "__str__", "credit_line", "dimensions", "created_at"]
    list_select_related = ["wire_service"]
    list_filter = ["wire_service", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    autocomplete_fields = ["wire_service"]
    readonly_fields = ["thumbnail", "dimensions", "renditions_status", "used_by"]
    fieldsets = [
        (None, {"fields": ["file", "thumbnail", "alt_text", "caption", "credit", "wire_service", "dimensions"]}),
        (
            _("Crops"),
            {
                "fields": ["focal_x", "focal_y", "renditions_status"],
                "description": _(
                    "Cards crop pictures to 16:9. Set where the subject is so the crop keeps it; "
                    "saving makes the crops again."
                ),
            },
        ),
        (_("Use"), {"fields": ["used_by"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description=_("picture"))
    def thumbnail(self, image):
        if not image.file:
            return "—"
        if not image.is_available:
            return _("file missing")
        # The smallest rendition, not the original (which may be megabytes), once there is one.
        smallest = current_renditions(image).get("jpeg", [])
        url = smallest[0].file.url if smallest else image.file.url
        return format_html('<img src="{}" alt="" class="image-thumbnail">', url)

    @admin.display(description=_("renditions"))
    def renditions_status(self, image):
        if not image.pk:
            return "—"
        wanted = len(plan(image))
        made = sum(len(rows) for crop in ["", *CROPS] for rows in current_renditions(image, crop).values())
        if made >= wanted:
            return _("All %(count)s made.") % {"count": wanted}
        return _("%(made)s of %(count)s made; pages show the original until the rest are.") % {
            "made": made,
            "count": wanted,
        }

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width else "—"

    @admin.display(description=_("credit"))
    def credit_line(self, image):
        return image.credit_line

    @admin.display(description=_("lead image of"))
    def used_by(self, image):
        stories = stories_showing([image]).order_by("pk") if image.pk else []
        if not stories:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((self.story_link(s),) for s in stories)))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Which stories use a picture can name drafts and embargoed stories a reporter may not open.
        if not request.user.has_perm(EDIT_PUBLISHED):
            fieldsets = [fieldset for fieldset in fieldsets if fieldset[1]["fields"] != ["used_by"]]
        return fieldsets

    # Who may change a picture: see services.images.can_change_image. Without it the
    # form is shown read-only and a POST is refused (403).

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and can_change_image(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        image = self.get_object(request, unquote(object_id))
        context = {"on_published_story": image is not None and on_published_story(image)}
        return super().change_view(request, object_id, form_url, {**context, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if change:
            update_image(image=obj, changed_fields=form.changed_data, user=request.user)
        else:
            super().save_model(request, obj, form, change)

    # Deleting: a picture any story shows (the Trash included) is protected; list those stories.

    def get_deleted_objects(self, objs, request):
        stories = list(stories_showing(objs).select_related("lead_image").order_by("pk"))
        if not stories:
            return super().get_deleted_objects(objs, request)
        several = len(objs) > 1
        protected = [self.story_link(story, image=story.lead_image if several else None) for story in stories]
        # Nothing is deleted while any story uses a picture, so no other permission is in question.
        return [], {}, set(), protected

    @staticmethod
    def story_link(story, *, image=None):
        """A story on the desk, linked to its form, with its state: 'Headline (Published, in the Trash)'."""
        state = story.get_status_display()
        if story.trashed_at:
            state = _("%(status)s, in the Trash") % {"status": state}
        link = format_html(
            '<a href="{}">{}</a> ({})', reverse("admin:articles_article_change", args=[story.pk]), story, state
        )
        if image is None:
            return link
        return format_html("{} — {}", link, _("lead image: %(image)s") % {"image": image})
