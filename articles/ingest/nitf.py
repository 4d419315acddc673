"""IPTC NITF 3.x: one story per file."""

from .dates import parse_wire_datetime
from .story import PubStatus, WireImage, WireParseError, WireStory
from .xml import Index, first, inner_html, local, parse_xml, text_of

_STATUS = {"usable": PubStatus.USABLE, "embargoed": PubStatus.EMBARGOED, "canceled": PubStatus.CANCELED,
           "withheld": PubStatus.EMBARGOED}  # fmt: skip


def parse(data: bytes) -> WireStory:
    root = parse_xml(data)
    if local(root.tag) != "nitf":
        raise WireParseError("This is XML, but not NITF (the root element is not <nitf>).")
    return from_element(root)


def from_element(root) -> WireStory:
    """A story from an <nitf> element; NewsML-G2 uses this for NITF bodies inside inlineXML."""
    story = WireStory(format="nitf")
    index = Index(root)
    docdata = index.first("docdata")
    doc_id = index.first("doc-id")
    if doc_id is not None:
        story.guid = doc_id.get("id-string", "").strip()
        story.agency_codes.append(doc_id.get("regsrc", "").strip())
    du_key = index.first("du-key")
    if du_key is not None:
        story.version = du_key.get("version", "").strip()
    if docdata is not None:
        story.pubstatus = _STATUS.get(docdata.get("management-status", "usable").lower(), PubStatus.USABLE)
    copyright = index.first("doc.copyright")
    if copyright is not None:
        story.copyright_holder = copyright.get("holder", "").strip()
        year = copyright.get("year", "").strip()
        story.copyright_notice = f"© {year} {story.copyright_holder}".replace("  ", " ").strip() if year else ""
    rights = index.first("doc.rights")
    if rights is not None:
        story.usage_terms = rights.get("limitations", "").strip()
    release = index.first("date.release")
    if release is not None:
        story.embargo_until = parse_wire_datetime(release.get("norm"))
    issue = index.first("date.issue")
    if issue is not None:
        story.version_time = parse_wire_datetime(issue.get("norm"))
    story.notice = " ".join(msg.get("info", "").strip() for msg in index.all("ed-msg")).strip()
    story.keywords = [kw.get("key", "").strip() for kw in index.all("keyword") if kw.get("key")]
    for subject in index.all("tobject.subject"):
        code = subject.get("tobject.subject.refnum", "").strip()
        name = next(
            (subject.get(f"tobject.subject.{kind}") for kind in ("detail", "matter", "type")
             if subject.get(f"tobject.subject.{kind}")),
            "",
        )  # fmt: skip
        if code:
            story.subjects.append((f"subj:{code}", name))

    story.headline = text_of(index.first("hl1"))
    story.dek = text_of(index.first("hl2")) or text_of(index.first("abstract"))
    byline = index.first("byline")
    if byline is not None:
        # The byline's words, without the title in <byttl> ("AP Business Writer").
        title = index.first("byttl")
        words = [byline.text or ""] + [
            f"{text_of(part) if local(part.tag) != 'byttl' else ''} {part.tail or ''}" for part in byline
        ]
        story.byline = " ".join(" ".join(words).split())
        if title is not None and not story.byline:
            story.byline = text_of(title)
    distributor = text_of(index.first("distributor"))
    if distributor:
        story.agency_codes.append(distributor)
        story.credit = distributor
    if story.copyright_holder:
        story.agency_codes.append(story.copyright_holder)
    dateline = index.first("dateline")
    if dateline is not None:
        story.dateline = text_of(index.first("location")) or text_of(dateline)
        story_date = index.first("story.date")
        if story_date is not None:
            story.dateline_date = parse_wire_datetime(story_date.get("norm"))
    content = index.first("body.content")
    if content is not None:
        for media in index.all("media"):
            story.images.append(_image(media))
            _remove(content, media)
        story.body_html = inner_html(content)
    if story.embargo_until and story.pubstatus == PubStatus.USABLE:
        story.pubstatus = PubStatus.EMBARGOED
    story.agency_codes = [code for code in story.agency_codes if code]
    return story


def _image(media):
    reference = first(media, "media-reference")
    return WireImage(
        href=(reference.get("source", "") if reference is not None else "").strip(),
        alt_text=(reference.get("alternate-text", "") if reference is not None else "").strip(),
        caption=text_of(first(media, "media-caption")),
        credit=text_of(first(media, "media-producer")),
    )


def _remove(ancestor, element):
    for parent in ancestor.iter():
        if element in list(parent):
            parent.remove(element)
            return
