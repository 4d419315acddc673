"""
IPTC NewsML-G2: a `newsItem` or `packageItem`, or a `newsMessage` carrying
several (all are returned, in order). Elements are matched by the NAR
namespace URI, whatever prefix the file gives it.

Text items carry their text in `inlineXML` (XHTML or NITF) or `inlineData`
(plain text or HTML). Pictures, video and audio are items of their own kind
(`itemClass`), with the picture's caption, credit and rendition in `images`;
packages list their items' GUIDs in `links`, and items in one group of a
package delivered in the same message link to each other and to the package.
"""

from . import nitf
from .cleanup import split_plain_text, tidy
from .dates import parse_wire_datetime
from .story import ITEM_KIND_WORDS, PUB_STATUS_WORDS, ItemKind, PubStatus, WireImage, WireParseError, WireStory
from .xml import inner_html, local, parse_xml

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_STATUS = PUB_STATUS_WORDS
# itemClass codes (ninat: IPTC's, icls: Reuters') by the part after the colon.
_ITEMS = (f"{NAR}newsItem", f"{NAR}packageItem")
# Renditions to prefer for a picture, by a word in their rendition code.
_BEST_RENDITIONS = ("highres", "baseimage", "original", "master", "hires", "print")


def parse(data: bytes) -> list[WireStory]:
    warnings = []
    root = parse_xml(data, warnings)
    priority = ""
    if root.tag in _ITEMS:
        items = [root]
    elif root.tag == f"{NAR}newsMessage":
        items = [item for item in root.findall(f"{NAR}itemSet/*") if item.tag in _ITEMS]
        if not items:
            raise WireParseError("The newsMessage carries no newsItem or packageItem.")
        priority = _text(root.find(f"{NAR}header/{NAR}priority"))
    else:
        raise WireParseError(f"This is XML, but not NewsML-G2 (root element <{local(root.tag)}>).")
    stories = [from_item(item, message_priority=priority) for item in items]
    _link_package_members(items, stories)
    for story in stories:
        story.warnings[:0] = warnings
        tidy(story)
    return stories


def _text(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _find(element, path):
    return element.find("/".join(f"{NAR}{step}" for step in path.split("/")))


def _findall(element, path):
    return element.findall("/".join(f"{NAR}{step}" for step in path.split("/")))


def _code(element):
    """A concept's identifier: its qcode, else its literal, else its URI."""
    return (element.get("qcode") or element.get("literal") or element.get("uri") or "").strip()


def from_item(item, *, message_priority="") -> WireStory:
    """A story from one newsItem or packageItem, not yet tidied (`parse` does that)."""
    story = WireStory(format="newsml")
    story.guid = item.get("guid", "").strip()
    story.version = item.get("version", "").strip()
    story.language = item.get(XML_LANG, "")
    rights = _find(item, "rightsInfo")
    if rights is not None:
        holder = _find(rights, "copyrightHolder")
        if holder is not None:
            story.copyright_holder = _text(_find(holder, "name")) or holder.get("literal", "")
        story.copyright_notice = _text(_find(rights, "copyrightNotice"))
        story.usage_terms = _text(_find(rights, "usageTerms"))
    meta = _find(item, "itemMeta")
    if meta is not None:
        _item_meta(meta, story)
    content = _find(item, "contentMeta")
    if content is not None:
        _content_meta(content, story)
    story.priority = story.priority or message_priority
    if item.tag == f"{NAR}packageItem":
        story.kind = ItemKind.PACKAGE
        story.links += [ref.get("residref", "") for ref in item.iter(f"{NAR}itemRef")]
    elif story.kind == ItemKind.PICTURE:
        story.images.append(_picture(item, content))
    elif story.kind == ItemKind.TEXT:
        _body(item, story)
    story.agency_codes.append(story.credit)
    story.settle_status()
    return story


def _item_meta(meta, story):
    item_class = _find(meta, "itemClass")
    if item_class is not None:
        code = item_class.get("qcode", "")
        kind = ITEM_KIND_WORDS.get(code.rpartition(":")[2].lower())
        if kind is None:
            story.warnings.append(f"Unknown item class “{code}”: read as text.")
        story.kind = kind or ItemKind.TEXT
    provider = _find(meta, "provider")
    if provider is not None:
        story.agency_codes += [provider.get("qcode", ""), provider.get("literal", ""), _text(_find(provider, "name"))]
    story.version_time = parse_wire_datetime(_text(_find(meta, "versionCreated")))
    story.first_created = parse_wire_datetime(_text(_find(meta, "firstCreated")))
    story.embargo_until = parse_wire_datetime(_text(_find(meta, "embargoed")))
    status = _find(meta, "pubStatus")
    if status is not None:
        story.pubstatus = _STATUS.get(status.get("qcode", "").rpartition(":")[2].lower(), PubStatus.USABLE)
    private, public = [], []
    for note in _findall(meta, "edNote"):
        # edNote is for the desk; a role naming a correction (or a public note) is meant for readers.
        role = note.get("role", "").lower()
        (public if "correction" in role or "public" in role else private).append(_text(note))
    public += [_text(node) for node in meta.iter() if local(node.tag) == "correctionNote"]
    story.ed_note = " ".join(note for note in private if note)
    story.correction_note = " ".join(note for note in public if note)
    story.notice = story.ed_note or story.correction_note
    story.links += [link.get("residref", "") for link in _findall(meta, "link")]


def _content_meta(content, story):
    story.priority = _text(_find(content, "urgency"))
    language = _find(content, "language")
    if language is not None and language.get("tag"):
        story.language = language.get("tag")
    located = _find(content, "located")
    if located is not None:
        story.place = _text(_find(located, "name")) or located.get("literal", "")
    for source in _findall(content, "infoSource"):
        story.agency_codes += [_code(source), _text(_find(source, "name"))]
    for subject in _findall(content, "subject"):
        # The scheme's parents ("broader") are tagged too: labour market is also economy.
        for concept in [subject, *subject.iter(f"{NAR}broader")]:
            if _code(concept):
                story.subjects.append((_code(concept), _text(_find(concept, "name"))))
    story.keywords += [_text(keyword) for keyword in _findall(content, "keyword")]
    story.slugline = _text(_find(content, "slugline"))
    headlines = _findall(content, "headline")
    main = [headline for headline in headlines if "sub" not in headline.get("role", "")]
    subs = [headline for headline in headlines if "sub" in headline.get("role", "")]
    story.headline = _text(main[0]) if main else ""
    descriptions = _findall(content, "description")
    summaries = [d for d in descriptions if not any(word in d.get("role", "").lower() for word in ("caption", "alt"))]
    story.dek = _text(summaries[0]) if summaries else _text(subs[0]) if subs else ""
    story.byline = _text(_find(content, "by"))
    story.credit = _text(_find(content, "creditline"))
    dateline = _text(_find(content, "dateline"))
    # Reuters writes a timestamp in <dateline>: that is when, not where.
    moment = parse_wire_datetime(dateline) if dateline[:1].isdigit() else None
    if moment is not None:
        story.dateline_date = moment
    else:
        story.dateline = dateline


def _body(item, story):
    content_set = _find(item, "contentSet")
    if content_set is None:
        return
    for rendition in content_set:
        kind = local(rendition.tag)
        content_type = rendition.get("contenttype", "").lower()
        if kind == "inlineXML" and len(rendition):
            _inline_xml(rendition, story)
            return
        if kind == "inlineData" and (rendition.text or "").strip():
            if rendition.get("encoding") or rendition.get("encodinguri"):
                story.warnings.append("The text is encoded inline (inlineData with an encoding); it was not read.")
                continue
            if "html" in content_type:
                story.body_html = rendition.text
            else:
                story.paragraphs = split_plain_text(rendition.text)
            return
    if content_set.find(f"{NAR}remoteContent") is not None:
        story.warnings.append("The text is not in the file (remoteContent only).")


def _inline_xml(inline, story):
    for child in inline:
        if local(child.tag) == "nitf":
            body = nitf.from_element(child)
            story.body_html = body.body_html
            story.images += body.images
            story.warnings += body.warnings
            for name in ("headline", "dek", "byline", "dateline", "dateline_date"):
                if not getattr(story, name):
                    setattr(story, name, getattr(body, name))
            return
        if local(child.tag) == "html":
            body = child.find(f"{XHTML}body")
            if body is None:
                body = next((node for node in child if local(node.tag) == "body"), child)
            story.body_html = inner_html(body)
            return
    story.body_html = inner_html(inline)


def _picture(item, content):
    """The picture an item delivers: its best rendition, caption and credit."""
    image = WireImage()
    renditions = _findall(item, "contentSet/remoteContent")
    if renditions:

        def rank(rendition):
            name = rendition.get("rendition", "").lower()
            preferred = any(word in name for word in _BEST_RENDITIONS)
            area = _number(rendition.get("width")) * _number(rendition.get("height"))
            return (preferred, area)

        best = max(renditions, key=rank)
        image.href = best.get("href") or best.get("residref") or ""
    else:
        inline = next((node for node in item.iter() if local(node.tag) == "img" and node.get("src")), None)
        image.href = inline.get("src") if inline is not None else ""
    if content is not None:
        descriptions = _findall(content, "description")
        captions = [d for d in descriptions if "caption" in d.get("role", "").lower()]
        alts = [d for d in descriptions if "alt" in d.get("role", "").lower()]
        image.caption = _text(captions[0]) if captions else ""
        image.alt_text = _text(alts[0]) if alts else ""
        creators = [_text(_find(who, "name")) or who.get("literal", "") for who in _findall(content, "creator")]
        credit = _text(_find(content, "creditline"))
        image.credit = " / ".join(part for part in [*creators, credit] if part)
    return image


def _number(value):
    try:
        return float(value or 0)
    except ValueError:
        return 0


_MAX_SIBLINGS = 20  # a story and its pictures; a "top 100" group links its items to the package only


def _link_package_members(items, stories):
    """Items one group of a package holds, delivered in the same message, belong with each other and the package."""
    by_guid = {story.guid: story for story in stories if story.guid}
    for item, package in zip(items, stories, strict=True):
        if package.kind != ItemKind.PACKAGE:
            continue
        for group in item.iter(f"{NAR}group"):
            members = [ref.get("residref", "") for ref in group.findall(f"{NAR}itemRef")]
            siblings = members if len(members) <= _MAX_SIBLINGS else []
            for guid in members:
                if guid in by_guid:
                    by_guid[guid].links += [package.guid, *siblings]
