"""
Metadata for machines in a page's <head>: canonical URL, description,
OpenGraph, Twitter card and JSON-LD (built in `articles.structured_data`).

    {% load seo %}
    {% article_meta article %}                                 the article page
    {% page_meta title=… description=… canonical=… home=True %}  lists; home=True on the home page
"""

from django import template
from django.conf import settings
from django.utils.http import urlencode
from django.utils.translation import to_locale

from .. import structured_data
from ..params import whole_number

register = template.Library()


def _og_locale(language):
    # OpenGraph wants ll_TT ("en_US"); a bare language ("ja") is the best a two-letter tag gives.
    return to_locale(language)


@register.inclusion_tag("articles/includes/article_meta.html", takes_context=True)
def article_meta(context, article, accessible_for_free=None, paywalled_selector=None):
    """
    A premium or metered story is marked as not free, its gated part by the
    `.story-gated` the article page prints. Where this reader's page stops at the opening
    (`full_text` false in the page's context), so does the description.
    """
    request = context.get("request")
    if accessible_for_free is None:
        accessible_for_free = not article.is_premium and not context.get("metered")
    if not accessible_for_free and paywalled_selector is None:
        paywalled_selector = ".story-gated"
    canonical = structured_data.absolute_url(article.get_absolute_url(), request)
    image = structured_data.share_image(article, request)
    news_article = structured_data.news_article(
        article,
        request=request,
        accessible_for_free=accessible_for_free,
        paywalled_selector=paywalled_selector,
        picture=image,
        opening_only=context.get("full_text") is False,
    )
    return {
        "canonical": canonical,
        "title": news_article["headline"],
        "description": news_article["description"],
        "image": image,
        "site_name": settings.NEWSROOM_NAME,
        "locale": _og_locale(news_article["inLanguage"]),
        "published_time": news_article["datePublished"],
        "modified_time": news_article["dateModified"],
        "section": news_article.get("articleSection", ""),
        "tags": news_article["keywords"],
        "json_ld": [
            structured_data.json_ld(news_article),
            structured_data.json_ld(structured_data.breadcrumbs(article, request=request)),
        ],
    }


def _current_page_url(request):
    """
    This list page's own address: its path, and its place in the list (a page
    number past the first, or a story lists' `before`/`after`), never other parameters.
    """
    page = whole_number(request.GET.get("page", ""))
    if page is not None and page > 1:
        return f"{request.path}?{urlencode({'page': page})}"
    for place in ("before", "after"):
        value = whole_number(request.GET.get(place, ""))
        if value is not None:
            return f"{request.path}?{urlencode({place: value})}"
    return request.path


@register.inclusion_tag("articles/includes/page_meta.html", takes_context=True)
def page_meta(context, title="", description="", canonical=None, home=False):
    request = context.get("request")
    if canonical is None and request is not None:
        canonical = _current_page_url(request)
    json_ld = []
    if home:
        json_ld = [
            structured_data.json_ld(structured_data.website(request)),
            structured_data.json_ld(structured_data.organization(request)),
        ]
    return {
        "canonical": structured_data.absolute_url(canonical or "", request),
        "title": title or settings.NEWSROOM_NAME,
        "description": " ".join(str(description).split()),
        "image": {
            **structured_data.static_image(settings.NEWSROOM_DEFAULT_IMAGE, request),
            "alt": settings.NEWSROOM_NAME,
        },
        "site_name": settings.NEWSROOM_NAME,
        "locale": _og_locale(settings.NEWSROOM_LANGUAGE),
        "json_ld": json_ld,
    }
