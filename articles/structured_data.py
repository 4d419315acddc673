"""
Metadata for machines: what search engines and social networks read about a page.

Builders here return plain dicts (schema.org JSON-LD) and plain values (share
image, description, absolute URLs); `templatetags/seo.py` prints them in a
page's <head>. Feeds and sitemaps may call the same helpers, so a story is
described the same way everywhere.

Nothing here queries the database: every builder reads what
`Article.objects.published().for_page()` already fetched (credit, section,
lead image, tags).

Who is the author? Exactly the parties the printed credit line names
(`articles.credit.build_credit_line`): each staff author in byline order as a
Person, then the agency as an Organization. A credit line override is free
text, so its parties are read off it: the byline authors and the agency whose
names it prints, in the order it prints them. An override naming none of them
("Staff and wire reports") is the paper's own credit, so the author is the
paper.
"""

import functools
import json
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from PIL import Image as PILImage

from .html import opening
from .ingest.cleanup import plain_text
from .renditions import share_image as share_rendition

# Google shows at most this many characters of a headline in article results.
HEADLINE_MAX = 110
# About what a results page shows of a description.
DESCRIPTION_MAX = 160

# What `django.utils.html.json_script` escapes, so a string holding "</script>" or
# "<!--" cannot end or bend the <script> element; the line and paragraph separators
# too, for old JavaScript parsers.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data):
    """`data` as JSON that is safe to print inside <script type="application/ld+json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))


# Addresses.


def site_url(request=None):
    """The reader site's absolute base, without a trailing slash: SITE_URL, else the request's own."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def absolute_url(url, request=None):
    """`url` made absolute against the site; URLs already absolute (a CDN's) are kept."""
    if not url or url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return f"{site_url(request).partition(':')[0] or 'https'}:{url}"
    if not url.startswith("/"):
        url = "/" + url
    return site_url(request) + url


@functools.lru_cache(maxsize=16)
def _static_size(path):
    """Width and height of a static file, read once per process; (None, None) if it is not found."""
    found = finders.find(path)
    if not found:
        return None, None
    with PILImage.open(found) as picture:
        return picture.size


def static_image(path, request=None):
    """A static picture (NEWSROOM_LOGO, NEWSROOM_DEFAULT_IMAGE) as {"url", "width", "height"}."""
    width, height = _static_size(path)
    return {"url": absolute_url(static(path), request), "width": width, "height": height}


# The story's parts, as machines want them.


def shorten(text, limit):
    """`text` cut at a word boundary to at most `limit` characters, an ellipsis marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


def headline(article):
    return shorten(article.headline, HEADLINE_MAX)


def description(article, *, opening_only=False):
    """
    The dek; without one, the opening of the body as plain text, from what
    anyone may be sent (`public_body`), or only the opening paragraphs where
    this reader's page stops there (`opening_only`: a used-up meter).
    """
    dek = " ".join(article.dek.split())
    if dek:
        return dek
    body = opening(article.body, settings.PREMIUM_PREVIEW_PARAGRAPHS) if opening_only else article.public_body()
    return shorten(plain_text(body), DESCRIPTION_MAX)


def story_language(article):
    """The story's language (a BCP 47 tag such as "en" or "ja"), else the site's."""
    return article.language or settings.NEWSROOM_LANGUAGE


def iso_datetime(value):
    """ISO 8601 in the newsroom's zone with its offset, to the second: 2019-09-26T18:31:00+09:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _lead_image(image, request):
    """The lead picture's largest JPEG rendition when it has one (not yet made: the original file)."""
    rendition = share_rendition(image)
    if rendition:
        url, width, height = rendition
        return {"url": absolute_url(url, request), "width": width, "height": height}
    return {"url": absolute_url(image.file.url, request), "width": image.width, "height": image.height}


def share_image(article, request=None):
    """
    The picture search engines and social cards show for the story, as
    {"url", "width", "height", "alt"}: its lead image if the file is there,
    else the paper's default image (article results require a picture).
    """
    image = article.lead_image if article.lead_image_id else None
    if image is not None and image.is_available:
        return {**_lead_image(image, request), "alt": image.alt_text}
    return {**static_image(settings.NEWSROOM_DEFAULT_IMAGE, request), "alt": settings.NEWSROOM_NAME}


def tag_names(article):
    """The story's tags, read from the prefetch `for_page()` made (`tags.names()` would query)."""
    return [tag.name for tag in article.tags.all()]


# schema.org things.


def image_object(picture):
    data = {"@type": "ImageObject", "url": picture["url"]}
    if picture.get("width") and picture.get("height"):
        data["width"] = picture["width"]
        data["height"] = picture["height"]
    return data


def publisher(request=None):
    """The paper, as every page's JSON-LD names it."""
    home = absolute_url(reverse("articles:home"), request)
    return {
        "@type": "NewsMediaOrganization",
        "@id": f"{home}#publisher",
        "name": settings.NEWSROOM_NAME,
        "url": home,
        "logo": image_object(static_image(settings.NEWSROOM_LOGO, request)),
    }


def person(author, request=None):
    return {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(reverse("articles:author", args=[author.slug]), request),
    }


def agency_organization(wire_service, request=None):
    data = {
        "@type": "Organization",
        "name": wire_service.credit,
        "url": absolute_url(reverse("articles:agency", args=[wire_service.slug]), request),
    }
    if wire_service.name and wire_service.name != wire_service.credit:
        data["alternateName"] = wire_service.name
    if wire_service.website:
        data["sameAs"] = wire_service.website
    return data


def _printed_at(name, text):
    """Where `name` is printed in `text` as a whole word or phrase (case ignored), or None."""
    if not name:
        return None
    match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE)
    return match.start() if match else None


def credited_parties(article, request=None):
    """The story's authors as JSON-LD: the parties its credit line names (see the module's docstring)."""
    authors = [author for author in article.byline_authors if author.name]
    agency = article.wire_service if article.wire_service_id and article.wire_service.credit else None
    override = article.credit_override.strip()
    if not override:
        parties = [person(author, request) for author in authors]
        if agency is not None:
            parties.append(agency_organization(agency, request))
        return parties

    printed = []
    for author in authors:
        position = _printed_at(author.name, override)
        if position is not None:
            printed.append((position, person(author, request)))
    if agency is not None:
        positions = [_printed_at(name, override) for name in (agency.credit, agency.name)]
        positions = [position for position in positions if position is not None]
        if positions:
            printed.append((min(positions), agency_organization(agency, request)))
    if not printed:
        paper = publisher(request)
        return [{"@type": paper["@type"], "@id": paper["@id"], "name": paper["name"], "url": paper["url"]}]
    return [party for _position, party in sorted(printed, key=lambda item: item[0])]


def news_article(
    article, *, request=None, accessible_for_free=True, paywalled_selector=None, picture=None, opening_only=False
):
    """
    The story as a schema.org NewsArticle. The paywall passes
    `accessible_for_free=False` and the CSS selector of the gated part, which
    becomes `hasPart` as Google's subscription markup asks. `picture` is
    `share_image(article)` when the caller already has it.
    """
    picture = picture or share_image(article, request)
    canonical = absolute_url(article.get_absolute_url(), request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline(article),
        "description": description(article, opening_only=opening_only),
        "datePublished": iso_datetime(article.published_at),
        "dateModified": iso_datetime(article.modified_at or article.published_at),
        "author": credited_parties(article, request),
        "publisher": publisher(request),
        "image": [image_object(picture)],
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
        "keywords": tag_names(article),
        "isAccessibleForFree": bool(accessible_for_free),
        "inLanguage": story_language(article),
    }
    if article.section_id:
        data["articleSection"] = article.section.name
    if article.dateline:
        data["dateline"] = article.dateline
    if not accessible_for_free and paywalled_selector:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": paywalled_selector,
        }
    return data


def breadcrumbs(article, *, request=None):
    """Home → section → story, as a schema.org BreadcrumbList."""
    trail = [(settings.NEWSROOM_NAME, reverse("articles:home"))]
    if article.section_id:
        trail.append((article.section.name, article.section.get_absolute_url()))
    trail.append((headline(article), article.get_absolute_url()))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(url, request)}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def website(request=None):
    """The site, with the search box search engines may show for it (a SearchAction)."""
    home = absolute_url(reverse("articles:home"), request)
    search = absolute_url(reverse("articles:search"), request)
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": f"{home}#website",
        "name": settings.NEWSROOM_NAME,
        "url": home,
        "inLanguage": settings.NEWSROOM_LANGUAGE,
        "publisher": {"@id": f"{home}#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def organization(request=None):
    """The paper as a standalone JSON-LD document (the home page prints it)."""
    return {"@context": "https://schema.org", **publisher(request)}
