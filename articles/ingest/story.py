from dataclasses import dataclass, field


class WireParseError(ValueError):
    """A file could not be read as a story; the message is shown to the desk."""


@dataclass
class WireStory:
    """One agency story as delivered, independent of its format."""

    agency: str = ""  # the agency's own name or code, mapped to a WireService on import
    guid: str = ""
    version: str = ""
    headline: str = ""
    dek: str = ""
    byline: str = ""
    credit: str = ""  # as the agency asks to be credited, e.g. "Kyodo"
    dateline: str = ""
    paragraphs: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
