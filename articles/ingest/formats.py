"""Which parser reads a file: decided from its content, never from its name."""

import re

from . import newsml, ninjs, nitf, plaintext
from .story import WireParseError

# Pictures delivered beside stories: attachments that stories refer to, not stories.
ATTACHMENT_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def detect(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "ninjs"
    if head.startswith(b"<"):
        # The first element after the declaration, comments and DOCTYPE.
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", b"", head[:65536], flags=re.S)
        match = _ROOT.search(body)
        name = match.group(2) if match else b""
        if name == b"nitf":
            return "nitf"
        if name in (b"newsItem", b"newsMessage"):
            return "newsml"
        return "xml"
    if plaintext.looks_like_text(data):
        return "text"
    return "unknown"


def parse(data: bytes, *, boilerplate=()):
    """(format, [WireStory, …]) or WireParseError with the reason."""
    kind = detect(data)
    if kind == "ninjs":
        return kind, [ninjs.parse(data)]
    if kind == "nitf":
        return kind, [nitf.parse(data)]
    if kind == "newsml":
        return kind, newsml.parse(data)
    if kind == "text":
        return kind, [plaintext.parse(data, boilerplate=boilerplate)]
    if kind == "xml":
        raise WireParseError("This XML file is neither NITF nor NewsML-G2.")
    raise WireParseError("Unknown format: not plain text, NITF, ninjs or NewsML-G2.")
