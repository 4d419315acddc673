from dataclasses import dataclass, field, fields
from datetime import datetime


class WireParseError(ValueError):
    """A file could not be read as a story; the message is shown to the desk as the reason."""


class PubStatus:
    USABLE = "usable"
    EMBARGOED = "embargoed"  # usable, but not before embargo_until
    CANCELED = "canceled"  # killed or withdrawn by the agency


@dataclass
class WireImage:
    href: str = ""  # a file name beside the story, or a remote URL (recorded, not fetched)
    caption: str = ""
    alt_text: str = ""
    credit: str = ""  # photographer or photo agency, credited apart from the text


@dataclass
class WireStory:
    """One agency story as delivered, independent of its format. Parsers fill it; they never touch models."""

    format: str = ""
    agency_codes: list[str] = field(default_factory=list)  # provider, source, credit… as the file names them
    guid: str = ""
    version: str = ""
    version_time: datetime | None = None
    headline: str = ""
    dek: str = ""
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

    @property
    def is_canceled(self):
        return self.pubstatus == PubStatus.CANCELED

    def as_data(self):
        """JSON-safe dict, kept on the wire item (unmapped codes and all)."""
        data = {field.name: getattr(self, field.name) for field in fields(self)}
        for key in ("version_time", "dateline_date", "embargo_until"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        data["subjects"] = [list(pair) for pair in self.subjects]
        data["images"] = [vars(image).copy() for image in self.images]
        data["agency_codes"], data["paragraphs"], data["keywords"] = (
            list(self.agency_codes),
            list(self.paragraphs),
            list(self.keywords),
        )
        return data
