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
from django.utils.html import format_html

from .decisions import choose, reader_of
from .models import Placement


def stylesheet(request, context):
    if context.get("article") is None:
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static("paywall/paywall.css"))


def top_banner(request, context):
    return _prompt(request, context, Placement.TOP_BANNER)


def article_end(request, context):
    return _prompt(request, context, Placement.ARTICLE_END)


def _prompt(request, context, placement):
    article = context.get("article")
    if article is None or context.get("preview"):
        return ""
    prompt = choose(article, reader_of(request), placement)
    if prompt is None:
        return ""
    return render_prompt(prompt, request=request, count=True)


def render_prompt(prompt, *, request=None, count=True):
    """A prompt's HTML; `count=False` (the admin's preview) leaves out the impression pixel."""
    return render_to_string("paywall/prompt.html", {"prompt": prompt, "count": count}, request=request)
