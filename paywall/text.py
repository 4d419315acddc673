"""
A prompt's text is not story text. A wire file or a pasted body that carries
the words of an active prompt (the reference Kyodo file ends with the
paper's own prompt) has those paragraphs removed when it is saved; the wire
item records what was removed (articles.services.stories, ingest).

Only whole paragraphs go, and only when every sentence in them is a
prompt's: a story that quotes one sentence of a prompt inside its own
paragraph keeps it.
"""

import re
import unicodedata

from articles.search.text import html_to_text

from .models import Prompt, PromptVariant

# A top-level paragraph of a sanitized body.
_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>\s*", re.DOTALL | re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")
# Sentences shorter than this are too common ("Subscribe now.") to be taken as a prompt's.
MIN_SENTENCE_CHARS = 25


def remove_prompt_text(body):
    """`body` without paragraphs made only of active prompts' and variants' sentences, and the text removed."""
    sentences = _prompt_sentences()
    if not sentences or not body:
        return body, []
    removed = []

    def drop(match):
        text = _normal(html_to_text(match[1]))
        own = [part for part in _sentences_of(text) if part not in sentences]
        if text and not own:
            removed.append(text)
            return ""
        return match[0]

    cleaned = _PARAGRAPH.sub(drop, body)
    return (cleaned if removed else body), removed


def _prompt_sentences():
    sentences = set()
    texts = [
        *Prompt.objects.filter(is_active=True).values_list("headline", "message"),
        *PromptVariant.objects.filter(prompt__is_active=True).values_list("headline", "message"),
    ]
    for headline, message in texts:
        for text in (headline, html_to_text(message)):
            sentences.update(part for part in _sentences_of(_normal(text)) if len(part) >= MIN_SENTENCE_CHARS)
    return sentences


def _sentences_of(text):
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _normal(text):
    text = unicodedata.normalize("NFKC", text or "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())
