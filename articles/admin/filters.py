"""The story list's filters: the desk's quick views, the Trash, and tags."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy
from taggit.models import Tag


class DeskFilter(admin.SimpleListFilter):
    title = gettext_lazy("desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [
            ("mine", gettext_lazy("My drafts")),
            ("needs_headline", gettext_lazy("Needs headline")),
            ("agency_unknown", gettext_lazy("Agency unknown")),
            ("in_review", gettext_lazy("In review")),
            ("scheduled", gettext_lazy("Scheduled")),
            ("embargoed", gettext_lazy("Embargoed")),
            ("today", gettext_lazy("Published today")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "mine":
                return queryset.drafts_of(request.user)
            case "needs_headline":
                return queryset.needs_headline()
            case "agency_unknown":
                return queryset.agency_unknown()
            case "in_review":
                return queryset.in_review()
            case "scheduled":
                return queryset.scheduled()
            case "embargoed":
                return queryset.embargoed()
            case "today":
                return queryset.published_today()
        return queryset


class TrashFilter(admin.SimpleListFilter):
    """The list shows the desk's stories; the Trash is a view of its own."""

    title = gettext_lazy("trash")
    parameter_name = "trash"

    def lookups(self, request, model_admin):
        return [("yes", gettext_lazy("In the Trash"))]

    def choices(self, changelist):
        # Without a choice the list shows the desk's stories, never the Trash's too.
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": gettext_lazy("Not in the Trash"),
        }
        yield {
            "selected": self.value() == "yes",
            "query_string": changelist.get_query_string({self.parameter_name: "yes"}),
            "display": gettext_lazy("In the Trash"),
        }

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.in_trash()
        return queryset.not_in_trash()


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
