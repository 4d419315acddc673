"""
Text as the search index sees it, and readers' queries as terms, the same way
on both databases.

Neither FTS5's unicode61 tokenizer nor PostgreSQL's parser splits Chinese or
Japanese into words (there are no spaces between them), so "共同通信" would be
one token that "共同" never matches. Both sides are therefore normalised the
same way: NFKC, then a space put between every CJK character and its
neighbours, so each character is a token and a CJK query becomes a phrase of
consecutive characters ("ソウル" → "ソ ウ ル"). A space the text really had next
to a CJK character is doubled, so `restore_spacing` can undo the change
exactly when a snippet is shown.

A query never reaches MATCH or to_tsquery as typed: `parse_query` turns it into
terms made only of letters and digits, each searched as a phrase, which the
backends quote themselves. Quotes group words into one phrase; a leading "-"
excludes a term; everything else (operators, brackets, stars) is plain text.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Scripts written without spaces between words: Hangul Jamo, CJK radicals and
# symbols, kana, bopomofo, Hangul compatibility jamo, CJK ideographs (with
# extensions and compatibility forms), Hangul syllables.
_CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")
_CJK_BOUNDARY = re.compile(rf"(?<=[{_CJK}])(?=\S)|(?<=\S)(?=[{_CJK}])")
# Control characters (the snippet markers among them) never reach the index,
# nor do lone surrogates, which no database driver can encode.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")

# What the databases wrap around matches in snippets; stripped from indexed text, so unambiguous.
MARK_START, MARK_END = "\x02", "\x03"
# PostgreSQL's parser reads "<script>" in plain text as a tag, and ts_headline
# drops it from snippets; stored as this control character, "<" is a space to
# both parsers and comes back as "<" in the snippet.
LESS_THAN = "\x1a"
_SPACES_IN_SNIPPET = re.compile(r"[\x02\x03]*( +)[\x02\x03]*")

# A reader's query is cut to this many terms, and each term to this many tokens:
# enough for any real question, and a pasted page costs no more than that.
MAX_TERMS = 16
MAX_TOKENS_PER_TERM = 32
MAX_WORDS_LENGTH = 200
MAX_QUERY_LENGTH = 1000

_BLOCK_TAGS = frozenset({"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"})


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")


def html_to_text(html: str) -> str:
    """The words of a (sanitized) body: tags dropped, entities decoded, paragraphs kept apart."""
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    return "".join(parser.parts)


def prepare(text: str) -> str:
    """`text` as indexed and searched: NFKC, one space between words, CJK characters spaced apart."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _SPACES.sub(" ", _CONTROL.sub("", text)).strip().replace("<", LESS_THAN)
    if not _CJK_CHAR.search(text):
        return text
    text = _SPACE_BY_CJK.sub("  ", text)
    return _CJK_BOUNDARY.sub(" ", text)


def restore_spacing(text: str) -> str:
    """Undo `prepare`'s CJK spacing in a snippet, across the match markers."""

    def respace(match):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not (_CJK_CHAR.match(before) or _CJK_CHAR.match(after)):
            return match[0]
        kept = " " if len(match[1]) > 1 else ""
        return match[0].replace(match[1], kept)

    return _SPACES_IN_SNIPPET.sub(respace, text)


def snippet_html(marked: str) -> str:
    """
    A snippet as safe HTML: the story's text escaped (its own markup never
    survives: the index holds plain text), with <mark> around the matches.
    `marked` is the database's snippet, matches between MARK_START and MARK_END.
    """
    text = restore_spacing(marked or "").replace(MARK_END + MARK_START, "")
    if text.count(MARK_START) != text.count(MARK_END):
        text = text.replace(MARK_START, "").replace(MARK_END, "")
    html = escape(text.replace(LESS_THAN, "<")).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 (escaped above; the only markup is ours)


@dataclass(frozen=True)
class Term:
    """Tokens to find next to each other, in this order; `excluded` terms must not appear."""

    tokens: tuple[str, ...]
    excluded: bool = False
    # The words as typed (prepared): PostgreSQL parses them as it parsed the
    # text ("covid-19" is "covid" and "-19" to it), where FTS5 wants the tokens.
    words: str = ""

    @property
    def text(self):
        return " ".join(self.tokens)


# A quoted phrase (the closing quote may be missing), or a run of anything but spaces and quotes.
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def _is_token_character(char):
    return unicodedata.category(char)[0] in "LNM" or unicodedata.category(char) == "Co"


def tokens_of(text: str) -> list[str]:
    """The words of prepared text as both tokenizers see them: runs of letters, marks and digits."""
    tokens, current = [], []
    for char in text:
        if _is_token_character(char):
            current.append(char)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def parse_query(query: str) -> list[Term]:
    """
    A reader's query as terms to match, all of them (AND). Terms with nothing
    searchable in them (punctuation, operators' symbols) are dropped, and
    exclusions count only beside at least one term to find.
    """
    query = _CONTROL.sub("", unicodedata.normalize("NFKC", (query or "")[:MAX_QUERY_LENGTH]))
    terms = []
    for match in _QUERY_PART.finditer(query):
        minus = match[1] if match[2] is not None else match[3]
        words = match[2] if match[2] is not None else match[4]
        words = prepare(words)[:MAX_WORDS_LENGTH]
        tokens = tuple(tokens_of(words)[:MAX_TOKENS_PER_TERM])
        if tokens:
            terms.append(Term(tokens, excluded=bool(minus), words=words))
    terms = list(dict.fromkeys(terms))[:MAX_TERMS]
    if not any(not term.excluded for term in terms):
        return []
    return terms
