"""What the table-driven parser tests compare: a WireStory as the desk will see it."""

import html
import re

from articles.html import sanitize_body
from tests.ingest.conftest import read

_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def paragraphs(story):
    """The story's paragraphs as readers will get them: sanitized HTML's <p>s as text, or its plain paragraphs."""
    if story.body_html:
        found = [_text(paragraph) for paragraph in _PARAGRAPH.findall(sanitize_body(story.body_html))]
        return [paragraph for paragraph in found if paragraph]
    return list(story.paragraphs)


def _text(html_paragraph):
    """A sanitized paragraph's text: tags dropped, entities decoded, no-break spaces kept."""
    return re.sub(r"[ \t\n]+", " ", html.unescape(re.sub(r"<[^>]+>", "", html_paragraph))).strip()


def summary(story, keys):
    """The fields `keys` names: "first", "last" and "count" are paragraphs, the rest WireStory attributes."""
    body = paragraphs(story)
    derived = {"first": body[0] if body else "", "last": body[-1] if body else "", "count": len(body)}
    return {key: derived[key] if key in derived else getattr(story, key) for key in keys}


def story_from(parse, relative, index=0):
    """The `index`th story a parser makes of a fixture file."""
    stories = parse(read(relative))
    return stories[index] if isinstance(stories, list) else stories


def fields_of(story, names, *, paragraphs_of=paragraphs):
    """`story`'s fields `names`; "paragraphs" is (count, first, last) of `paragraphs_of(story)`."""
    found = paragraphs_of(story) if "paragraphs" in names else []
    counted = (len(found), found[0], found[-1]) if found else (0, "", "")
    return {name: counted if name == "paragraphs" else getattr(story, name) for name in names}
