"""
Text hygiene shared by every parser: what agencies put in their files that
must never reach a reader. Parsers fill a WireStory as the file says and end
with `tidy(story)`; the pieces are here too, for formats that need only one.

- Bytes to text (`decode`): BOMs, UTF-16 without one, a Latin-1 declaration
  on a UTF-8 file, and text that was mis-decoded upstream ("Ã©" for "é").
- One line of text (`plain_text`): headlines, deks, bylines, notes.
- Bodies (`clean_body_html`, `clean_paragraphs`): agencies' own tags (`<endash/>`),
  escaped embed code (`&lt;iframe…&gt;`), ANPA format codes, and the header
  block some agencies put above the story ("Keywords: …", "TOKYO / 10:15").
"""

import codecs
import contextlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# Bytes to text

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte encodings agencies declare out of habit while their systems write UTF-8.
_LATIN = {"iso8859-1", "latin-1", "cp1252", "iso8859-15", "ascii"}
_WIDE = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


class EncodingError(ValueError):
    """The bytes are not valid in the encoding the file declares; the message says where (`byte`, `position`)."""

    def __init__(self, message, *, byte=None, position=None):
        super().__init__(message)
        self.byte, self.position = byte, position


@dataclass
class Decoded:
    text: str
    encoding: str  # the codec actually used
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, *, declared: str = "") -> Decoded:
    """
    Text from a wire file's bytes. A byte-order mark wins; UTF-16 without one
    is recognised by its zero bytes (for XML, whose first character is "<").
    Otherwise the file's `declared` encoding (UTF-8 if none) is used, except
    that a file declaring a Latin encoding which is valid UTF-8 with non-ASCII
    characters is read as UTF-8, with a warning: read as declared it would put
    "Ã©" in the story. Bytes invalid in the encoding raise EncodingError with
    their offset. Characters mis-decoded before the agency sent them are
    repaired, with a warning.
    """
    warnings = []
    label = declared.strip()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(data[len(bom) :], encoding, encoding.upper(), len(bom), warnings)
    if data[:2] == b"<\x00":
        return _finish(data, "utf-16-le", "UTF-16", 0, warnings)
    if data[:2] == b"\x00<":
        return _finish(data, "utf-16-be", "UTF-16", 0, warnings)
    encoding = "utf-8"
    if label:
        try:
            encoding = codecs.lookup(label).name
        except LookupError:
            raise EncodingError(f"The file declares an unknown character encoding, “{label}”.") from None
    if encoding in _WIDE:
        # Its declaration was readable as ASCII, so the file is not UTF-16 or -32 whatever it says.
        warnings.append(f"declared {label.upper()} but is not; read as UTF-8")
        encoding, label = "utf-8", "UTF-8"
    if encoding in _LATIN and not data.isascii() and _is_utf8(data):
        warnings.append(f"declared {label.upper()} but is UTF-8; read as UTF-8")
        encoding = "utf-8"
    return _finish(data, encoding, label or "UTF-8", 0, warnings)


def _is_utf8(data):
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _finish(data, encoding, label, offset, warnings):
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        position = error.start + offset
        raise EncodingError(
            f"The file says it is {label}, but byte 0x{data[error.start]:02x} at position {position} "
            f"is not valid {label}. Ask the agency to resend it, or correct its encoding declaration.",
            byte=data[error.start],
            position=position,
        ) from None
    text, repaired = repair_mojibake(text)
    if repaired:
        warnings.append(f"repaired {repaired} mis-decoded character(s) (such as “Ã©” for “é”)")
    return Decoded(text=text, encoding=encoding, warnings=warnings)


def _continuation_characters():
    """How bytes 0x80–0xBF look after a wrong Windows-1252 (or Latin-1) decode."""
    chars = set()
    for byte in range(0x80, 0xC0):
        chars.add(bytes([byte]).decode("latin-1"))
        with contextlib.suppress(UnicodeDecodeError):  # 0x81, 0x8D… are undefined in Windows-1252
            chars.add(bytes([byte]).decode("cp1252"))
    return "".join(sorted(chars))


_CONT = re.escape(_continuation_characters())
# Only the two-byte sequences for Latin-1 letters ("Ã©" é, "Â°" °) and the three-byte
# ones for typographic punctuation ("â€™" ’, "â€“" –, "â‚¬" €, "â„¢" ™): anything wider
# would also match real text (German "ß»" is not mojibake).
_MOJIBAKE = re.compile(rf"[ÂÃ][{_CONT}]|â[€‚„][{_CONT}]")


def _to_byte(char):
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1")


def repair_mojibake(text: str) -> tuple[str, int]:
    """`text` with UTF-8 that was read as Windows-1252 put right, and how many characters were."""
    if "Ã" not in text and "Â" not in text and "â" not in text:
        return text, 0
    count = 0

    def fix(match):
        nonlocal count
        raw = match.group()
        # Windows-1252 for "€", "’"…; Latin-1 for the bytes Windows-1252 leaves undefined.
        encoded = b"".join(_to_byte(char) for char in raw)
        try:
            fixed = encoded.decode("utf-8")
        except UnicodeDecodeError:
            return raw
        count += 1
        return fixed

    return _MOJIBAKE.sub(fix, text), count


# ---------------------------------------------------------------------------
# One line of text

# ASCII control characters but tab, newline and carriage return (ANPA's SOH, STX, ETX, EOT…),
# DEL, and the C1 controls (U+0080–U+009F) a Latin-1 read of Windows-1252 leaves behind.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Patterns that pair an opening with a closing (comments, code elements) never scan past the next
# opening: with thousands of unclosed ones a plain ".*?" would rescan the rest of the text from each.
_TAGS = re.compile(r"<!--(?:(?!<!--).)*?-->|</?[A-Za-z][^<>]*>", re.S)
# Inline elements join their words ("<b>Big</b>Co" is "BigCo"); any other tag separates them.
_INLINE = "a|abbr|b|bdi|bdo|cite|code|em|font|i|mark|q|s|small|span|strong|sub|sup|u"
_INLINE_TAGS = re.compile(rf"</?(?:{_INLINE})\b[^<>]*>", re.I)
_SPACES = re.compile(r"\s+")
# Elements whose content is code, not text: dropped whole.
_CODE = "script|style|iframe|object|embed|noscript|template|svg|form"
_CODE_ELEMENTS = re.compile(
    rf"<({_CODE})\b[^<>]*>(?:(?!<(?:{_CODE})\b).)*?</\1\s*>|</?(?:{_CODE})\b[^<>]*>", re.I | re.S
)
# Agencies' own elements for characters their systems could not type.
AGENCY_CHARACTERS = {
    "endash": "–",
    "ndash": "–",
    "emdash": "—",
    "mdash": "—",
    "bullet": "•",
    "hellip": "…",
    "ellipsis": "…",
    "nbsp": "\u00a0",
    "thinsp": "\u2009",
    "lsquo": "‘",
    "rsquo": "’",
    "ldquo": "“",
    "rdquo": "”",
}
_AGENCY_TAG = re.compile(rf"<(?P<name>{'|'.join(AGENCY_CHARACTERS)})\s*/?>(?:\s*</(?P=name)\s*>)?", re.I)


def agency_characters(value: str) -> str:
    """`<endash/>`, `<emdash></emdash>`… as the characters they stand for."""
    if "<" not in value:
        return value
    return _AGENCY_TAG.sub(lambda match: AGENCY_CHARACTERS[match["name"].lower()], value)


def plain_text(value: str) -> str:
    """
    One line of plain text from whatever an agency sent as a headline, dek or
    byline: agency character tags as their characters, entities decoded
    (twice-escaped ones too), tags dropped (code elements with their content),
    control characters removed, whitespace collapsed. "Profits < 5%" survives.
    """
    value = _CONTROL.sub("", value or "")
    for _ in range(2):  # "&amp;lt;b&amp;gt;" is markup escaped twice
        if "&" not in value:
            break
        value = html.unescape(value)
    value = agency_characters(value)
    value = _CODE_ELEMENTS.sub(" ", value)
    value = _TAGS.sub(" ", _INLINE_TAGS.sub("", value))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def strip_control(value: str) -> str:
    """`value` without control characters (ASCII and C1), line breaks and tabs kept."""
    return _CONTROL.sub("", value or "")


# ---------------------------------------------------------------------------
# Bodies

_LT = r"(?:&(?:amp;)?lt;|&#0*60;|&#x0*3c;)"
_GT = r"(?:&(?:amp;)?gt;|&#0*62;|&#x0*3e;)"
_ESCAPED_AGENCY_TAG = re.compile(
    rf"{_LT}(?P<name>{'|'.join(AGENCY_CHARACTERS)})\s*/?{_GT}(?:\s*{_LT}/(?P=name)\s*{_GT})?", re.I
)
# Embed code the agency's system escaped into the text: it would show as "<iframe src=…>".
_ESCAPED_CODE_TAG = re.compile(
    rf"{_LT}(?:(?P<close>/)(?:{_CODE}|blockquote)|(?:{_CODE}|blockquote\s+class=\S{{0,40}}?(?:tweet|instagram|tiktok)))\b",
    re.I,
)
_TAG_END = re.compile(rf"(?P<gt>{_GT})|{_LT}", re.I)
_ESCAPED_BLOCK = re.compile(rf"{_LT}(?:p|br|div)\b", re.I)
_REAL_BLOCK = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|blockquote)\b", re.I)
# ANPA quad and line codes are left at the end of a line or paragraph: "…on Friday.<", "By JANE DOE=".
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote)>)", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)

_FIELD = re.compile(r"^(?P<label>[^\W\d][\w .-]{1,20}?)\s*:\s*(?P<value>\S.*)$")
_KEYWORD_LABELS = {"keyword", "keywords", "key words", "tags", "topic", "topics", "schlagwörter", "schlagworte",
                   "stichwörter", "stichworte", "mots-clés", "mots clés", "mots-clefs"}  # fmt: skip
_PLACE_LABELS = {"place", "places", "location", "ort", "orte", "lieu", "dateline"}
_TIME_LABELS = {"time", "zeit", "heure", "date", "datum", "sent", "filed"}
_OTHER_LABELS = {"slug", "category", "kategorie", "priority", "urgency", "ressort"}
_TIME = re.compile(
    r"^(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?(?:\s*(?:[ap]\.?m\.?|uhr|h|gmt|utc|jst|cet|cest|est|edt|z))?"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}\S*)?"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4}"
    r"|\d{1,2}\s+[A-Za-z]{3,9}\.?(?:\s+\d{4})?"
    r"|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)$",
    re.I,
)
_SENTENCE = re.compile(r"[.!?][\s\"”’)]|[.!?]$")


@dataclass
class Header:
    """The agency's header block, lifted off the top of a body."""

    lines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    place: str = ""


def _is_time(text):
    return bool(_TIME.match(text.strip()))


def _is_place(text):
    text = text.strip()
    return 0 < len(text) <= 40 and not _SENTENCE.search(text) and not re.search(r"\d", text)


def _header_line(line, header):
    """
    Is `line` one line of an agency header? "Keywords: a, b", "Place: Tokyo",
    "Time: 10:15", "TOKYO / 10:15" are; "Time: the one thing investors lack." is not.
    Returns "field", "list" (place and time), "time", "place" (bare ones) or "".
    """
    match = _FIELD.match(line)
    if match:
        label, value = match["label"].strip().casefold(), match["value"].strip()
        if label in _KEYWORD_LABELS and not _SENTENCE.search(value.rstrip(".")):
            header.keywords += [word.strip() for word in re.split(r"[,;]", value) if word.strip()]
            return "field"
        if label in _PLACE_LABELS and len(value) <= 80 and not _SENTENCE.search(value):
            header.place = header.place or re.split(r"\s*/\s*", value)[0]
            return "field"
        if label in _TIME_LABELS and re.match(r"\d|[A-Za-z]{3,9}\.?\s+\d", value) and len(value) <= 60:
            return "field"
        if label in _OTHER_LABELS and len(value) <= 80 and not _SENTENCE.search(value):
            return "field"
        return ""
    parts = [part.strip() for part in line.split("/")]
    if len(parts) >= 2 and all(parts):
        times = [part for part in parts if _is_time(part)]
        places = [part for part in parts if not _is_time(part)]
        if times and places and all(_is_place(place) for place in places):
            header.place = header.place or places[0]
            return "list"
        return ""
    if _is_time(line):
        return "time"
    if _is_place(line) and line.upper() == line:
        return "place"  # "TOKYO" alone: a header only beside a time
    return ""


def _header_block(lines, header, *, repeats=(), loose=False):
    """
    Are all `lines` (one paragraph's) the agency's header, or a repeat of the
    headline or byline (`repeats`)? Fills `header` if so. `loose`: the block
    is a short non-paragraph element above the first paragraph (a kicker such
    as "Försvar TT"), which is header too unless it reads like a sentence.
    """
    trial = Header()
    kinds = []
    for line in lines:
        if any(_same(line, repeat) for repeat in repeats if repeat):
            kinds.append("repeat")
            continue
        kind = _header_line(line, trial)
        if not kind and loose and len(line) <= 60 and not _SENTENCE.search(line):
            kind = "kicker"
        if not kind:
            return False
        kinds.append(kind)
    if "place" in kinds and not {"time", "field", "list"} & set(kinds):
        return False
    if kinds == ["time"] and not header.lines:
        return False  # a lone time atop the story is likely its dateline
    header.lines += lines
    header.keywords += trial.keywords
    header.place = header.place or trial.place
    return True


def _same(text, repeat):
    def norm(value):
        return re.sub(r"^by\s+", "", " ".join(plain_text(value).split()).casefold())

    return norm(text) == norm(repeat)


_DOCUMENT_BODY = re.compile(r"<body\b[^<>]*>(.*?)(?:</body\s*>|$)", re.S | re.I)
_HEAD = re.compile(r"<(head|title)\b[^<>]*>(?:(?!<(?:head|title)\b).)*?</\1\s*>", re.S | re.I)
_CONTAINERS = "p|h[1-6]|div|header|section|article|ul|ol|table|blockquote|figure"
# A block holding no other block: a paragraph, a heading, a div of spans.
_LEAF_BLOCK = re.compile(
    rf"<(p|h[1-6]|div|header)\b[^<>]*>(?P<inner>(?:(?!<(?:{_CONTAINERS})\b).)*?)</\1\s*>", re.S | re.I
)


def _strip_escaped_code(body):
    """
    `body` without escaped embed code: from an escaped opening (`&lt;iframe`,
    `&lt;script`, a tweet's blockquote) to its escaped closing, or the lone
    tag. One pass over the tags, so thousands of unclosed ones cost no more
    than one.
    """
    cuts, opened, done = [], None, 0
    for match in _ESCAPED_CODE_TAG.finditer(body):
        if match.start() < done:
            continue
        end = _TAG_END.search(body, match.end())
        end = end.end() if end is not None and end["gt"] else (end.start() if end is not None else len(body))
        if match["close"]:
            cuts.append((opened[0] if opened else match.start(), end))
            opened, done = None, end
        elif opened is None:
            opened = (match.start(), end)
    if opened:
        cuts.append(opened)  # never closed: only its tag goes
    if not cuts:
        return body
    kept, start = [], 0
    for begin, end in sorted(cuts):
        kept.append(body[start:begin])
        start = max(start, end)
    return "".join(kept) + body[start:]


def _strip_anpa_codes(text, quad):
    """`text` without ANPA's quad ("<", escaped in HTML) and line ("=") codes at its end. Linear."""
    end, found = len(text), False
    while True:
        cut = end
        while cut and text[cut - 1] in " \t":
            cut -= 1
        if cut and text[cut - 1] == "=":
            end, found = cut - 1, True
        elif text.endswith(quad, 0, cut):
            end, found = cut - len(quad), True
        else:
            return text[:cut] if found else text


def clean_body_html(body: str, *, byline: str = "", headline: str = "") -> tuple[str, Header]:
    """
    Body HTML without what must not reach readers: an HTML document's head
    (its title would become text), agency character tags become characters,
    escaped embed code goes (a wholly escaped body is unescaped first, and
    sanitizing then drops its code), ANPA codes and control characters go, and
    the blocks above the story that are the agency's header block or repeat
    the headline or byline are lifted off. Returns the HTML (still to be
    sanitized) and the header. A body that is nothing but header is left alone.
    """
    header = Header()
    if not body:
        return "", header
    body = strip_control(body)
    if not _REAL_BLOCK.search(body) and _ESCAPED_BLOCK.search(body):
        body = html.unescape(body)  # the whole body arrived escaped: "&lt;p&gt;…"
    if match := _DOCUMENT_BODY.search(body):
        body = match.group(1)
    body = _HEAD.sub("", body)
    body = agency_characters(body)
    body = _ESCAPED_AGENCY_TAG.sub(lambda match: AGENCY_CHARACTERS[match["name"].lower()], body)
    body = _strip_escaped_code(body)
    parts = _BLOCK_END.split(body)  # text, closing tag, text, closing tag…
    body = "".join(_strip_anpa_codes(part, "&lt;") if index % 2 == 0 and index + 1 < len(parts) else part
                   for index, part in enumerate(parts))  # fmt: skip
    body = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", body)
    cuts, position, seen_paragraph = [], 0, False
    for match in _LEAF_BLOCK.finditer(body):
        if len(match["inner"]) > 2000 or plain_text(body[position : match.start()]):
            break  # a block too long to be a header, or text outside any block: the story has begun
        lines = [line for line in (plain_text(part) for part in _BREAK.split(match["inner"])) if line]
        tag = match.group(1).lower()
        if lines and not _header_block(
            lines, header, repeats=(byline, headline), loose=tag in ("div", "header") and not seen_paragraph
        ):
            break
        seen_paragraph = seen_paragraph or tag == "p"
        cuts.append((match.start(), match.end()))
        position = match.end()
    if not header.lines:
        return body, Header()
    kept, start = [], 0
    for begin, end in cuts:
        kept.append(body[start:begin])
        start = end
    kept.append(body[start:])
    rest = "".join(kept).strip()
    if not plain_text(rest):
        return body, Header()
    return rest, header


def clean_paragraphs(paragraphs, *, byline: str = "", headline: str = "") -> tuple[list[str], Header]:
    """
    Plain-text paragraphs cleaned as `clean_body_html` cleans HTML (markup in
    them is dropped, embed code with its content). A paragraph may hold line
    breaks: they are kept for finding the header and then joined.
    """
    blocks = []
    for paragraph in paragraphs:
        lines = [plain_text(_strip_anpa_codes(line, "<")) for line in strip_control(paragraph).splitlines()]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    header = Header()
    count = 0
    while (count < len(blocks) and sum(map(len, blocks[count])) <= 2000
           and _header_block(blocks[count], header, repeats=(byline, headline))):  # fmt: skip
        count += 1
    if count == len(blocks):
        header, count = Header(), 0
    return [" ".join(lines) for lines in blocks[count:]], header


def split_plain_text(text: str) -> list[str]:
    """Paragraphs of a plain-text body: blocks between blank lines (line breaks kept), or lines if none."""
    text = strip_control(text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", text)
    if len(blocks) == 1:
        blocks = text.split("\n")
    return [block.strip() for block in blocks if block.strip()]


_DATELINE_TAIL = re.compile(r"(?:\s*\([^()]{1,40}\))?\s*[-–—_:]*\s*$")


def clean_dateline(value: str) -> str:
    """A dateline as the agency writes it, without its trailing "(AFP) -": "PARIS, Nov 20, 2026"."""
    return _DATELINE_TAIL.sub("", value or "").strip()


# ---------------------------------------------------------------------------
# A whole story


_ONE_LINE_FIELDS = (
    *("headline", "dek", "byline", "credit", "slugline", "priority", "language", "place", "dateline"),
    *("copyright_holder", "copyright_notice", "usage_terms", "ed_note", "correction_note", "notice"),
)


def tidy(story):
    """
    The last step of every parser: one-line fields as plain text, the body
    cleaned, the header block's keywords and place kept (and the desk told),
    codes and links without repeats.
    """
    for name in _ONE_LINE_FIELDS:
        setattr(story, name, plain_text(getattr(story, name)))
    story.dateline = clean_dateline(story.dateline)
    if story.body_html:
        story.body_html, header = clean_body_html(story.body_html, byline=story.byline, headline=story.headline)
    else:
        story.paragraphs, header = clean_paragraphs(story.paragraphs, byline=story.byline, headline=story.headline)
    if header.lines:
        story.warnings.append(
            "Taken out of the top of the body (the agency's header block, or the headline or byline repeated): "
            + " | ".join(header.lines)
        )
        story.keywords += header.keywords
        story.place = story.place or header.place
    for image in story.images:
        image.caption, image.alt_text, image.credit = (
            plain_text(image.caption),
            plain_text(image.alt_text),
            plain_text(image.credit),
        )
        image.href = image.href.strip()
    story.agency_codes = _unique(plain_text(code) for code in story.agency_codes)
    story.keywords = _unique(plain_text(keyword) for keyword in story.keywords)
    story.links = [link for link in _unique(link.strip() for link in story.links) if link != story.guid]
    names = {}
    for code, name in story.subjects:  # one entry per code, named if any entry names it
        code = code.strip()
        if code and not names.get(code):
            names[code] = plain_text(name)
    story.subjects = list(names.items())
    story.warnings = _unique(story.warnings)
    return story


def _unique(values):
    return list(dict.fromkeys(value for value in values if value))
