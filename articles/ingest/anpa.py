"""
ANPA 1312 (the AP's wire format) and IPTC 7901 (dpa's, and other agencies',
which grew out of it): one story per file, framed by control characters.

    SYN SYN SOH z6715 US -----                <- ANPA: service level, story number, selector
    r z DC3 DC1 BC-BKN--Heat-Hawks 1stLd-Writethru   02-20 0500
                                                 priority, category, format codes, keyword,
                                                 version, date (month-day), word count
    STX ^BC-BKN--Heat-Hawks, 1st Ld-Writethru,416<   the slug line again, with the word count
    ^Deng has 30 points…<                       "^" opens a line set apart (headline, notes,
    ^Eds: …<                                    byline); "<" and "=" end lines
    ^By CHARLES ODUM=
    ^AP Sports Writer=                          the writer's title (dropped, as NITF's byttl)
    TAB   ATLANTA (AP) _ The lede…              a tab and spaces open a paragraph
    ETX AP-WF-02-20-16 0337GMT<                 agency, operator, date and time sent (UTC)
    EOT

    SOH eca062 4 i 211 ccccb   dpa 061        <- IPTC 7901: source and message number,
    Germany-politics/                            priority, category, word count; keyword line
    STX Germany Social Democrats: … =           the heading, ended by " ="
       Berlin (dpa) - Negotiations between…     three spaces open a paragraph, hard-wrapped
    Chancellor Angela Merkel…
    # dpa NOTEBOOK … not for publication …      to the editors (ed_note), never the body
    dpa wsz jln npr                             the agency and its editors' initials
    ETX 131137 GMT Nov 13                       day, hour, minute (UTC), month, year
    EOT

The text is cleaned of control characters and format codes, and the AP's
typewriter typography (`` '' for quotes, " _ " for a dash) becomes real
punctuation. Neither format has a GUID: an ANPA story's is its agency,
keyword (without the AM-/PM-/BC- cycle) and date, so a writethru ("1stLd",
version 2) updates the story it leads; an IPTC 7901 story's is its source,
message number and date. Limits: embargoes are only ever written in notes
(the desk is warned, not the story embargoed); pictures are only named.
"""

import re
from datetime import UTC, datetime

from .cleanup import strip_control, tidy
from .plaintext import agency_line, blocks_of, decode_text, is_title, paragraphs_of, split_byline, split_dateline
from .story import PubStatus, WireParseError, WireStory

SOH, STX, ETX, EOT, SYN = "\x01", "\x02", "\x03", "\x04", "\x16"

_ANPA_ENVELOPE = re.compile(r"^(?P<service>[a-z])(?P<number>\d{4})\x1f(?P<selector>\S{0,8})", re.I)
_ANPA_KEYWORD_LINE = re.compile(
    r"^(?P<priority>[a-z]) (?P<category>[a-z])[\x11-\x14]*\s+(?P<keyword>\S+)(?P<version>(?:\s+\S+)*?)"
    r"\s+(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:\s+(?P<words>\d{1,5}))?\s*$",
    re.I,
)
_IPTC_ENVELOPE = re.compile(
    r"^(?P<source>[a-z]{1,6})(?P<number>\d{1,6})\s+(?P<priority>\d)\s+(?P<category>[a-z]{1,3})\s+(?P<words>\d{1,6})",
    re.I,
)
_ANPA_TRAILER = re.compile(
    r"(?P<agency>[a-z]{1,8})-(?P<operator>[a-z]{1,8})-(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{2})"
    r"\s+(?P<hour>\d{2})(?P<minute>\d{2})\s*(?:GMT|UTC|Z)",
    re.I,
)
_IPTC_TRAILER = re.compile(
    r"(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})\s*(?:GMT|UTC)\s+(?P<month>[a-z]{3})\w*\.?\s+(?P<year>\d{2,4})",
    re.I,
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_CYCLE = re.compile(r"^(?:AM|PM|BC)-", re.I)
_TOPIC = re.compile(r"^(?:AM|PM|BC)-(?P<topic>[A-Z]{2,5})--", re.I)
_SLUG_LINE = re.compile(r"^[\w.&/]+-[\w.&/-]*(?:,|$)")
_LEAD = re.compile(r"(\d+)(?:st|nd|rd|th)\s*Ld\b", re.I)
_ADD = re.compile(r"(\d+)(?:st|nd|rd|th)\s*Add\b|\bTake\s*(\d+)", re.I)
_NOTE = re.compile(r"^(?:Eds?:|EDITORS?'?S? NOTE\b|Editor'?s note\b|Note to editors\b)[\s_:-]*", re.I)
_PICTURES = re.compile(r"^(?:With\s+)?AP\s+(?:Photos?|Video|Graphics?)\b", re.I)
_KILL = re.compile(r"^(?:KILL|Kill\b|ELIMINATION|WITHDRAWN|Withdrawn\b)|(?:^|[\s-])Kill$")
_CORRECTION = re.compile(r"^Correct", re.I)
_NOT_FOR_PUBLICATION = re.compile(r"\bnot (?:intended )?for publication\b")
_SIGNATURE = re.compile(r"^(?P<agency>[a-z]{2,6})(?:\s+[a-z]{2,4}){1,8}$")
_DASH = re.compile(r"(?<=\s)_(?=\s)")
_EMAIL = re.compile(r"<([^<>\s@]+@[^<>\s]+)>")


def looks_like_anpa(data: bytes) -> bool:
    """After optional SYN fill, the start of header (SOH); or, where a gateway dropped it, a typical header and STX."""
    head = data[:512].lstrip(SYN.encode())
    if head.startswith(SOH.encode()):
        return True
    if STX.encode() not in data[:4096]:
        return False
    first = head.lstrip(b"\r\n").split(b"\n", 1)[0][:200].decode("latin-1")
    return first.startswith("ZCZC") or any(
        pattern.match(first) for pattern in (_ANPA_ENVELOPE, _ANPA_KEYWORD_LINE, _IPTC_ENVELOPE)
    )


def parse(data: bytes) -> WireStory:
    story = WireStory(format="anpa")
    text = decode_text(data, story.warnings)
    start = text.find(SOH, 0, 512)
    text_start = text.find(STX, max(start, 0))
    if text_start < 0:
        raise WireParseError("This ANPA/IPTC 7901 file has no start of text (STX): there is no story in it.")
    text_end = text.find(ETX, text_start)
    if text_end < 0:
        text_end = len(text)
        story.warnings.append("The file has no end of text (ETX): it may have been cut short.")
    header = _lines(text[start + 1 if start >= 0 else 0 : text_start].removeprefix("ZCZC"))
    lines = _lines(strip_control(text[text_start + 1 : text_end]))
    trailer = strip_control(text[text_end + 1 : text_end + 200].split(EOT, 1)[0])

    envelope = _read_envelope(story, header)
    _read_trailer(story, trailer, envelope)
    lines = _read_top(story, lines, envelope)
    _read_body(story, lines)
    _identify(story, envelope)
    if story.embargo_until is None and "embargo" in f"{story.ed_note} {story.headline}".lower():
        story.warnings.append("The agency's note mentions an embargo: set it on the story by hand.")
    return tidy(story)


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _read_envelope(story, header):
    """The header between SOH and STX: ANPA's two lines, or IPTC 7901's line and keyword line."""
    envelope = dict.fromkeys(("keyword", "version", "number", "selector", "service", "source", "date"), "")
    lines = [line[:200] for line in header if line.strip()]
    for position, line in enumerate(lines):
        if match := _ANPA_ENVELOPE.match(line):
            envelope.update(number=match["number"], selector=match["selector"].strip("-"), service=match["service"])
        elif match := _ANPA_KEYWORD_LINE.match(line):
            story.priority = match["priority"]
            story.subjects.append((f"anpa-category:{match['category']}", ""))
            envelope.update(keyword=match["keyword"], version=match["version"].strip())
            envelope["date"] = f"{int(match['month']):02d}-{int(match['day']):02d}"
        elif match := _IPTC_ENVELOPE.match(line):
            story.format = "iptc7901"
            story.priority = match["priority"]
            story.subjects.append((f"anpa-category:{match['category']}", ""))
            envelope.update(source=match["source"], number=match["number"])
            envelope["keyword"] = " ".join(strip_control(rest).strip() for rest in lines[position + 1 :])
            break
    return envelope


def _read_top(story, lines, envelope):
    """
    The lines set apart above the story: ANPA's "^" lines, or IPTC 7901's
    heading (and a byline under it). Returns the story's lines.
    """
    index, top = 0, []
    while index < len(lines) and (lines[index].startswith("^") or not lines[index].strip()):
        if lines[index].strip():
            top.append(lines[index][1:])
        index += 1
    if not top:  # IPTC 7901: the heading is the first line, unindented
        while index < len(lines) and not lines[index].strip():
            index += 1
        while index < len(lines) and lines[index].strip() and not lines[index][0].isspace():
            top.append(lines[index])
            index += 1
    notes, under_byline = [], False
    for position, raw in enumerate(top):
        line = _clean(raw)
        if not line:
            continue
        if position == 0 and story.format == "anpa" and _SLUG_LINE.match(line):
            keyword, *rest = [part.strip() for part in line.split(",")]
            envelope["keyword"] = envelope["keyword"] or keyword
            words = [part for part in rest if part and not part.isdigit()]
            envelope["version"] = envelope["version"] or " ".join(words)
        elif note := _NOTE.match(line):
            notes.append(line[note.end() :])
        elif _PICTURES.match(line):
            notes.append(line)
        elif not story.byline and (byline := split_byline(line)):
            story.byline, under_byline = line, True
            story.agency_codes.append(byline[1])
            continue  # the next line may be the writer's title or the agency
        elif under_byline and is_title(line):
            pass  # "AP Sports Writer": the writer's title
        elif under_byline and (agency := agency_line(line)):
            story.agency_codes.append(agency)
        elif not story.headline:
            story.headline = line
        elif not story.dek and not story.byline:
            story.dek = line  # the AP's summary of the story, above the byline
        else:
            notes.append(line)
        under_byline = False
    story.ed_note = _join_notes(notes)
    return lines[index:]


def _clean(line):
    """A line without its format codes ("^" at the start, "<" or "=" at the end) and spare spaces."""
    line = line.removeprefix("^").rstrip()
    while line.endswith(("<", "=")):
        line = line[:-1].rstrip()
    return " ".join(line.split())


def _typography(text):
    """The AP's typewriter punctuation as printed: ``quotes'' and " _ " dashes."""
    text = text.replace("``", "“").replace("''", "”")
    return _DASH.sub("—", text) if "_" in text else text


def _join_notes(notes):
    """Notes as one text: the desk reads them on one line, so each ends with punctuation."""
    return " ".join(note if note[-1] in ".!?;:" else f"{note};" for note in notes if note).rstrip(";")


def _read_body(story, lines):
    cut = next((position for position, line in enumerate(lines) if _starts_notes(line)), len(lines))
    paragraphs = []
    for block in blocks_of("\n".join(line.removeprefix("^") for line in lines[:cut])):
        paragraphs += [_typography(_clean(paragraph)) for paragraph in paragraphs_of(block)]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    if paragraphs and (dateline := split_dateline(paragraphs[0])):
        story.dateline = dateline.place
        story.agency_codes.append(dateline.credit)
        paragraphs[0] = dateline.rest
    notes = [_EMAIL.sub(r"\1", _clean(line).lstrip("#*- ").strip()) for line in lines[cut:]]
    notes = [line for line in notes if line]
    for part in (paragraphs, notes):
        if part and _is_signature(part[-1], story.agency_codes):
            story.agency_codes.append(part.pop().split()[0])  # "dpa wsz jln npr": the agency, its editors
    story.ed_note = _join_notes([story.ed_note, *notes])
    story.paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    story.headline = _typography(story.headline)
    story.dek = _typography(story.dek)
    if not story.paragraphs and not story.headline:
        raise WireParseError("This ANPA/IPTC 7901 file has no headline and no text.")


def _starts_notes(line):
    """The notes after the story: "# dpa NOTEBOOK", "* * * *", "The following information is not for publication"."""
    line = line.strip()
    if line.startswith("#"):
        return "NOTEBOOK" in line.upper()
    if line.startswith("*"):
        return line.count("*") >= 3 and not line.replace("*", "").strip()
    return "publication" in line and bool(_NOT_FOR_PUBLICATION.search(line.lower()))


def _is_signature(line, agencies):
    """The agency's name and its editors' initials closing the text ("dpa wsz jln npr")."""
    match = _SIGNATURE.match(line.strip())
    return bool(match) and match["agency"].casefold() in {agency.casefold() for agency in agencies}


def _read_trailer(story, trailer, envelope):
    if match := _ANPA_TRAILER.search(trailer):
        year = int(match["year"])
        when = _datetime(year + (2000 if year < 70 else 1900), int(match["month"]), int(match["day"]), match)
        story.agency_codes.insert(0, match["agency"])
    elif match := _IPTC_TRAILER.search(trailer):
        year = int(match["year"])
        month = _MONTHS.get(match["month"].lower()[:3], 0)
        when = _datetime(year + 2000 if year < 100 else year, month, int(match["day"]), match)
    else:
        return
    if when:
        story.first_created = story.version_time = when
        envelope["date"] = when.date().isoformat()


def _datetime(year, month, day, match):
    try:
        return datetime(year, month, day, int(match["hour"]), int(match["minute"]), tzinfo=UTC)
    except ValueError:
        return None


def _identify(story, envelope):
    """Slugline, version, take, kill and correction from the keyword and version words; the GUID."""
    keyword, version_words = envelope["keyword"], envelope["version"]
    story.slugline = " ".join(part for part in (keyword, version_words) if part)
    if topic := _TOPIC.match(keyword):
        story.keywords.append(topic["topic"].upper())
    lead = _LEAD.search(version_words)
    story.version = str(int(lead.group(1)) + 1) if lead else "1"
    take = 1
    if add := _ADD.search(version_words):  # "1stAdd" is the second take; "Take 2" says so
        take = int(add.group(1)) + 1 if add.group(1) else int(add.group(2))
    if take > 1:
        story.warnings.append(f"This is take {take} of the story: it holds only that part of the text.")
    if _KILL.search(version_words) or _KILL.match(story.ed_note):
        story.pubstatus = PubStatus.CANCELED
        story.notice = story.ed_note or version_words
    if _CORRECTION.match(story.ed_note):
        story.correction_note = story.ed_note
    date = envelope["date"]
    agency = next((code for code in story.agency_codes if code), "")
    if story.format == "iptc7901":
        story.guid = f"iptc7901:{envelope['source']}:{envelope['number']}:{date}" if envelope["number"] else ""
    elif keyword:
        story.guid = f"anpa:{agency}:{_CYCLE.sub('', keyword)}:{date}" + (f":take{take}" if take > 1 else "")
    elif envelope["number"]:
        story.guid = f"anpa:{envelope['selector'] or envelope['service']}:{envelope['number']}:{date}"
