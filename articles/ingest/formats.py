"""Which parser reads a file: decided from its content, never from its name."""

import logging
import re

from . import anpa, newsml, newsml1, ninjs, nitf, plaintext
from .story import WireParseError

logger = logging.getLogger(__name__)

# Pictures delivered beside stories: attachments that stories refer to, not stories.
ATTACHMENT_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff"}

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


# Byte-order marks of the wide encodings, the four-byte ones first (UTF-32-LE's begins with UTF-16-LE's).
_WIDE_BOMS = [
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _narrow(data: bytes) -> bytes:
    """
    The start of a UTF-16 or UTF-32 file (by its BOM, or UTF-16's zero bytes)
    as UTF-8, so that detection can read it; other files as they are. The
    parsers decode the whole file themselves (cleanup.decode).
    """
    head = data[:262144]
    for bom, codec in _WIDE_BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore").encode()
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):  # "<\0" or "\0<": UTF-16 without a BOM
        return head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", errors="ignore").encode()
    return data


def detect(data: bytes) -> str:
    head = _narrow(data).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "ninjs"
    if head.startswith(b"<"):
        name = root_name(head[:65536])
        if name == b"nitf":
            return "nitf"
        if name in (b"newsItem", b"newsMessage", b"packageItem"):
            return "newsml"
        if name == b"NewsML":
            return "newsml1"
        return "xml"
    if anpa.looks_like_anpa(data):  # ANPA 1312 and IPTC 7901: SOH after optional SYN fill
        return "anpa"
    if plaintext.looks_like_text(data):
        return "text"
    return "unknown"


# What may stand before the root element, and what ends it. These are found with
# bytes.find, which never goes back: a pattern such as <\?.*?\?> rescans the rest
# of the file from every "<?", so 60 KB of "<?<?<?…" took 16 seconds.
_PROLOG = ((b"<?", b"?>"), (b"<!--", b"-->"))
_SUBSET_END = re.compile(rb"\]\s*>")


def root_name(head: bytes) -> bytes:
    """The local name of the first element after the declaration, comments and DOCTYPE; b"" if none. Linear."""
    at = head.find(b"<")
    while at >= 0:
        end = next((head.find(close, at + len(open_)) for open_, close in _PROLOG if head.startswith(open_, at)), None)
        if end is not None:
            at = end if end < 0 else head.find(b"<", end)
            continue
        if head.startswith(b"<!DOCTYPE", at):
            at = _after_doctype(head, at)
            continue
        match = _ROOT.match(head, at)
        if match:
            return match.group(2)
        at = head.find(b"<", at + 1)
    return b""


def _after_doctype(head, at):
    """Where the next tag may start after a DOCTYPE (with or without an internal subset); -1 if it never ends."""
    close = head.find(b">", at)
    bracket = head.find(b"[", at, close if close >= 0 else len(head))
    if bracket >= 0:
        subset = _SUBSET_END.search(head, bracket)
        close = subset.end() - 1 if subset else -1
    return close if close < 0 else head.find(b"<", close)


def parse(data: bytes, *, boilerplate=()):
    """(format, [WireStory, …]) or WireParseError with the reason; never any other exception."""
    try:
        return _parse(data, boilerplate=boilerplate)
    except WireParseError:
        raise
    except Exception as error:
        # A file beyond a parser's means (RecursionError on deep nesting, MemoryError) or a
        # parser bug (a TypeError from a field of an unexpected JSON type): the desk gets one
        # reason, the log the traceback to fix the parser by.
        logger.warning("A wire parser failed", exc_info=True)
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise WireParseError(f"The file could not be read ({what[:300]}).") from error


def _parse(data, *, boilerplate):
    kind = detect(data)
    if kind == "ninjs":
        return kind, [ninjs.parse(data)]
    if kind == "nitf":
        return kind, [nitf.parse(data)]
    if kind == "newsml":
        return kind, newsml.parse(data)
    if kind == "newsml1":
        return kind, newsml1.parse(data)
    if kind == "anpa":
        return kind, [anpa.parse(data)]
    if kind == "text":
        return kind, [plaintext.parse(data, boilerplate=boilerplate)]
    if kind == "xml":
        raise WireParseError("This XML file is neither NITF nor NewsML-G2.")
    raise WireParseError("Unknown format: not plain text, NITF, ninjs or NewsML-G2.")
