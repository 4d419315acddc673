"""
The tag list: the desk's vocabulary, with rename, merge and delete.

These are editors' acts (taggit's change_tag and delete_tag permissions);
reporters tag stories through the story form and never reach this page. Each
act is one call to `services.tags`, which records it on the published
stories it changes.
"""

import taggit.admin  # noqa: F401  (taggit's own TagAdmin registers first, so it can be replaced here)
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from taggit.models import Tag

from ..models import Article
from ..services.tags import delete_tag, delete_tags, merge_tags, rename_tag, tag_named

NEW = "new"

admin.site.unregister(Tag)


class TagForm(forms.ModelForm):
    """Renaming a tag. A name another tag already has is refused here, with the way to merge them."""

    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        other = tag_named(name, exclude=[self.instance])
        if other:
            both = reverse("admin:taggit_tag_changelist") + f"?id__in={other.pk},{self.instance.pk}"
            raise ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Another tag is already called “%(name)s”. To make them one tag, merge them:") % {"name": other},
                    both,
                    _("show both on the tag list, tick them and choose “Merge selected tags”."),
                ),
                code="duplicate",
            )
        return name


class MergeTagsForm(forms.Form):
    """The merge confirmation: which of the selected tags to keep, or a name for the one tag they become."""

    into = forms.ChoiceField(label=gettext_lazy("Keep"), widget=forms.RadioSelect)
    new_name = forms.CharField(
        label=gettext_lazy("New name"),
        required=False,
        max_length=Tag._meta.get_field("name").max_length,
        help_text=gettext_lazy("With “a new name” above. If a tag of that name exists, the tags merge into it."),
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = {str(tag.pk): tag for tag in tags}
        self.fields["into"].choices = [
            *((str(tag.pk), _tag_with_count(tag)) for tag in tags),
            (NEW, _("a new name:")),
        ]
        self.fields["into"].initial = str(max(tags, key=lambda tag: tag.story_count).pk)

    def clean(self):
        cleaned = super().clean()
        into, name = cleaned.get("into"), cleaned.get("new_name", "").strip()
        if into == NEW and not name:
            self.add_error("new_name", _("Type the name of the tag they become."))
        cleaned["target"] = name if into == NEW else self.tags.get(into)
        return cleaned


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "story_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    fields = ["name", "slug", "stories"]
    readonly_fields = ["slug", "stories"]
    actions = ["merge_selected"]
    stories_shown = 20

    def get_queryset(self, request):
        articles = ContentType.objects.get_for_model(Article)
        return (
            super()
            .get_queryset(request)
            .annotate(
                story_count=Count("taggit_taggeditem_items", filter=Q(taggit_taggeditem_items__content_type=articles))
            )
        )

    # Tags are made by tagging stories; an empty tag here would be a tag on nothing.
    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("stories"), ordering="story_count")
    def story_count(self, tag):
        return tag.story_count

    @admin.display(description=gettext_lazy("stories"))
    def stories(self, tag):
        stories = Article.objects.filter(tags=tag).order_by("-pk")
        shown = stories[: self.stories_shown]
        if not shown:
            return _("No story carries this tag.")
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (reverse("admin:articles_article_change", args=[story.pk]), story, story.get_status_display())
                for story in shown
            ),
        )
        total = stories.count()
        more = _("and %(count)d more") % {"count": total - self.stories_shown} if total > self.stories_shown else ""
        return format_html("<ul>{}</ul>{}", items, more)

    # Every write goes through services.tags.

    def save_model(self, request, obj, form, change):
        renamed = rename_tag(tag=obj, name=form.cleaned_data["name"], user=request.user)
        obj.name, obj.slug = renamed.name, renamed.slug

    def delete_model(self, request, obj):
        delete_tag(tag=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        delete_tags(tags=list(queryset), user=request.user)

    @admin.action(description=gettext_lazy("Merge selected tags"), permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        """Ask which tag to keep (or a new name), then merge; the admin's delete action is the model."""
        tags = sorted(queryset, key=lambda tag: tag.name.casefold())
        if len(tags) < 2:
            self.message_user(request, _("Select two or more tags to merge."), messages.WARNING)
            return None
        form = MergeTagsForm(request.POST if request.POST.get("post") else None, tags=tags)
        if form.is_bound and form.is_valid():
            kept = merge_tags(tags=tags, into=form.cleaned_data["target"], user=request.user)
            merged = [tag.name for tag in tags if tag.pk != kept.pk]
            self.message_user(
                request,
                ngettext(
                    "Merged %(tags)s into “%(into)s”.",
                    "Merged %(tags)s into “%(into)s”.",
                    len(merged),
                )
                % {"tags": ", ".join(f"“{name}”" for name in merged), "into": kept.name},
                messages.SUCCESS,
            )
            return None  # back to the tag list
        stories = Article.objects.filter(tags__in=tags)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "tags": tags,
            "story_count": stories.values("pk").distinct().count(),
            "published_count": stories.published().values("pk").distinct().count(),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/taggit/tag/merge_confirmation.html", context)


def _tag_with_count(tag):
    count = tag.story_count
    return ngettext("%(name)s (%(count)d story)", "%(name)s (%(count)d stories)", count) % {
        "name": tag.name,
        "count": count,
    }
