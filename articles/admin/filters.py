"""The story list's filters: the desk's quick views, the Trash, and tags."""

from collections import Counter

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy
from taggit.models import Tag, TaggedItem


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
            # Small sets by nature, each read through its own index.
            case "needs_headline":
                return queryset & queryset.needs_headline().few()
            case "agency_unknown":
                return queryset & queryset.agency_unknown().few()
            case "in_review":
                return queryset.in_review()
            case "scheduled":
                return queryset & queryset.scheduled().few()
            case "embargoed":
                return queryset & queryset.embargoed().few()
            case "today":
                return queryset & queryset.published_today().few()
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
            return queryset & queryset.in_trash().few()
        return queryset.not_in_trash()


class TagFilter(admin.SimpleListFilter):
    """
    The tags most used lately as quick links; any tag works through ?tag=<slug>.
    "Lately" is the newest `recent` taggings: counting every tagging of the
    archive on each page view would cost more the older the paper gets.
    """

    title = gettext_lazy("tag")
    parameter_name = "tag"
    shown = 25
    recent = 5000

    def lookups(self, request, model_admin):
        # By the content type's id, not a join to it, so the newest taggings come off the primary key.
        latest = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(model_admin.model))
        uses = Counter(latest.order_by("-pk").values_list("tag_id", flat=True)[: self.recent])
        tags = Tag.objects.in_bulk([tag_id for tag_id, _count in uses.most_common(self.shown)])
        ranked = sorted(tags.values(), key=lambda tag: (-uses[tag.pk], tag.name))
        choices = [(tag.slug, tag.name) for tag in ranked]
        selected = self.value()
        if selected and selected not in {slug for slug, _name in choices}:
            tag = Tag.objects.filter(slug=selected).first()
            if tag:
                choices.append((tag.slug, tag.name))
        return choices

    def queryset(self, request, queryset):
        tag = Tag.objects.filter(slug=self.value()).first() if self.value() else None
        if self.value():
            return queryset.tagged(tag) if tag else queryset.none()
        return queryset
