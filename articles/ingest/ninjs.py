"""IPTC ninjs, versions 1.x (`guid`, `body_html`, `headline`) and 2.x (`uri`, `bodies`, `headlines`)."""

import json

from .dates import parse_wire_datetime
from .story import PubStatus, WireImage, WireParseError, WireStory

_STATUS = {
    "usable": PubStatus.USABLE,
    "embargoed": PubStatus.EMBARGOED,
    "withheld": PubStatus.EMBARGOED,
    "canceled": PubStatus.CANCELED,
    "cancelled": PubStatus.CANCELED,
    "withdrawn": PubStatus.CANCELED,
}


def parse(data: bytes) -> WireStory:
    try:
        item = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise WireParseError(f"The JSON is not UTF-8 (byte 0x{data[error.start]:02x} at {error.start}).") from None
    except json.JSONDecodeError as error:
        raise WireParseError(
            f"The JSON is malformed: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    if not isinstance(item, dict):
        raise WireParseError("The JSON is not a ninjs object.")
    return from_item(item)


def _text(value):
    if isinstance(value, dict):
        return str(value.get("value") or value.get("name") or "").strip()
    return str(value or "").strip()


def _people(value):
    """ninjs `by`: a string in some feeds, a list of people in others."""
    if isinstance(value, list):
        return ", ".join(_text(person) for person in value if _text(person))
    return _text(value)


def _by_role(entries, *roles):
    """The value of the first entry with one of `roles` (in order), else of the first entry."""
    entries = [entry for entry in entries or [] if isinstance(entry, dict)]
    for role in roles:
        for entry in entries:
            if entry.get("role") == role:
                return _text(entry)
    return _text(entries[0]) if entries else ""


def from_item(item) -> WireStory:
    story = WireStory(format="ninjs")
    story.guid = _text(item.get("uri") or item.get("guid"))
    story.version = _text(item.get("version"))
    story.version_time = parse_wire_datetime(_text(item.get("versioncreated")))
    story.headline = _text(item.get("headline")) or _by_role(item.get("headlines"), "main", "")
    story.dek = _text(item.get("description_text")) or _by_role(item.get("descriptions"), "summary", "text")
    story.body_html = _text(item.get("body_html")) or _by_role(item.get("bodies"), "html", "html5", "richhtml5")
    if not story.body_html:
        plain = _text(item.get("body_text")) or _by_role(item.get("bodies"), "text")
        story.paragraphs = [line.strip() for line in plain.split("\n") if line.strip()]
    story.byline = _text(item.get("byline")) or _people(item.get("by"))
    story.copyright_holder = _text(item.get("copyrightholder"))
    story.copyright_notice = _text(item.get("copyrightnotice"))
    story.usage_terms = _text(item.get("usageterms"))
    story.credit = _text(item.get("source")) or story.copyright_holder
    story.agency_codes = [code for code in (_text(item.get("source")), story.copyright_holder) if code]
    story.embargo_until = parse_wire_datetime(_text(item.get("embargoed")))
    story.pubstatus = _STATUS.get(_text(item.get("pubstatus")).lower(), PubStatus.USABLE)
    if story.embargo_until and story.pubstatus == PubStatus.USABLE:
        story.pubstatus = PubStatus.EMBARGOED
    story.notice = _text(item.get("ednote"))
    for key in ("subject", "subjects"):
        for subject in item.get(key) or []:
            code = _text(subject.get("code") or subject.get("literal") or subject.get("uri"))
            scheme = _text(subject.get("scheme"))
            story.subjects.append((f"{scheme}:{code}" if scheme and code else code, _text(subject.get("name"))))
    for key in ("place", "places", "people", "organisations", "organisation"):
        story.keywords += [_text(entry.get("name")) for entry in item.get(key) or [] if _text(entry.get("name"))]
    story.keywords += [_text(keyword) for keyword in item.get("keywords") or []]
    located = item.get("located")
    if located:
        story.dateline = _text(located)
    story.images = _pictures(item.get("associations"))
    return story


def _pictures(associations):
    """Pictures from `associations`: a dict (1.x) or a list (2.x)."""
    if isinstance(associations, dict):
        associations = list(associations.values())
    images = []
    for association in associations or []:
        if not isinstance(association, dict) or association.get("type") not in ("picture", "image", "graphic"):
            continue
        renditions = association.get("renditions") or []
        if isinstance(renditions, dict):
            renditions = list(renditions.values())
        best = max(renditions, key=lambda rendition: rendition.get("width") or 0, default={})
        by = association.get("byline") or _people(association.get("by"))
        images.append(
            WireImage(
                href=_text(best.get("href")),
                caption=_text(association.get("description_text"))
                or _by_role(association.get("descriptions"), "caption", ""),
                alt_text=_text(association.get("body_text")),
                credit=_text(by) or _text(association.get("copyrightholder")),
            )
        )
    return images
