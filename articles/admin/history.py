"""Revision views for the story admin: list, compare, restore, compare with published."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..diff import compare
from ..models import Article, Author, Image, Revision, Section, WireService
from ..services.revisions import restore_revision, snapshot
from ..workflow import can_edit

FIELD_LABELS = {
    "headline": gettext_lazy("Headline"),
    "dek": gettext_lazy("Dek"),
    "body": gettext_lazy("Body"),
    "author_ids": gettext_lazy("Authors"),
    "credit_override": gettext_lazy("Credit line override"),
    "wire_service_id": gettext_lazy("Wire service"),
    "wire_guid": gettext_lazy("Wire GUID"),
    "wire_version": gettext_lazy("Wire version"),
    "dateline": gettext_lazy("Dateline"),
    "wire_byline": gettext_lazy("Agency byline"),
    "copyright_holder": gettext_lazy("Copyright holder"),
    "copyright_notice": gettext_lazy("Copyright notice"),
    "usage_terms": gettext_lazy("Usage terms"),
    "section_id": gettext_lazy("Section"),
    "tags": gettext_lazy("Tags"),
    "lead_image_id": gettext_lazy("Lead image"),
    "is_home_lead": gettext_lazy("Home page lead"),
    "embargo_until": gettext_lazy("Embargo until"),
    "slug": gettext_lazy("Slug"),
}
RELATED = {"section_id": Section, "wire_service_id": WireService, "lead_image_id": Image}


def display_value(field, value):
    """Names instead of ids, so a diff reads as the desk thinks."""
    if field in RELATED and value is not None:
        obj = RELATED[field].objects.filter(pk=value).first()
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
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def revisions_view(self, request, pk):
        article = self._viewable(request, pk)
        revisions = article.revisions.select_related("user").defer("data")
        context = self._revision_context(request, article, title=_("Revisions of “%s”") % article, revisions=revisions)
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_view(self, request, pk, number):
        """One revision compared with the story as it is now."""
        article = self._viewable(request, pk)
        revision = get_object_or_404(Revision.objects.select_related("user"), article=article, number=number)
        rows = compare(revision.data, snapshot(article), FIELD_LABELS, display_value)
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
        article = get_object_or_404(Article, pk=pk)
        if not can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:articles_article_revision", args=[pk, number]))
        restore_revision(article=article, revision=revision, user=request.user)
        self.message_user(
            request, _("Revision %(number)s restored, as a new revision.") % {"number": number}, messages.SUCCESS
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))
