"""
IPTC NITF 3.x: one story per file.

Where each field comes from, and what is deliberately not used:

- body: the story's own `body/body.content`. A `<note>` or other block in
  `body.head` may carry a body.content of its own (IPTC's sample does); that
  is a note, never the story.
- headline: `hedline/hl1`, else `head/title`, else a heading opening the body.
- `hl2` in the hedline: the agency's slugline when it looks like one
  ("BC-Climate-Trading"), else a subheadline. It is not the dek, and a copy of
  the headline (AP's "originalHeadline") is dropped. The dek is `<abstract>`.
- dateline: `<dateline>`'s location (its `story.date` is the dateline's time,
  `dateline_date`), else the lede's "NEW YORK (AP) —", which is taken out of
  the lede. Where the events happened (`evloc`) is the desk's `place`.
- guid: `doc-id@id-string`, else `du-key@key`; neither (AP's feeds send only
  `doc-id@regsrc`) leaves it to the importer to derive one. `regsrc`, the
  distributor, the first source in `del-list`, the copyright holder and the
  lede's credit are the agency codes, in that order.
- version `du-key@version`; slugline `meta[anpa-keyword]`, a slug-like hl2 or
  `du-key@key`; priority `urgency@ed-urg`; first_created and version_time
  `date.issue`; embargo `date.release`; language `xml:lang`, `baselang` or
  `lang` on the root, head, docdata or body, else `meta[language]`.
- ed_note `ed-msg@info` and editors' notes; correction_note `correction@info`.
"""

import re

from ..params import whole_number
from .cleanup import plain_text, tidy
from .dates import parse_wire_datetime
from .plaintext import split_dateline
from .story import PUB_STATUS_WORDS, PubStatus, WireImage, WireParseError, WireStory
from .xml import first, inner_html, local, parse_xml

_STATUS = PUB_STATUS_WORDS
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# "BC-Climate-Trading", "JAPAN-KOREA/", "US-FED": no spaces, and a hyphen or slash, or all capitals.
_SLUG = re.compile(r"^[\w.&/+-]{2,60}$")
_HEADINGS = {"hl1", "hl2", "h1", "h2", "h3"}


def parse(data: bytes) -> WireStory:
    warnings = []
    root = parse_xml(data, warnings)
    if local(root.tag) != "nitf":
        raise WireParseError("This is XML, but not NITF (the root element is not <nitf>).")
    story = from_element(root)
    story.warnings[:0] = warnings
    return story


def from_element(root) -> WireStory:
    """A story from an <nitf> element; NewsML-G2 uses this for NITF bodies inside inlineXML."""
    story = WireStory(format="nitf")
    head = child(root, "head")
    body = child(root, "body")
    body_head = child(body, "body.head")
    regsrc, source = _read_docdata(story, head, child(head, "docdata"))
    distributor = _read_body_head(story, body_head, title=text(child(head, "title")))
    lede_credit = _read_body(story, child(body, "body.content"))
    story.agency_codes = [regsrc, distributor, source, story.copyright_holder, lede_credit]
    story.language = _language(root, head, body)
    story.settle_status()
    return tidy(story)


def child(element, name):
    """The first child (not descendant) of `element` with this local name, or None."""
    if element is None:
        return None
    return next((node for node in element if local(node.tag) == name), None)


def children(element, name):
    return [] if element is None else [node for node in element if local(node.tag) == name]


def text(element):
    """All the text inside an element, as one line of plain text."""
    return "" if element is None else plain_text("".join(element.itertext()))


def _read_docdata(story, head, docdata):
    """Identity, status, times, codes and notes; returns the registered source and the first deliverer."""
    meta = {node.get("name", "").lower(): node.get("content", "") for node in children(head, "meta")}
    for subject in children(child(head, "tobject"), "tobject.subject"):
        code = subject.get("tobject.subject.refnum", "").strip()
        names = (subject.get(f"tobject.subject.{kind}", "") for kind in ("detail", "matter", "type"))
        name = next((name for name in names if name), "")
        if code:
            story.subjects.append((f"subj:{code}", name))
    if docdata is None:
        return "", ""
    story.pubstatus = _STATUS.get(docdata.get("management-status", "usable").strip().lower(), PubStatus.USABLE)
    story.links.append(docdata.get("management-doc-idref", ""))  # the document this one updates or cancels
    doc_id, du_key = child(docdata, "doc-id"), child(docdata, "du-key")
    if doc_id is not None:
        story.guid = doc_id.get("id-string", "").strip()
    if du_key is not None:
        story.guid = story.guid or du_key.get("key", "").strip()
        story.version = du_key.get("version", "").strip()
    story.slugline = meta.get("anpa-keyword", "") or (du_key.get("key", "") if du_key is not None else "")
    story.priority = _attribute(docdata, "urgency", "ed-urg")
    issued = parse_wire_datetime(_attribute(docdata, "date.issue", "norm"))
    story.first_created = story.version_time = issued
    story.embargo_until = parse_wire_datetime(_attribute(docdata, "date.release", "norm"))
    places = (_attribute(docdata, "evloc", key) for key in ("city", "state-prov", "county-dist", "region", "iso-cc"))
    story.place = ", ".join(place for place in places if place)
    messages = [message.get("info", "").strip() for message in children(docdata, "ed-msg")]
    story.ed_note = story.notice = "\n".join(message for message in messages if message)
    story.correction_note = "\n".join(node.get("info", "").strip() for node in children(docdata, "correction"))
    story.keywords = [keyword.get("key", "") for keyword in children(child(docdata, "key-list"), "keyword")]
    copyright = child(docdata, "doc.copyright")
    if copyright is not None:
        story.copyright_holder = copyright.get("holder", "").strip()
        year = copyright.get("year", "").strip()
        story.copyright_notice = f"© {year} {story.copyright_holder}" if year else ""
    story.usage_terms = _attribute(docdata, "doc.rights", "limitations")
    sources = sorted(children(child(docdata, "del-list"), "from-src"), key=_level)
    return _attribute(docdata, "doc-id", "regsrc"), sources[0].get("src-name", "") if sources else ""


def _attribute(parent, name, attribute):
    node = child(parent, name)
    return "" if node is None else node.get(attribute, "").strip()


def _level(source):
    level = whole_number(source.get("level-number", ""), digits=3)
    return 99 if level is None else level


def _read_body_head(story, body_head, *, title):
    """Headlines, dek, byline, notes and dateline; returns the distributor."""
    hedline = child(body_head, "hedline")
    story.headline = text(child(hedline, "hl1")) or title
    for hl2 in children(hedline, "hl2"):
        second = text(hl2)
        if _SLUG.match(second) and ("-" in second or "/" in second or second.isupper()):
            story.slugline = second
        elif second and second.casefold() != story.headline.casefold():
            story.subheadline = second
    story.dek = text(child(body_head, "abstract"))
    byline = child(body_head, "byline")
    if byline is not None:
        # The byline's words, without the writer's title in <byttl> ("AP Business Writer").
        words = [byline.text or ""]
        for part in byline:
            words += ["" if local(part.tag) == "byttl" else "".join(part.itertext()), part.tail or ""]
        story.byline = plain_text(" ".join(words)) or text(child(byline, "byttl"))
    for note in children(body_head, "note"):
        if note.get("noteclass", "") == "editorsnote" and text(note):
            story.ed_note = "\n".join(part for part in (story.ed_note, text(note)) if part)
    story.credit = text(child(body_head, "distributor"))
    dateline = child(body_head, "dateline")
    if dateline is not None:
        location = child(dateline, "location")
        story.dateline = text(location) if location is not None else _dateline_text(dateline)
        when = child(dateline, "story.date")
        if when is not None:
            story.dateline_date = parse_wire_datetime(when.get("norm"))
    return story.credit


def _dateline_text(dateline):
    """The dateline's words but its date: "WASHINGTON, <story.date>Jan. 5</story.date>" → "WASHINGTON"."""
    parts = [dateline.text or ""]
    for part in dateline:
        parts.append(("" if local(part.tag) == "story.date" else "".join(part.itertext())) + (part.tail or ""))
    return plain_text(" ".join(parts)).strip(" ,;:–—-")


def _read_body(story, content):
    """The body, its pictures, and the lede's dateline; returns the agency the lede names."""
    if content is None:
        story.warnings.append("The file has no body.content: the story has no text.")
        return ""
    for parent in list(content.iter()):
        for node in list(parent):
            if local(node.tag) == "media":
                story.images.append(_image(node))
                parent.remove(node)
            elif local(node.tag) == "hl2":
                node.tag = "h2"  # a subheading in the text
    if not story.headline:
        opening = next(iter(content), None)
        if opening is not None and local(opening.tag) in _HEADINGS and text(opening):
            story.headline = text(opening)
            content.remove(opening)
            story.warnings.append("The file has no headline; the heading that opens the body is used.")
    lede = next((node for node in content.iter() if local(node.tag) == "p"), None)
    dateline = split_dateline(lede.text) if lede is not None and lede.text else None
    if dateline:
        lede.text = dateline.rest
        story.dateline = story.dateline or dateline.place
    story.body_html = inner_html(content)
    return dateline.credit if dateline else ""


def _image(media):
    reference = first(media, "media-reference")
    return WireImage(
        href=(reference.get("source", "") if reference is not None else "").strip(),
        alt_text=(reference.get("alternate-text", "") if reference is not None else "").strip(),
        caption=text(first(media, "media-caption")),
        credit=text(first(media, "media-producer")),
    )


def _language(root, head, body):
    for element in (root, head, child(head, "docdata"), body):
        for attribute in (_XML_LANG, "baselang", "lang"):
            value = element.get(attribute, "").strip() if element is not None else ""
            if value:
                return value
    for meta in children(head, "meta"):
        if meta.get("name", "").lower() in ("language", "lang", "dc.language"):
            return meta.get("content", "").strip()
    return ""
