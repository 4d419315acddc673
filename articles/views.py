"""
Reader pages. Every query starts from `Article.objects.published()`, so no
view decides on its own what readers may see.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from taggit.models import Tag

from .models import Article, Section

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
    article = get_object_or_404(
        Article.objects.published().for_listing().prefetch_related("tags"),
        section__slug=section,
        slug=slug,
    )
    # The date in the URL is decoration; send readers of a mistyped one to the real address.
    if request.path != article.get_absolute_url():
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})
