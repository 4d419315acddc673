from dataclasses import dataclass, field, fields
from datetime import datetime


class WireParseError(ValueError):
    """A file could not be read as a story; the message is shown to the desk as the reason."""


class PubStatus:
    USABLE = "usable"
    EMBARGOED = "embargoed"  # usable, but not before embargo_until
    CANCELED = "canceled"  # killed or withdrawn by the agency


# The words agencies' formats use for a story's status (lower case), for every parser.
PUB_STATUS_WORDS = {
    "usable": PubStatus.USABLE,
    "embargoed": PubStatus.EMBARGOED,
    "withheld": PubStatus.EMBARGOED,
    "canceled": PubStatus.CANCELED,
    "cancelled": PubStatus.CANCELED,
    "withdrawn": PubStatus.CANCELED,
    "killed": PubStatus.CANCELED,
}


@dataclass
class WireImage:
    href: str = ""  # a file name beside the story, or a remote URL (recorded, not fetched)
    caption: str = ""
    alt_text: str = ""
    credit: str = ""  # photographer or photo agency, credited apart from the text


class ItemKind:
    """What an agency item is. Only text items become stories; the others go to the library or are listed."""

    TEXT = "text"
    PICTURE = "picture"
    VIDEO = "video"
    AUDIO = "audio"
    PACKAGE = "package"  # a composite that links other items


# itemClass / type words (NewsML-G2 qcodes after the colon, ninjs `type`) → kind.
ITEM_KIND_WORDS = {
    "text": ItemKind.TEXT,
    "picture": ItemKind.PICTURE,
    "image": ItemKind.PICTURE,
    "graphic": ItemKind.PICTURE,
    "video": ItemKind.VIDEO,
    "animated": ItemKind.VIDEO,
    "audio": ItemKind.AUDIO,
    "composite": ItemKind.PACKAGE,
    "package": ItemKind.PACKAGE,
}


@dataclass
class WireStory:
    """One agency story as delivered, independent of its format. Parsers fill it; they never touch models."""

    format: str = ""
    kind: str = ItemKind.TEXT
    agency_codes: list[str] = field(default_factory=list)  # provider, source, credit… as the file names them
    guid: str = ""  # the agency's GUID, else its document id (NITF doc-id, ANPA story number and date)
    version: str = ""
    version_time: datetime | None = None
    first_created: datetime | None = None
    slugline: str = ""  # the agency's short label for the story ("JAPAN-KOREA/"), desk-only
    priority: str = ""  # urgency or priority as the agency codes it ("1" flash … "8"; ANPA "r", "u"…)
    language: str = ""  # BCP 47, as the file gives it ("en", "ja")
    place: str = ""  # where the agency says the story is located (desk-only, not the dateline)
    ed_note: str = ""  # the agency's note to editors: never shown to readers
    correction_note: str = ""  # the agency's public correction note
    links: list[str] = field(default_factory=list)  # GUIDs of items this one belongs with (package, story)
    warnings: list[str] = field(default_factory=list)  # what the parser had to guess (encodings…), for the desk
    headline: str = ""
    dek: str = ""
    subheadline: str = ""  # a second headline under the first (NITF hl2): not the dek; kept for the desk
    byline: str = ""
    credit: str = ""  # the credit line the agency asks for, e.g. "Kyodo"
    copyright_holder: str = ""
    copyright_notice: str = ""
    usage_terms: str = ""
    dateline: str = ""
    dateline_date: datetime | None = None
    body_html: str = ""
    paragraphs: list[str] = field(default_factory=list)  # plain-text formats; turned into body_html on import
    pubstatus: str = PubStatus.USABLE
    embargo_until: datetime | None = None
    notice: str = ""  # the agency's editorial note or kill advisory
    subjects: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    keywords: list[str] = field(default_factory=list)
    images: list[WireImage] = field(default_factory=list)

    def settle_status(self):
        """A story the agency marked usable but sent with an embargo is embargoed: every format says so this way."""
        if self.embargo_until and self.pubstatus == PubStatus.USABLE:
            self.pubstatus = PubStatus.EMBARGOED

    @property
    def is_canceled(self):
        return self.pubstatus == PubStatus.CANCELED

    def as_data(self):
        """JSON-safe dict, kept on the wire item (unmapped codes and all)."""
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        for key in DATETIME_FIELDS:
            if data[key] is not None:
                data[key] = data[key].isoformat()
        data["subjects"] = [list(pair) for pair in self.subjects]
        data["images"] = [vars(image).copy() for image in self.images]
        for key in ("agency_codes", "paragraphs", "keywords", "links", "warnings"):
            data[key] = list(data[key])
        return data


DATETIME_FIELDS = ("version_time", "first_created", "dateline_date", "embargo_until")
