"""
Safe XML for wire files. defusedxml refuses entity declarations (billion
laughs, XXE) and external references; DTDs named in DOCTYPE are never loaded.
"""

import re
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .cleanup import EncodingError, decode
from .story import WireParseError

_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"'][^>]*\?>")


def decode_xml(data: bytes, warnings: list | None = None) -> str:
    """
    XML bytes as text: by the BOM, by UTF-16's zero bytes, else by the declared
    encoding (UTF-8 if none), a UTF-8 file declared Latin-1 read as UTF-8 (see
    `cleanup.decode`). What had to be guessed is appended to `warnings`.
    """
    match = _DECLARATION.match(data)
    try:
        decoded = decode(data, declared=match.group(1).decode("ascii") if match else "")
    except EncodingError as error:
        raise WireParseError(str(error)) from None
    if warnings is not None:
        warnings.extend(decoded.warnings)
    # The text is decoded now; drop the declaration so the parser does not decode again.
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", decoded.text, count=1)


def parse_xml(data: bytes, warnings: list | None = None):
    """The root element of a wire file, or WireParseError with the reason. Encoding guesses go to `warnings`."""
    text = decode_xml(data, warnings)
    try:
        return fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise WireParseError(
            f"The file declares XML entities or external references ({type(error).__name__}); "
            "these are refused because they can read server files or exhaust memory."
        ) from None
    except ParseError as error:
        raise WireParseError(f"The XML is malformed: {error}.") from None


def local(tag):
    """The local name of a tag, whatever its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(element):
    """All the text inside an element, whitespace folded."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


class Index:
    """Every element of a tree by local name, built in one pass (NITF names are unique enough)."""

    def __init__(self, root):
        self.by_name = {}
        for node in root.iter():
            self.by_name.setdefault(local(node.tag), []).append(node)

    def all(self, name):
        return self.by_name.get(name, [])

    def first(self, name):
        found = self.by_name.get(name)
        return found[0] if found else None


def children(element, name):
    """Descendants with this local name, in document order, whatever their namespace."""
    if element is None:
        return []
    return [node for node in element.iter() if local(node.tag) == name]


def first(element, name):
    found = children(element, name)
    return found[0] if found else None


def inner_html(element):
    """The markup inside an element, namespaces dropped, for sanitizing."""
    from xml.etree.ElementTree import tostring

    parts = [_escape(element.text or "")]
    for child in element:
        _strip_namespaces(child)
        parts.append(tostring(child, encoding="unicode"))
    return "".join(parts)


def _strip_namespaces(element):
    for node in element.iter():
        node.tag = local(node.tag)
        node.attrib = {local(key): value for key, value in node.attrib.items()}


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
