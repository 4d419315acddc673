"""
Reader pages. Every story shown comes from `Article.objects.published()`;
withdrawn and killed stories come from `gone()` only to answer 410.

Views pick the stories and the page; what a story list, a page of results or
the related stories are is decided in `articles/listings.py` and the querysets.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from .. import extensions, listings
from ..models import Article, Author, OldURL, Section, WireService
from ..services.previews import article_from_link


def home(request):
    front = listings.front_page()
    return render(request, "articles/home.html", {"lead": front.lead, "groups": front.groups})


def section(request, section):
    section = get_object_or_404(Section, slug=section)
    stories = Article.objects.published().filter(section=section)
    return _story_list(
        request, stories, title=section.name, description=section.description, feed_for={"section": section}
    )


def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = Article.objects.published().tagged(tag)
    return _story_list(request, stories, title=_("Tag: %(name)s") % {"name": tag.name}, feed_for={"tag": tag})


def author(request, slug):
    author = get_object_or_404(Author, slug=slug)
    stories = Article.objects.published().written_by(author)
    return _story_list(request, stories, title=author.name, description=author.bio, author=author)


def agency(request, slug):
    agency = get_object_or_404(WireService, slug=slug)
    stories = Article.objects.published().filter(wire_service=agency)
    return _story_list(
        request,
        stories,
        title=_("Stories from %(agency)s") % {"agency": agency.credit or agency.name},
        feed_for={"agency": agency},
    )


def archive(request, year, month=None, day=None):
    period = listings.ArchivePeriod.from_url(year, month, day)
    stories = Article.objects.published().filter(published_at__gte=period.start, published_at__lt=period.end)
    return _story_list(request, stories, title=period.title, template="articles/archive.html", period=period)


def search(request):
    query = listings.clean_query(request.GET.get("q", ""))
    page = listings.search_page(query, request.GET.get("page"))
    return render(
        request,
        "articles/search.html",
        {
            "query": query,
            "page": page,
            "title": _("Search") if not query else _("Search: %(query)s") % {"query": query},
        },
    )


def _story_list(request, stories, *, title, description="", template="articles/article_list.html", **context):
    try:
        page = listings.story_page(stories, request.GET)
    except listings.FirstPage:
        return redirect(request.path)
    return render(request, template, {"title": title, "description": description, "page": page, **context})


def article_detail(request, section, year, month, day, slug):
    article = Article.objects.published().for_page().filter(section__slug=section, slug=slug).one()
    if article is not None:
        # The date in the URL is decoration; send readers of a mistyped one to the real address.
        if request.path != article.get_absolute_url():
            return redirect(article, permanent=True)
        return render(
            request,
            "articles/article_detail.html",
            {
                "article": article,
                "related": listings.related_stories(article),
                # A premium story's text past the preview is sent only to readers entitled to it.
                "full_text": extensions.may_read_in_full(request, article),
                "metered": extensions.is_metered(article),
            },
        )

    gone = Article.objects.gone().filter(section__slug=section, slug=slug).one()
    if gone is None:
        old = OldURL.objects.filter(path=request.path).select_related("article").first()
        if old is not None and old.article.is_public:
            return redirect(old.article, permanent=True)
        gone = old.article if old is not None and old.article.is_gone else None
    if gone is not None:
        return render(request, "articles/gone.html", {"article": gone}, status=410)
    raise Http404(_("No story at this address."))


def render_preview(request, article, *, shared):
    context = {"article": article, "preview": True, "shared": shared, "full_text": True}
    response = render(request, "articles/article_detail.html", context)
    # Previews are for people, never for search engines or shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def shared_preview(request, token):
    article = article_from_link(token)
    if article is None:
        return render(request, "articles/preview_expired.html", status=404)
    return render_preview(request, article, shared=True)
