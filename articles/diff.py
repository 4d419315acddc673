"""Readable differences between two versions of a story, for the revision views."""

import difflib
import html
import re

from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe

_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str):
    """HTML marking words removed (<del>) and added (<ins>) between two texts."""
    old_words, new_words = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(new_words[b1:b2])))
    return mark_safe("".join(parts))


def body_text(body_html: str):
    """
    Body HTML as paragraphs of plain text, one per line, for diffing. Entities
    are decoded here, because `word_diff` escapes its output once: left as
    `&lt;` they would reach the page as a visible "&amp;lt;".
    """
    blocks = re.split(r"</(?:p|h2|h3|li|blockquote)>", body_html or "")
    texts = (html.unescape(strip_tags(block)).strip() for block in blocks)
    return "\n\n".join(text for text in texts if text)


def compare(old: dict, new: dict, labels: dict, display=None):
    """
    Rows of (label, old value, new value, diff HTML) for every field that
    differs between two snapshots. `display(field, value)` turns ids into names.
    """
    display = display or (lambda field, value: value)
    rows = []
    for field, label in labels.items():
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        if field == "body":
            before_text, after_text = body_text(before), body_text(after)
        else:
            before_text, after_text = _as_text(display(field, before)), _as_text(display(field, after))
        rows.append((label, before_text, after_text, word_diff(before_text, after_text)))
    return rows


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
