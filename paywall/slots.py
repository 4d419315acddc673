"""
The paywall's part of the reader's pages, through the slots the article page
offers (articles/extensions.py): the stylesheet in <head>, a top banner above
the story, a prompt inside its text or after its last paragraph, an overlay.

A prompt that is the same for every reader of a kind (anonymous,
registered, subscriber) is printed in the page. One that depends on the
reader (decisions.for_page) leaves a slot in the page instead, which
paywall.js fills from the decision endpoint; the slot's <noscript> holds
what a browser without JavaScript gets.

A printed prompt carries a one-pixel image whose request counts the
impression (views.seen): a page from the page cache still counts each
reader, robots that fetch no images are not counted, and nothing here
writes to the database while the page is drawn. The button goes through
views.go, which counts the click.
"""

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

from .decisions import candidates, for_page, meter_counting, reader_of
from .models import Placement, Reader


def head(request, context):
    """The stylesheet on a story's page, and the script when a slot on it is decided per reader."""
    article = context.get("article")
    if article is None:
        return ""
    stylesheet = format_html('<link rel="stylesheet" href="{}">', static("paywall/paywall.css"))
    if context.get("preview") or not _per_reader(request, article):
        return stylesheet
    return format_html('{}<script src="{}" defer></script>', stylesheet, static("paywall/paywall.js"))


def _per_reader(request, article):
    reader = reader_of(request)
    return any(for_page(article, reader, placement, request)[1] for placement in Placement.values)


def top_banner(request, context):
    return _in_page(request, context, Placement.TOP_BANNER)


def article_end(request, context):
    return format_html("{}{}", _meter_pixel(request, context), _in_page(request, context, Placement.ARTICLE_END))


def overlay(request, context):
    return _in_page(request, context, Placement.OVERLAY)


def inline(request, context):
    """An inline prompt, placed in the story's text after its paragraph N (articles/extensions.py inserts)."""
    article = context.get("article")
    if article is None or context.get("preview"):
        return None
    reader = reader_of(request)
    prompt, per_reader = for_page(article, reader, Placement.INLINE, request)
    if per_reader:
        # The slot goes where the best per-reader prompt asks to be; what fills it may ask elsewhere.
        best = next(p for p in candidates(article, reader, Placement.INLINE, request) if p.is_personal)
        fallback = render_placed(prompt, request=request, reader=reader) if prompt else ""
        return best.after_paragraph, _slot(article, Placement.INLINE, fallback)
    if prompt is None:
        return None
    return prompt.after_paragraph, render_prompt(prompt, request=request, reader=reader)


def gate(request, context):
    """
    Where a story stops for a reader not entitled to the rest: the best
    end-of-article prompt, else a plain offer. A per-reader prompt (an A/B
    test of the gate, say) is decided in a slot like any other; the gate's
    slot is always filled, with the plain offer at worst.
    """
    article = context.get("article")
    if article is None:
        return ""
    reader = reader_of(request)
    prompt, per_reader = for_page(article, reader, Placement.ARTICLE_END, request)
    fallback = render_prompt(prompt, request=request, reader=reader) if prompt else render_gate_offer(request, reader)
    if per_reader:
        return _slot(article, "gate", fallback)
    return fallback


def render_gate_offer(request, reader):
    return render_to_string("paywall/gate.html", {"signed_in": reader != Reader.ANONYMOUS}, request=request)


def _meter_pixel(request, context):
    """The story counts on the reader's meter when their browser fetches this (never for subscribers or robots)."""
    article = context.get("article")
    if article is None or context.get("preview") or article.is_premium or not meter_counting(request):
        return ""
    if reader_of(request) == Reader.SUBSCRIBER:
        return ""
    return format_html(
        '<img class="paywall-seen" src="{}" alt="" width="1" height="1">', reverse("paywall:meter", args=[article.pk])
    )


def _in_page(request, context, placement):
    article = context.get("article")
    if article is None or context.get("preview"):
        return ""
    reader = reader_of(request)
    prompt, per_reader = for_page(article, reader, placement, request)
    if per_reader:
        return _slot(article, placement, render_placed(prompt, request=request, reader=reader) if prompt else "")
    if prompt is None:
        return ""
    return render_placed(prompt, request=request, reader=reader)


def _slot(article, name, fallback_html):
    """A slot paywall.js fills for this reader; without JavaScript, `fallback_html` (counted by its pixel)."""
    return format_html(
        '<div class="paywall-slot" data-paywall-slot="{}" data-paywall-url="{}"><noscript>{}</noscript></div>',
        name,
        reverse("paywall:decide", args=[article.pk]),
        fallback_html,
    )


def render_placed(prompt, version=None, *, request=None, reader=Reader.ANONYMOUS, count=True):
    """A prompt as its placement shows it: an overlay in its dismissable frame, others as they are."""
    html = render_prompt(prompt, version, request=request, reader=reader, count=count)
    if prompt.placement != Placement.OVERLAY:
        return html
    # At most one overlay a page (one slot), dismissed with no script: an open
    # <details> whose "Not now" summary closes it; the stylesheet hides it closed.
    return render_to_string("paywall/overlay.html", {"prompt_html": html}, request=request)


def render_prompt(prompt, version=None, *, request=None, reader=Reader.ANONYMOUS, count=True):
    """
    A prompt's HTML in one of its texts (its own by default); `count=False`
    (the admin's preview, the decision endpoint, which counts itself) leaves
    out the impression pixel. `reader` decides the "Log in" link: the
    template never asks for the user, which would open an anonymous
    reader's session.
    """
    version = version or prompt.versions[0]
    context = {"prompt": prompt, "version": version, "count": count, "signed_in": reader != Reader.ANONYMOUS}
    return render_to_string("paywall/prompt.html", context, request=request)
