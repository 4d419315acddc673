"""
Plain-text wire copy, as agencies' text feeds deliver it and as our reference
Kyodo story reads:

    • Kyodo                      <- credit line (or "By NAME (AP)")

    Headline, if there is one    <- a short line with no closing full stop

    NEW YORK (AP) — The lede…    <- paragraphs separated by blank lines

Plain text carries no identifier, so the story's GUID is a digest of its
text: the same file twice is a duplicate, a changed one is a new story.
Lines the desk lists as boilerplate (a paper's own subscription prompt, an
agency's footer) are dropped from the body.
"""

import hashlib
import re

from .story import WireParseError, WireStory

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # ANPA/IPTC 7901 framing: SOH, STX, ETX, SYN…
_BULLET_CREDIT = re.compile(r"^[•·*\-–—]\s*(?P<credit>\S.{0,60})$")
_BYLINE_CREDIT = re.compile(r"^By\s+(?P<byline>.+?)\s*\((?P<credit>[^)]{1,40})\)\s*$", re.IGNORECASE)
# "NEW YORK (AP) — The…", "TOKYO, Sept. 26 (Reuters) - The…", "(Reuters) - The…"
_LEDE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z .'’-]*[A-Z])?(?:,\s*[^()]{1,30}?)?\s*\((?P<credit>[^)]{1,40})\)\s*[—–_-]{1,2}\s+"
)


def decode(data: bytes) -> str:
    """Text from bytes: UTF-8 (with or without BOM), else Windows-1252 (a superset of ISO-8859-1's printable range)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _normalize(line: str) -> str:
    return " ".join(line.split())


def looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\x00" in sample:
        return False
    text = decode(sample)
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return bool(text.strip()) and printable / max(len(text), 1) > 0.95


def parse(data: bytes, *, boilerplate=()) -> WireStory:
    text = _CONTROL.sub("", decode(data).replace("\r\n", "\n").replace("\r", "\n"))
    drop = {_normalize(line) for line in boilerplate if line.strip()}
    blocks = []
    for raw_block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in raw_block.split("\n") if line.strip()]
        lines = [line for line in lines if _normalize(line) not in drop]
        if lines:
            blocks.append(lines)
    if not blocks:
        raise WireParseError("The file has no text.")

    story = WireStory(format="text")
    first = blocks[0]
    if len(first) == 1 and (match := _BULLET_CREDIT.match(first[0]) or _BYLINE_CREDIT.match(first[0])):
        story.credit = match["credit"].strip()
        story.byline = (match.groupdict().get("byline") or "").strip()
        blocks.pop(0)
    if len(blocks) > 1 and len(blocks[0]) == 1 and _is_headline(blocks[0][0]):
        story.headline = blocks.pop(0)[0]

    paragraphs = [" ".join(lines) for lines in blocks]
    if paragraphs and (match := _LEDE_DATELINE.match(paragraphs[0])):
        story.dateline = (match["place"] or "").strip()
        story.credit = story.credit or match["credit"].strip()
        paragraphs[0] = paragraphs[0][match.end() :]
    if not paragraphs:
        raise WireParseError("The file has a credit line but no story text.")
    story.paragraphs = paragraphs
    story.agency_codes = [story.credit] if story.credit else []
    digest = hashlib.sha256("\n".join([story.credit, story.headline, *paragraphs]).encode()).hexdigest()
    story.guid = f"text:{digest[:32]}"
    story.version = "1"
    return story


def _is_headline(line):
    return len(line) <= 150 and not line.endswith((".", "”", '"', ":", ",")) and not _LEDE_DATELINE.match(line)
