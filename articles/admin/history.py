"""Revision views for the story admin: list, compare, restore, compare with published."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from ..diff import compare
from ..models import Article, Author, Revision
from ..services.revisions import field_labels, related_models, restore_revision, snapshot
from ..services.stories import StaleStory
from ..workflow import can_edit
from .workflow import describe_error


def display_value(field, value):
    """Names instead of ids, so a diff reads as the desk thinks."""
    related = related_models()
    if field in related and value is not None:
        obj = related[field]._default_manager.filter(pk=value).first()
        return str(obj) if obj else _("(deleted)")
    if field == "author_ids":
        names = dict(Author.objects.filter(pk__in=value or []).values_list("pk", "name"))
        return [names.get(pk, _("(deleted)")) for pk in value or []]
    return value


class RevisionViews:
    def revision_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("<int:pk>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path("<int:pk>/revisions/<int:number>/", view(self.revision_view), name="articles_article_revision"),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                view(self.restore_revision_view),
                name="articles_article_revision_restore",
            ),
            path(
                "<int:pk>/compare-published/",
                view(self.compare_published_view),
                name="articles_article_compare_published",
            ),
        ]

    def _revision_context(self, request, article, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "can_restore": can_edit(request.user, article),
            **extra,
        }

    def _viewable(self, request, pk):
        # Revisions hold the story's text: whoever may not open the story may not read them.
        return get_object_or_404(Article.objects.visible_to(request.user), pk=pk)

    def revisions_view(self, request, pk):
        article = self._viewable(request, pk)
        revisions = article.revisions.select_related("user").defer("data")
        context = self._revision_context(request, article, title=_("Revisions of “%s”") % article, revisions=revisions)
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_view(self, request, pk, number):
        """One revision compared with the story as it is now."""
        article = self._viewable(request, pk)
        revision = get_object_or_404(Revision.objects.select_related("user"), article=article, number=number)
        rows = compare(revision.data, snapshot(article), field_labels(), display_value)
        context = self._revision_context(
            request,
            article,
            title=_("Revision %(number)s compared with the current version") % {"number": number},
            revision=revision,
            rows=rows,
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def compare_published_view(self, request, pk):
        article = self._viewable(request, pk)
        published = article.revisions.filter(was_published=True).first()
        if published is None:
            self.message_user(request, _("This story has not been published yet."), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_revision", args=[pk, published.number]))

    def restore_revision_view(self, request, pk, number):
        article = self._viewable(request, pk)
        if not can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_revision", args=[pk, number]))
        try:
            restore_revision(article=article, revision=revision, user=request.user)
        except (ValidationError, StaleStory, PermissionDenied) as error:
            self.message_user(
                request,
                _("Revision %(number)s was not restored. %(reason)s")
                % {"number": number, "reason": describe_error(error)},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_revision", args=[pk, number]))
        self.message_user(
            request, _("Revision %(number)s restored, as a new revision.") % {"number": number}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
