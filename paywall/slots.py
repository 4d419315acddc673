"""
The paywall's part of the reader's pages, through the slots the article page
offers (articles/extensions.py): the stylesheet in <head>, a top banner above
the story and a prompt after its last paragraph.

A shown prompt carries a one-pixel image whose request counts the impression
(views.seen): a page from the page cache still counts each reader, robots
that fetch no images are not counted, and nothing here writes to the
database while the page is drawn. The button goes through views.go, which
counts the click.
"""

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from . import meter
from .decisions import choose, reader_of
from .models import Placement, Reader


def stylesheet(request, context):
    if context.get("article") is None:
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static("paywall/paywall.css"))


def top_banner(request, context):
    return _prompt(request, context, Placement.TOP_BANNER)


def article_end(request, context):
    return format_html("{}{}", _meter_pixel(request, context), _prompt(request, context, Placement.ARTICLE_END))


def inline(request, context):
    """An inline prompt, placed in the story's text after its paragraph N (articles/extensions.py inserts)."""
    article = context.get("article")
    if article is None or context.get("preview"):
        return None
    reader = reader_of(request)
    prompt = choose(article, reader, Placement.INLINE)
    if prompt is None:
        return None
    return prompt.after_paragraph, render_prompt(prompt, request=request, reader=reader)


def overlay(request, context):
    """
    At most one overlay a page, dismissed with no script: an open <details>
    whose "Not now" summary closes it, and the stylesheet hides it closed.
    """
    html = _prompt(request, context, Placement.OVERLAY)
    if not html:
        return ""
    return render_to_string("paywall/overlay.html", {"prompt_html": html}, request=request)


def _meter_pixel(request, context):
    """The story counts on the reader's meter when their browser fetches this (never for subscribers or robots)."""
    article = context.get("article")
    if article is None or context.get("preview") or not meter.is_on() or article.is_premium:
        return ""
    if reader_of(request) == Reader.SUBSCRIBER:
        return ""
    return format_html(
        '<img class="paywall-seen" src="{}" alt="" width="1" height="1">', reverse("paywall:meter", args=[article.pk])
    )


def gate(request, context):
    """Where a premium story stops for a reader who does not subscribe: the best prompt, else a plain offer."""
    article = context.get("article")
    if article is None:
        return ""
    reader = reader_of(request)
    prompt = choose(article, reader, Placement.ARTICLE_END)
    if prompt is not None:
        return render_prompt(prompt, request=request, reader=reader)
    return render_to_string("paywall/gate.html", {"signed_in": reader != Reader.ANONYMOUS}, request=request)


def _prompt(request, context, placement):
    article = context.get("article")
    if article is None or context.get("preview"):
        return ""
    reader = reader_of(request)
    prompt = choose(article, reader, placement)
    if prompt is None:
        return ""
    return render_prompt(prompt, request=request, reader=reader)


def render_prompt(prompt, *, request=None, reader=Reader.ANONYMOUS, count=True):
    """
    A prompt's HTML; `count=False` (the admin's preview) leaves out the
    impression pixel. `reader` decides the "Log in" link: the template never
    asks for the user, which would open an anonymous reader's session.
    """
    context = {"prompt": prompt, "count": count, "signed_in": reader != Reader.ANONYMOUS}
    return render_to_string("paywall/prompt.html", context, request=request)
