"""
Article HTML: the allow-list every body is stored under.

Bodies come from the editor, from wire copy and from imports. Whatever the
door, the stored HTML has passed `sanitize_body`, so templates may mark it safe.
"""

import re

import nh3
from django.utils.html import escape

ALLOWED_TAGS = {"p", "h2", "h3", "blockquote", "ul", "ol", "li", "a", "strong", "em", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    # Outbound links in news copy are not endorsements.
    link_rel="noopener noreferrer nofollow",
    # Drop the contents of these, not just the tags, so no script text leaks into the story.
    clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
)
_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|&nbsp;|<br>)*</p>")
_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)
_BLOCKS = "p|h2|h3|blockquote|ul|ol|li"
# Indentation between blocks (from XML sources) becomes one newline; space inside a paragraph is kept.
_BETWEEN_BLOCKS = re.compile(rf"(</(?:{_BLOCKS})>)\s+(?=<(?:{_BLOCKS})[\s>])")


def sanitize_body(html: str) -> str:
    """Return `html` reduced to the allow-list, without empty paragraphs."""
    if not html:
        return ""
    cleaned = _EMPTY_PARAGRAPH.sub("", _cleaner.clean(html))
    return _BETWEEN_BLOCKS.sub(r"\1\n", cleaned).strip()


def split_opening(html: str, paragraphs: int) -> tuple[str, str]:
    """
    A body cut after its `paragraphs`-th paragraph, always short of the whole
    when it has more than none: a premium story's public preview, and the
    rest. Cut on the HTML source and each part sanitized again, so a cut
    inside a list or a quote comes out closed.
    """
    html = html or ""
    ends = [match.end() for match in _PARAGRAPH_END.finditer(html)]
    shown = max(0, min(paragraphs, len(ends) - 1))
    cut = ends[shown - 1] if shown else 0
    return sanitize_body(html[:cut]), sanitize_body(html[cut:])


def opening(html: str, paragraphs: int) -> str:
    return split_opening(html, paragraphs)[0]


def insert_after_paragraph(html: str, paragraph: int, fragment: str) -> str:
    """`fragment` placed after the body's `paragraph`-th paragraph, or at its end if it has fewer."""
    ends = [match.end() for match in _PARAGRAPH_END.finditer(html or "")]
    if paragraph < 1 or paragraph > len(ends):
        return html + fragment
    cut = ends[paragraph - 1]
    return html[:cut] + fragment + html[cut:]


def paragraphs_to_html(paragraphs) -> str:
    """Plain-text paragraphs as body HTML, one <p> each, with the text escaped."""
    return "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs if text.strip())


def with_dateline(body_html: str, dateline: str) -> str:
    """
    Run the dateline into the lede, as print does: "NEW YORK – The foreign…".
    `body_html` must already be sanitized; the dateline is escaped here.
    """
    if not dateline:
        return body_html
    marker = f'<span class="dateline">{escape(dateline)} –</span> '
    if body_html.startswith("<p>"):
        return "<p>" + marker + body_html[len("<p>") :]
    return f"<p>{marker}</p>\n{body_html}"
