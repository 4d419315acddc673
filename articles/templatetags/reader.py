"""Small helpers for the reader's templates: machine-readable times and page links."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils import timezone

from .. import extensions
from ..structured_data import absolute_url as site_absolute_url

register = template.Library()


@register.filter
def iso(value):
    """
    A time as `<time datetime>` and feeds want it: ISO 8601 in the newsroom's
    zone, to the second ("2019-09-26T19:30:00+09:00"). Django's "c" format
    keeps microseconds, which the HTML checker refuses.
    """
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def slot(context, name):
    """What other apps put in this place of the page (articles/extensions.py): often nothing."""
    return extensions.render_slot(name, context.get("request"), context)


@register.simple_tag(takes_context=True)
def story_text(context, body_html, metered=False):
    """
    A story's (sanitized) text with what other apps place between its
    paragraphs (articles/extensions.py); a metered story's part past the
    public preview marked as the part a used-up meter withholds.
    """
    gated_after = settings.PREMIUM_PREVIEW_PARAGRAPHS if metered else 0
    return extensions.with_inserts(body_html, context.get("request"), context, gated_after=gated_after)


@register.simple_tag(takes_context=True)
def page_url(context, number, absolute=False):
    """
    The address of page `number` of the current list, keeping the search
    words: page 1 has no page number, so each page has one address.
    """
    request = context["request"]
    params = {}
    query = context.get("query")
    if query:
        params["q"] = query
    if number and int(number) > 1:
        params["page"] = number
    url = request.path + ("?" + urlencode(params) if params else "")
    return site_absolute_url(url, request) if absolute else url


@register.simple_tag(takes_context=True)
def list_url(context, params, absolute=False):
    """The address of a story list's page from its parameters (listings.StoryPage: {} is the newest page)."""
    request = context["request"]
    url = request.path + ("?" + urlencode(params) if params else "")
    return site_absolute_url(url, request) if absolute else url
