"""
Reader pages. Every story shown comes from `Article.objects.published()`;
withdrawn and killed stories come from `gone()` only to answer 410.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from ..models import Article, OldURL, Section
from ..services.previews import article_from_link

PAGE_SIZE = 20


def home(request):
    stories = Article.objects.published().for_listing().latest_first()
    lead = stories.filter(is_home_lead=True).first() or stories.first()
    latest = stories.exclude(pk=lead.pk)[:PAGE_SIZE] if lead else []
    return render(request, "articles/home.html", {"lead": lead, "latest": latest})


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    stories = Article.objects.published().for_listing().filter(section=section).latest_first()
    return _story_list(request, stories, title=section.name, description=section.description)


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = Article.objects.published().for_listing().filter(tags=tag).latest_first()
    return _story_list(request, stories, title=_("Tag: %(name)s") % {"name": tag.name})


def _story_list(request, stories, *, title, description=""):
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"title": title, "description": description, "page": page},
    )


def article_detail(request, section, year, month, day, slug):
    article = Article.objects.published().for_page().filter(section__slug=section, slug=slug).first()
    if article is not None:
        # The date in the URL is decoration; send readers of a mistyped one to the real address.
        if request.path != article.get_absolute_url():
            return redirect(article, permanent=True)
        return render(request, "articles/article_detail.html", {"article": article})

    gone = Article.objects.gone().filter(section__slug=section, slug=slug).first()
    if gone is None:
        old = OldURL.objects.filter(path=request.path).select_related("article").first()
        if old is not None and old.article.is_public:
            return redirect(old.article, permanent=True)
        gone = old.article if old is not None and old.article.is_gone else None
    if gone is not None:
        return render(request, "articles/gone.html", {"article": gone}, status=410)
    raise Http404(_("No story at this address."))


def render_preview(request, article, *, shared):
    response = render(request, "articles/article_detail.html", {"article": article, "preview": True, "shared": shared})
    # Previews are for people, never for search engines or shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def shared_preview(request, token):
    article = article_from_link(token)
    if article is None:
        return render(request, "articles/preview_expired.html", status=404)
    return render_preview(request, article, shared=True)
