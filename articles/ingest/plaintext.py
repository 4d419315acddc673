"""
Plain-text wire copy, as agencies' text feeds deliver it and as our reference
Kyodo story reads:

    • Kyodo                      <- credit line ("• 共同", or "By NAME (AP)")

    Headline, if there is one    <- a short line with no closing full stop

    By JANE DOE                  <- a byline, and the agency's name (or the
    Associated Press                writer's title) on the next line

    NEW YORK (AP) — The lede…    <- paragraphs: blank lines between them, or
       Or a paragraph indented,     each starting indented (hard-wrapped lines
    wrapped like this one.          that follow belong to it)

The lede's dateline names the place and the agency: "SEOUL, South Korea (AP) —",
"BEIRUT (Reuters) -", "London (dpa) -", "ATLANTA (AP) _" (ANPA's dash), or
Japanese "【ソウル共同】". `split_dateline` and `split_byline` read these for the
other formats too (NITF ledes, ANPA bodies).

Plain text carries no identifier, so the story's GUID is a digest of its
text: the same file twice is a duplicate, a changed one is a new story.
Lines the desk lists as boilerplate (a paper's own subscription prompt, an
agency's footer) are dropped from the body.
"""

import hashlib
import re
from typing import NamedTuple

from .cleanup import EncodingError, decode, plain_text, strip_control, tidy
from .story import WireParseError, WireStory

_BULLET_CREDIT = re.compile(r"^[•·*\-–—]\s*(?P<credit>[^\s.:;!?][^.:;!?]{0,39})$")
_BYLINE = re.compile(r"^(?:By|BY)\s+(?P<name>[^()]{2,80}?)\s*(?:\((?P<credit>[^()]{1,40})\))?\s*=?\s*$")
_NAME_WORDS = {"and", "und", "et", "y", "e", "de", "da", "das", "del", "della", "der", "di", "do", "dos", "du",
               "la", "le", "van", "von", "ten", "ter", "bin", "al", "el"}  # fmt: skip
# A writer's title under the byline ("AP Sports Writer"), not the agency's name.
_TITLE = re.compile(r"\b(?:writer|correspondent|editor|reporter|columnist|photographer|producer|staff)s?$", re.I)
# Japanese datelines: 【ソウル共同】, 【ワシントン＝共同】, 【北京時事】.
_JA_DATELINE = re.compile(
    r"^【(?P<place>[^】＝=]{1,20}?)(?:[＝=](?P<named>[^】]{1,12})|(?P<known>共同|時事|ロイター|新華社|聯合))】"
)
_DASH = re.compile(r"[ \t]*(?:[—–][ \t]*|(?:--?|_)[ \t]+)")
_PLACE_PUNCTUATION = set(" .'’-")
_KANA = re.compile(r"[\u3040-\u30ff]")


class Dateline(NamedTuple):
    place: str  # "SEOUL, South Korea", "NEW YORK", "" when the lede names only the agency
    credit: str  # "AP", "dpa", "共同"
    rest: str  # the lede without its dateline


def split_dateline(text: str) -> Dateline | None:
    """
    The dateline at the start of a lede, or None. "TOKYO, Sept. 26 (Reuters) -"
    gives "TOKYO": a date after the comma is not part of the place.
    """
    text = text.lstrip()
    if text.startswith("【"):
        match = _JA_DATELINE.match(text)
        if not match:
            return None
        return Dateline(match["place"].strip(), (match["named"] or match["known"]).strip(), text[match.end() :])
    opening = text.find("(", 0, 80)
    closing = text.find(")", opening + 1, opening + 42) if opening >= 0 else -1
    if closing < 0:
        return None
    dash = _DASH.match(text, closing + 1)
    credit = text[opening + 1 : closing].strip()
    if not dash or not credit or not credit[0].isalpha():
        return None
    place, _comma, detail = (part.strip() for part in text[:opening].partition(","))
    if place and not _is_place(place):
        return None
    if detail and not any(char.isdigit() for char in detail):
        if not _is_place(detail):
            return None
        place = f"{place}, {detail}"
    return Dateline(place, credit, text[dash.end() :])


def _is_place(text):
    words = text.split()
    return (
        0 < len(words) <= 5
        and text[0].isalpha()
        and all(char.isalpha() or char in _PLACE_PUNCTUATION for char in text)
        and all(word[0].isupper() or word.lower() in _NAME_WORDS for word in words)
    )


def split_byline(line: str) -> tuple[str, str] | None:
    """
    ("Jane Doe", "AP") from "By Jane Doe (AP)", ("JANE DOE", "") from "By JANE DOE"
    or ANPA's "By JANE DOE=", or None when the line is a sentence ("By Tuesday, the…").
    """
    line = line.strip()
    match = _BYLINE.match(line) if len(line) <= 120 else None
    if not match:
        return None
    name = match["name"].strip().rstrip(",")
    words = name.replace(",", " ").split()
    if not words or len(words) > 8 or not all(word[0].isupper() or word in _NAME_WORDS for word in words):
        return None
    return name, (match["credit"] or "").strip()


def agency_line(line: str) -> str:
    """The agency's name on the line under a byline ("Associated Press"), or "" for anything else."""
    line = line.strip()
    if len(line) > 50 or len(line.split()) > 6 or line[-1] in ".:;!?," or "(" in line or _TITLE.search(line):
        return ""
    # Agencies' names may be lower case ("dpa"); a short one is a name, a longer one must look like one.
    return line if line[0].isupper() or not line[0].isascii() or len(line.split()) <= 2 else ""


def is_title(line: str) -> bool:
    """Is this line under a byline the writer's title ("AP Sports Writer")?"""
    line = line.strip()
    return len(line) <= 60 and bool(_TITLE.search(line))


def decode_text(data: bytes, warnings: list) -> str:
    """
    Text from bytes: UTF-8 (with or without BOM), else Windows-1252 (a superset
    of ISO-8859-1's printable range), else ISO-8859-1, with a warning.
    """
    try:
        decoded = decode(data)
    except EncodingError:
        encoding = "cp1252" if _decodes(data, "cp1252") else "latin-1"
        decoded = decode(data, declared=encoding)
        warnings.append(f"not UTF-8; read as {'Windows-1252' if encoding == 'cp1252' else 'ISO-8859-1'}")
    warnings.extend(decoded.warnings)
    return decoded.text


def _decodes(data, encoding):
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _normalize(line: str) -> str:
    return " ".join(line.split())


def looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = sample.decode("cp1252", errors="replace")
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text.strip()) and printable / max(len(text), 1) > 0.95


def blocks_of(text: str, *, drop=()) -> list[list[str]]:
    """The text's blocks (runs of lines between blank lines), lines kept with their indentation."""
    blocks, lines = [], []
    for line in text.split("\n"):
        if not line.strip():
            if lines:
                blocks.append(lines)
            lines = []
        elif not drop or _normalize(line) not in drop:
            lines.append(line.rstrip())
    if lines:
        blocks.append(lines)
    return blocks


def paragraphs_of(lines: list[str]) -> list[str]:
    """
    A block's paragraphs: a line indented deeper than the block's shallowest
    starts one, and unindented lines continue it (hard-wrapped copy). When every
    line is indented alike, each line is a paragraph; when none is, the block is one.
    """
    indents = [len(line) - len(line.lstrip()) for line in lines]
    shallowest = min(indents)
    if len(lines) > 1 and shallowest > 0 and len(set(indents)) == 1:
        return [_normalize(line) for line in lines]
    paragraphs = []  # each a list of its lines, joined once at the end
    for line, indent in zip(lines, indents, strict=True):
        if not paragraphs or indent > shallowest:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [_normalize(" ".join(paragraph)) for paragraph in paragraphs]


def parse(data: bytes, *, boilerplate=()) -> WireStory:
    story = WireStory(format="text")
    text = strip_control(decode_text(data, story.warnings).replace("\r\n", "\n").replace("\r", "\n"))
    blocks = blocks_of(text, drop={_normalize(line) for line in boilerplate if line.strip()})
    if not blocks:
        raise WireParseError("The file has no text.")
    blocks = _read_top(blocks, story)
    paragraphs = [paragraph for lines in blocks for paragraph in paragraphs_of(lines)]
    if paragraphs and (dateline := split_dateline(paragraphs[0])):
        story.dateline = dateline.place
        story.agency_codes.append(dateline.credit)
        story.credit = story.credit or dateline.credit
        paragraphs[0] = dateline.rest
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    if not paragraphs:
        raise WireParseError("The file has a credit line but no story text.")
    story.paragraphs = paragraphs
    story.agency_codes.insert(0, story.credit)
    story.language = "ja" if _KANA.search(text) else ""
    tidy(story)
    if not story.paragraphs:
        raise WireParseError("The file has a credit line but no story text.")
    digest = hashlib.sha256("\n".join([story.credit, story.headline, *story.paragraphs]).encode()).hexdigest()
    story.guid = f"text:{digest[:32]}"
    story.version = "1"
    return story


def _read_top(blocks, story):
    """
    The credit line, headline and byline above the story, in the order agencies
    put them; returns the blocks that are the story.
    """
    while blocks:
        lines = blocks[0]
        first = lines[0].strip()
        if len(lines) == 1 and (match := _BULLET_CREDIT.match(first)):
            story.credit = match["credit"].strip()
        elif not story.byline and (byline := split_byline(first)):
            story.byline, credit = byline
            rest = lines[1:]
            if rest and not credit and (agency := agency_line(rest[0])):
                credit, rest = agency, rest[1:]
            elif rest and is_title(rest[0]):
                rest = rest[1:]  # "AP Sports Writer": the writer's title, not text
            story.credit = story.credit or credit
            if rest:
                blocks[0] = rest
                return blocks
        elif not story.headline and not story.byline and len(lines) == 1 and len(blocks) > 1 and _is_headline(first):
            story.headline = plain_text(first)
        else:
            return blocks
        blocks.pop(0)
    return blocks


def _is_headline(line):
    text = plain_text(line)
    return (
        0 < len(text) <= 150
        and not text.endswith((".", "”", '"', ":", ","))
        and split_dateline(text) is None
        and split_byline(text) is None
    )
