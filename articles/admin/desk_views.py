"""
The story admin's own pages and buttons beyond the form: preview, shared
preview links, the soft lock's "Take over", agency updates, the Trash's
"Restore" and tag suggestions. Each checks who may see or edit the story,
then calls one service.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import Article
from ..services import stories
from ..services.editing import take_over
from ..services.ingest import WireRejected
from ..services.previews import revoke_links, share_link
from ..services.trash import restore_story
from ..services.wire_updates import apply_update
from ..tags import suggest_tags
from ..views.reader import render_preview
from ..workflow import can_edit
from .workflow import describe_error


class DeskViews:
    def desk_urls(self):
        def route(pattern, function, name):
            return path(pattern, self.admin_site.admin_view(function), name=f"articles_article_{name}")

        return [
            route("tag-suggestions/", self.tag_suggestions, "tag_suggestions"),
            route("<int:pk>/preview/", self.preview_view, "preview"),
            route("<int:pk>/share-preview/", self.share_preview_view, "share_preview"),
            route("<int:pk>/revoke-previews/", self.revoke_previews_view, "revoke_previews"),
            route("<int:pk>/take-over/", self.take_over_view, "take_over"),
            route("<int:pk>/apply-update/", self.apply_update_view, "apply_update"),
            route("<int:pk>/restore/", self.restore_from_trash_view, "restore_from_trash"),
        ]

    def story_or_404(self, request, pk, *, edit=False):
        """The story if `user` may see it (else 404, as if it did not exist), and edit it if asked (else 403)."""
        article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
        if edit and not can_edit(request.user, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _back_to(article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def preview_view(self, request, pk):
        """The story exactly as its public page will show it, in any state."""
        self.story_or_404(request, pk)
        return render_preview(request, Article.objects.for_page().get(pk=pk), shared=False)

    def share_preview_view(self, request, pk):
        article = self.story_or_404(request, pk, edit=True)
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
        article = self.story_or_404(request, pk, edit=True)
        if request.method == "POST":
            revoke_links(article=article, user=request.user)
            self.message_user(request, _("Every preview link shared for this story has stopped working."))
        return self._back_to(article)

    def take_over_view(self, request, pk):
        article = self.story_or_404(request, pk, edit=True)
        if request.method == "POST":
            take_over(article=article, user=request.user)
            self.message_user(request, _("You have taken over this story."))
        return self._back_to(article)

    def apply_update_view(self, request, pk):
        """Put the agency's newer version over the desk's edits; the edits stay in the revisions."""
        article = self.story_or_404(request, pk, edit=True)
        if request.method == "POST":
            try:
                apply_update(article=article, user=request.user)
            except (WireRejected, stories.StaleStory, PermissionDenied, ValidationError) as error:
                self.message_user(request, describe_error(error), messages.ERROR)
            else:
                self.message_user(request, _("The agency's update has been applied."), messages.SUCCESS)
        return self._back_to(article)

    def restore_from_trash_view(self, request, pk):
        article = self.story_or_404(request, pk)
        if not self.has_delete_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            restore_story(story=article, user=request.user)
            self.message_user(request, _("“%s” is back on the desk, as it was.") % article, messages.SUCCESS)
        return self._back_to(article)

    def tag_suggestions(self, request):
        """Existing tag names for the tag field's autocomplete: prefix matches first."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"results": []}, status=403)
        term = request.GET.get("q", "").strip()
        return JsonResponse({"results": suggest_tags(term)})
