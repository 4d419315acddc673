"""
IPTC NewsML 1.x (1.0–1.2), as AFP and others still send it: a <NewsML>
envelope holding NewsItems, each a tree of NewsComponents. Every NewsItem is
one story:

- its identity is NewsIdentifier's ProviderId, DateId and NewsItemId (the
  PublicIdentifier without its revision), its version the RevisionId;
- NewsManagement gives status (Canceled or Withdrawn kill it; Embargoed waits
  for StatusWillChange), urgency and times;
- the text is the first text ContentItem's DataContent (NITF, XHTML, bare
  paragraphs or plain text), and its NewsLines and metadata are the nearest
  ones above it;
- photo components become `images` (best rendition, caption, credit); an item
  with pictures and no text is a picture item, likewise video and audio.

Element names are matched without their namespace (1.x files have none, or
the 2003 one).
"""

import re

from . import nitf
from .cleanup import split_plain_text, tidy
from .dates import parse_wire_datetime
from .story import PUB_STATUS_WORDS, ItemKind, PubStatus, WireImage, WireParseError, WireStory
from .xml import inner_html, local, parse_xml

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_STATUS = PUB_STATUS_WORDS
_PICTURE_MEDIA = {"photo", "picture", "image", "graphic"}
_MEDIA_KINDS = {"video": ItemKind.VIDEO, "audio": ItemKind.AUDIO}
# Rendition roles, worst to best, for choosing a picture's rendition when no sizes are given.
_RENDITION_ROLES = ("thumbnail", "quicklook", "preview", "web", "highdef", "hires", "highres", "original", "main")


def parse(data: bytes) -> list[WireStory]:
    warnings = []
    root = parse_xml(data, warnings)
    if local(root.tag) != "NewsML":
        raise WireParseError(f"This is XML, but not NewsML 1.x (root element <{local(root.tag)}>).")
    items = [node for node in root.iter() if local(node.tag) == "NewsItem"]
    if not items:
        raise WireParseError("The NewsML file carries no NewsItem.")
    envelope = _child(root, "NewsEnvelope")
    priority = _formal(_child(envelope, "Priority"))
    stories = []
    for item in items:
        story = from_item(item, envelope_priority=priority)
        story.warnings[:0] = warnings
        stories.append(tidy(story))
    return stories


# --- small readers, all by local name -------------------------------------------------------------


def _children(element, name):
    return [node for node in element if local(node.tag) == name] if element is not None else []


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def _descendant(element, name):
    if element is None:
        return None
    return next((node for node in element.iter() if local(node.tag) == name and node is not element), None)


def _text(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _formal(element):
    return (element.get("FormalName") or "").strip() if element is not None else ""


def _party(element):
    """The FormalName of a Provider's, Creator's or Source's Party."""
    return _formal(_child(element, "Party")) if element is not None else ""


def _property(element, name):
    """The Value of the first Property with this FormalName inside `element`."""
    for node in element.iter() if element is not None else ():
        if local(node.tag) == "Property" and _formal(node).casefold() == name.casefold():
            return (node.get("Value") or "").strip()
    return ""


class _Tree:
    """
    A NewsItem's elements with their parents, and each element's component
    Role and photo component worked out once, top down: per-element walks up
    the tree would cost depth × elements on a deeply nested file.
    """

    def __init__(self, item):
        self.item = item
        self.parent = {}
        self.role = {item: _formal(_child(item, "Role")).casefold()}
        self.photo = {item: item if self.role[item] in _PICTURE_MEDIA else None}
        for node in item.iter():  # document order: a parent before its children
            for child in node:
                self.parent[child] = node
                own = _formal(_child(child, "Role")).casefold() if local(child.tag) == "NewsComponent" else ""
                self.role[child] = own or self.role[node]
                self.photo[child] = child if own in _PICTURE_MEDIA else self.photo[node]

    def ancestors(self, element):
        """`element`, then each NewsComponent above it, up to the NewsItem."""
        chain = []
        while element is not None:
            if local(element.tag) in ("NewsComponent", "NewsItem"):
                chain.append(element)
            element = self.parent.get(element)
        return chain

    def nearest(self, element, name):
        """The block (NewsLines, AdministrativeMetadata…) nearest above `element`, else the first in the item."""
        for ancestor in self.ancestors(element):
            found = _child(ancestor, name)
            if found is not None:
                return found
        return _descendant(self.item, name)

    def component(self, element):
        """The NewsComponent (or NewsItem) holding `element`."""
        element = self.parent.get(element, element)
        while local(element.tag) not in ("NewsComponent", "NewsItem") and element in self.parent:
            element = self.parent[element]
        return element


def _media(content_item):
    return _formal(_child(content_item, "MediaType")).casefold()


# --- one NewsItem ----------------------------------------------------------------------------------


def from_item(item, *, envelope_priority="") -> WireStory:
    """A story from one NewsItem (not yet tidied: `parse` does that)."""
    story = WireStory(format="newsml1")
    tree = _Tree(item)
    _identify(item, story)
    _manage(_child(item, "NewsManagement"), story)
    story.priority = story.priority or envelope_priority
    contents = [node for node in item.iter() if local(node.tag) == "ContentItem"]
    texts = [
        content
        for content in contents
        if _media(content) in ("text", "") and _child(content, "DataContent") is not None
        and "caption" not in tree.role[content]
    ]  # fmt: skip
    main = texts[0] if texts else None
    anchor = main if main is not None else _descendant(item, "NewsComponent")
    anchor = item if anchor is None else anchor
    _news_lines(tree.nearest(anchor, "NewsLines"), story)
    _administrative(tree.nearest(anchor, "AdministrativeMetadata"), story)
    _rights(tree.nearest(anchor, "RightsMetadata"), story)
    _descriptive(tree.nearest(anchor, "DescriptiveMetadata"), story)
    story.language = story.language or _language(tree, anchor)
    if main is not None:
        _body(_child(main, "DataContent"), story)
    story.images = _pictures(tree, [content for content in contents if _media(content) in _PICTURE_MEDIA])
    if main is None:
        media = {_media(content) for content in contents}
        kinds = [kind for name, kind in _MEDIA_KINDS.items() if name in media]
        story.kind = ItemKind.PICTURE if story.images else kinds[0] if kinds else ItemKind.TEXT
    story.agency_codes.append(story.credit)
    story.settle_status()
    return story


def _identify(item, story):
    identification = _child(item, "Identification")
    identifier = _child(identification, "NewsIdentifier")
    provider = _text(_child(identifier, "ProviderId"))
    date = _text(_child(identifier, "DateId"))
    number = _text(_child(identifier, "NewsItemId"))
    revision = _child(identifier, "RevisionId")
    story.version = _text(revision)
    public = _text(_child(identifier, "PublicIdentifier"))
    if provider and date and number:
        # The PublicIdentifier names the revision too; updates must find the story, so it is left out.
        story.guid = f"urn:newsml:{provider}:{date}:{number}"
    elif public:
        story.guid = re.sub(rf":{re.escape(story.version)}[A-Z]?$", "", public) if story.version else public
    else:
        story.guid = number
    story.agency_codes.append(provider)
    story.slugline = _text(_child(identification, "NameLabel"))


def _manage(management, story):
    if management is None:
        return
    story.first_created = parse_wire_datetime(_text(_child(management, "FirstCreated")))
    story.version_time = parse_wire_datetime(_text(_child(management, "ThisRevisionCreated")))
    status = _formal(_child(management, "Status")).casefold()
    story.pubstatus = _STATUS.get(status, PubStatus.USABLE)
    if status and status not in _STATUS:
        story.warnings.append(f"Unknown status “{status}”: read as usable.")
    story.priority = _formal(_child(management, "Urgency"))
    change = _child(management, "StatusWillChange")
    if change is not None and story.pubstatus == PubStatus.EMBARGOED:
        story.embargo_until = parse_wire_datetime(_text(_child(change, "DateAndTime")))
    for instruction in _children(management, "Instruction"):
        if _STATUS.get(_formal(instruction).casefold()) == PubStatus.CANCELED:
            story.pubstatus = PubStatus.CANCELED


def _news_lines(lines, story):
    if lines is None:
        return
    story.headline = _text(_child(lines, "HeadLine"))
    story.dek = _text(_child(lines, "SubHeadLine"))
    story.byline = _text(_child(lines, "ByLine"))
    story.dateline = _text(_child(lines, "DateLine"))
    story.credit = _text(_child(lines, "CreditLine"))
    story.copyright_notice = _text(_child(lines, "CopyrightLine"))
    story.slugline = _text(_child(lines, "SlugLine")) or story.slugline
    for keyword_line in _children(lines, "KeywordLine"):
        story.keywords += [word.strip() for word in re.split(r"[,;]", _text(keyword_line))]
    for line in _children(lines, "NewsLine"):
        kind = _formal(_child(line, "NewsLineType")).casefold().replace(" ", "")
        text = _text(_child(line, "NewsLineText"))
        if "correction" in kind or "rectif" in kind:
            story.correction_note = " ".join(part for part in (story.correction_note, text) if part)
        elif "note" in kind or "editor" in kind:
            story.ed_note = " ".join(part for part in (story.ed_note, text) if part)
    story.notice = story.ed_note or story.correction_note


def _administrative(metadata, story):
    if metadata is None:
        return
    for name in ("Provider", "Source", "Creator"):
        for element in _children(metadata, name):
            if name != "Creator":  # a creator is a person, not an agency
                story.agency_codes.append(_party(element))


def _rights(metadata, story):
    if metadata is None:
        return
    copyright = _child(metadata, "Copyright")
    story.copyright_holder = _text(_child(copyright, "CopyrightHolder"))
    if not story.copyright_notice and story.copyright_holder:
        year = _text(_child(copyright, "CopyrightDate"))
        story.copyright_notice = f"© {year} {story.copyright_holder}" if year else f"© {story.copyright_holder}"
    usage = _child(metadata, "UsageRights")
    story.usage_terms = _text(_child(usage, "Limitations")) or _text(_child(usage, "UsageType"))


def _descriptive(metadata, story):
    if metadata is None:
        return
    story.language = _formal(_child(metadata, "Language"))
    for code in _children(metadata, "SubjectCode"):
        # Subject, SubjectMatter, SubjectDetail: each level is a code, the parents included.
        for level in code:
            if _formal(level):
                story.subjects.append((f"subj:{_formal(level)}", ""))
    location = _child(metadata, "Location")
    if location is not None:
        story.place = next(
            filter(None, (_property(location, name) for name in ("City", "Region", "CountryArea", "Country"))), ""
        )
    for prop in _children(metadata, "Property"):
        if _formal(prop).casefold() == "keyword":
            story.keywords.append((prop.get("Value") or "").strip())


def _language(tree, anchor):
    for element in tree.ancestors(anchor):
        if element.get(XML_LANG):
            return element.get(XML_LANG)
    return ""


def _body(content, story):
    """The text of a DataContent: NITF, an XHTML document, bare block elements, or plain text."""
    for child in content:
        name = local(child.tag)
        if name == "nitf":
            body = nitf.from_element(child)
            story.body_html = body.body_html
            story.images += body.images
            story.warnings += body.warnings
            return
        if name in ("body.content", "body", "html"):
            inner = next((found for found in (_descendant(child, "body.content"), _descendant(child, "body"))
                          if found is not None), child)  # fmt: skip
            story.body_html = inner_html(inner)
            return
    if len(content):
        story.body_html = inner_html(content)
    else:
        story.paragraphs = split_plain_text(content.text or "")


def _pictures(tree, photo_items):
    """One WireImage per photo component: its renditions grouped, the best chosen, caption and credit read."""
    groups = {}
    for content in photo_items:
        if (content.get("Href") or "").strip():
            # The component with a photo Role above the rendition, else the rendition's own component.
            component = tree.photo[content] if tree.photo[content] is not None else tree.component(content)
            groups.setdefault(component, []).append(content)
    captions = {}
    for node in tree.item.iter():
        if local(node.tag) == "ContentItem" and "caption" in tree.role[node] and tree.photo[node] is not None:
            captions.setdefault(tree.photo[node], _text(_child(node, "DataContent")))
    images = []
    for component, renditions in groups.items():
        best = max(renditions, key=lambda content: _rendition_rank(tree, content))
        lines = _child(component, "NewsLines")
        creator = _party(_child(_child(component, "AdministrativeMetadata"), "Creator"))
        credit = _text(_child(lines, "CreditLine"))
        images.append(
            WireImage(
                href=best.get("Href").strip(),
                caption=captions.get(component) or _text(_child(lines, "HeadLine")),
                credit=" / ".join(part for part in (creator, credit) if part),
            )
        )
    return images


def _rendition_rank(tree, content):
    characteristics = _child(content, "Characteristics")
    width = _number(_property(characteristics, "Width"))
    size = _number(_text(_child(characteristics, "SizeInBytes")))
    role = tree.role[content]
    by_role = max((index for index, name in enumerate(_RENDITION_ROLES) if name in role), default=-1)
    return (width, by_role, size)


def _number(value):
    try:
        return float(value or 0)
    except ValueError:
        return 0
