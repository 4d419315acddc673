"""
Text hygiene shared by every parser: what agencies put in their text that must
never reach a reader (markup in headlines, their own tags, control codes).
"""

import html
import re
import unicodedata

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
# ASCII control characters but tab, newline and carriage return (ANPA's SOH, STX, ETX, EOT…).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> str:
    """
    One line of plain text from whatever an agency sent as a headline, dek or
    byline: tags dropped, entities decoded (twice-escaped ones too), control
    characters removed, whitespace collapsed.
    """
    value = _CONTROL.sub("", value or "")
    for _ in range(2):  # "&amp;lt;b&amp;gt;" is markup escaped twice
        if "&" not in value:
            break
        value = html.unescape(value)
    value = _TAGS.sub(" ", value)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()


def strip_control(value: str) -> str:
    """`value` without ASCII control characters, line breaks kept."""
    return _CONTROL.sub("", value or "")
