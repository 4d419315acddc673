"""
IPTC ninjs: 1.x (`guid`, `headline`, `body_html`, 1.4's `body_xhtml`,
`associations` as an object), 2.x (`uri`, `headlines`, `bodies`,
`associations` as a list) and 3.x (the same in camelCase: `versionCreated`,
`copyrightHolder`, `edNote`…). Names are matched without regard to case, so
`versioncreated` and `versionCreated` are one field.

A field of the wrong JSON type ("headlines": 5) is refused with its name,
rather than guessed at.
"""

import json

from .cleanup import EncodingError, decode, split_plain_text, tidy
from .dates import parse_wire_datetime
from .story import ITEM_KIND_WORDS, PUB_STATUS_WORDS, ItemKind, PubStatus, WireImage, WireParseError, WireStory

_STATUS = PUB_STATUS_WORDS
_HTML_ROLES = ("html", "html5", "richhtml5", "richtext", "xhtml", "body_html", "body_xhtml")


def parse(data: bytes) -> WireStory:
    try:
        decoded = decode(data, declared="utf-8")  # JSON is UTF-8 (RFC 8259), or UTF-16/32 with a BOM
    except EncodingError as error:
        raise WireParseError(
            f"The JSON is not UTF-8 (byte 0x{error.byte:02x} at position {error.position}). "
            "Ask the agency to resend it in UTF-8."
        ) from None
    try:
        item = json.loads(decoded.text)
    except json.JSONDecodeError as error:
        raise WireParseError(
            f"The JSON is malformed: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    if not isinstance(item, dict):
        raise WireParseError(f"The JSON is not a ninjs object (it is {_describe(item)}).")
    story = from_item(Item(item))
    story.warnings[:0] = decoded.warnings
    return tidy(story)


def _describe(value):
    if isinstance(value, bool):
        return f"true/false ({json.dumps(value)})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


class Item:
    """
    One ninjs object, read with its types checked: every accessor takes the
    field's names (1.x and 3.x spellings alike) and raises WireParseError,
    naming the field, when the JSON holds the wrong kind of value.
    """

    def __init__(self, data: dict, path: str = ""):
        self.data = data
        self.path = path
        self.keys = {}
        for key in data:
            self.keys.setdefault(key.casefold(), key)

    def _get(self, names):
        for name in names:
            key = self.keys.get(name.casefold())
            if key is not None and self.data[key] is not None:
                return key, self.data[key]
        return names[0], None

    def _error(self, key, expected, value):
        where = f"{self.path}.{key}" if self.path else key
        return WireParseError(f"The ninjs field “{where}” should be {expected}, but it is {_describe(value)}.")

    def text(self, *names) -> str:
        """A string field (a number is read as its digits; `{"value": …}` as its value)."""
        key, value = self._get(names)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(int(value)) if float(value).is_integer() else str(value)
        if isinstance(value, dict) and isinstance(value.get("value", value.get("name")), str):
            return value.get("value", value.get("name")).strip()
        raise self._error(key, "text", value)

    def texts(self, *names) -> list[str]:
        """A list of strings."""
        key, value = self._get(names)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(entry, (str, int, float)) for entry in value):
            raise self._error(key, "a list of text", value)
        return [str(entry).strip() for entry in value if str(entry).strip()]

    def objects(self, *names) -> list["Item"]:
        """A list of objects; 1.x's objects keyed by name ("associations": {"featuremedia": …}) count too."""
        key, value = self._get(names)
        if value is None:
            return []
        if isinstance(value, dict) and all(isinstance(entry, dict) for entry in value.values()):
            return [Item(entry, f"{self.path + '.' if self.path else ''}{key}.{name}") for name, entry in value.items()]
        if not isinstance(value, list):
            raise self._error(key, "a list of objects", value)
        items = []
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise self._error(f"{key}[{index}]", "an object", entry)
            items.append(Item(entry, f"{self.path + '.' if self.path else ''}{key}[{index}]"))
        return items

    def number(self, *names) -> float:
        key, value = self._get(names)
        if value is None or value == "":
            return 0
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise self._error(key, "a number", value)

    def people(self, *names) -> str:
        """ninjs `by`: a string in most feeds, a list of people (or names) in others."""
        key, value = self._get(names)
        if isinstance(value, list):
            people = [Item(entry, key).text("name") if isinstance(entry, dict) else entry for entry in value]
            if not all(isinstance(person, str) for person in people):
                raise self._error(key, "text or a list of people", value)
            return ", ".join(person.strip() for person in people if person.strip())
        return self.text(*names)


def _by_role(entries, *roles):
    """The value of the first entry with one of `roles` (in order), else of the first entry."""
    for role in roles:
        for entry in entries:
            if entry.text("role").casefold() == role:
                return entry.text("value")
    return entries[0].text("value") if entries else ""


def from_item(item: Item) -> WireStory:
    """A story from one ninjs object (not yet tidied: `parse` does that)."""
    story = WireStory(format="ninjs")
    story.guid = item.text("uri", "guid")
    story.version = item.text("version")
    story.kind = _kind(item.text("type"), story)
    story.version_time = parse_wire_datetime(item.text("versionCreated"))
    story.first_created = parse_wire_datetime(item.text("firstCreated"))
    story.language = item.text("language")
    story.slugline = item.text("slugline")
    story.priority = item.text("urgency") or item.text("priority")
    headlines = item.objects("headlines")
    story.headline = item.text("headline") or _by_role(headlines, "main", "")
    subheadlines = [entry for entry in headlines if "sub" in entry.text("role")]
    story.dek = (
        item.text("description_text")
        or _by_role([entry for entry in item.objects("descriptions") if not _is_caption(entry)], "summary", "text", "")
        or (subheadlines[0].text("value") if subheadlines else "")
    )  # fmt: skip
    story.byline = item.text("byline") or item.people("by")
    story.copyright_holder = item.text("copyrightHolder")
    story.copyright_notice = item.text("copyrightNotice")
    story.usage_terms = item.text("usageTerms")
    source = item.text("source")
    story.credit = source or story.copyright_holder
    story.agency_codes = [source, story.copyright_holder]
    for info in item.objects("infoSources"):
        story.agency_codes += [info.text("name"), info.text("literal")]
    story.embargo_until = parse_wire_datetime(item.text("embargoed"))
    story.pubstatus = _STATUS.get(item.text("pubStatus").lower(), PubStatus.USABLE)
    story.settle_status()
    story.ed_note = item.text("edNote")
    story.correction_note = item.text("correctionNote", "correction_note")
    story.notice = story.ed_note or story.correction_note
    for subject in item.objects("subject", "subjects"):
        code = subject.text("code") or subject.text("literal") or subject.text("uri")
        scheme = subject.text("scheme")
        story.subjects.append((f"{scheme}:{code}" if scheme and code else code, subject.text("name")))
    places = item.objects("place", "places")
    story.place = item.text("located") or next(
        (place.text("name") for place in places if place.text("rel").rpartition("/")[2] != "mentions"), ""
    )
    for entry in [*places, *item.objects("people"), *item.objects("organisations", "organisation")]:
        story.keywords.append(entry.text("name"))
    story.keywords += item.texts("keywords")
    if story.kind in (ItemKind.TEXT, ItemKind.PACKAGE):
        _body(item, story)
    if story.kind == ItemKind.PICTURE:
        story.images.append(_picture(item))
    for association in item.objects("associations"):
        kind = _kind(association.text("type"), None)
        if kind == ItemKind.PICTURE and story.kind == ItemKind.TEXT:
            story.images.append(_picture(association))
        else:  # a package's items, a story's related video: listed, not embedded
            story.links.append(association.text("uri", "guid"))
    return story


def _is_caption(description):
    role = description.text("role").lower()
    return "caption" in role or "alt" in role


def _kind(value, story):
    """The item's kind from ninjs `type` ("picture", or a media type such as "image/jpeg")."""
    if not value:
        return ItemKind.TEXT
    name = value.rpartition("/")[2].lower() if value.startswith("http") else value.split("/")[0].lower()
    kind = ITEM_KIND_WORDS.get(name)
    if kind is None and story is not None:
        story.warnings.append(f"Unknown ninjs type “{value}”: read as text.")
    return kind or ItemKind.TEXT


def _body(item, story):
    """HTML from `body_html`, `body_xhtml` or the richest of `bodies`, else plain text."""
    story.body_html = item.text("body_html") or item.text("body_xhtml")
    if story.body_html:
        return
    bodies = item.objects("bodies")
    for body in bodies:
        content_type = body.text("contentType").lower()
        if "html" in content_type or (not content_type and body.text("role").lower() in _HTML_ROLES):
            story.body_html = body.text("value")
            return
    plain = item.text("body_text") or next(
        (body.text("value") for body in bodies if body.text("contentType").lower() in ("", "text/plain")), ""
    )
    story.paragraphs = split_plain_text(plain)


def _picture(item):
    """A picture from a ninjs object: its widest rendition, caption and credit."""
    renditions = item.objects("renditions")
    best = max(renditions, key=lambda rendition: rendition.number("width"), default=None)
    descriptions = item.objects("descriptions")
    alternatives = [entry for entry in descriptions if "alt" in entry.text("role").lower()]
    return WireImage(
        href=best.text("href") if best is not None else "",
        caption=item.text("description_text") or _by_role(descriptions, "caption", "summary", ""),
        alt_text=item.text("body_text") or _by_role(alternatives),
        credit=item.text("byline") or item.people("by") or item.text("copyrightHolder"),
    )
