"""
IPTC NewsML-G2: a `newsItem`, or a `newsMessage` carrying several. Elements
are matched by the NAR namespace URI, whatever prefix the file gives it.
"""

from . import nitf
from .dates import parse_wire_datetime
from .story import PubStatus, WireImage, WireParseError, WireStory
from .xml import inner_html, local, parse_xml

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"

_STATUS = {"stat:usable": PubStatus.USABLE, "stat:withheld": PubStatus.EMBARGOED,
           "stat:canceled": PubStatus.CANCELED}  # fmt: skip


def parse(data: bytes) -> list[WireStory]:
    root = parse_xml(data)
    if root.tag == f"{NAR}newsItem":
        return [from_item(root)]
    if root.tag == f"{NAR}newsMessage":
        items = root.findall(f"{NAR}itemSet/{NAR}newsItem")
        if not items:
            raise WireParseError("The newsMessage carries no newsItem.")
        return [from_item(item) for item in items]
    raise WireParseError(f"This is XML, but not NewsML-G2 (root element <{local(root.tag)}>).")


def _text(element):
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _find(element, path):
    return element.find("/".join(f"{NAR}{step}" for step in path.split("/")))


def _findall(element, path):
    return element.findall("/".join(f"{NAR}{step}" for step in path.split("/")))


def from_item(item) -> WireStory:
    story = WireStory(format="newsml")
    story.guid = item.get("guid", "").strip()
    story.version = item.get("version", "").strip()
    rights = _find(item, "rightsInfo")
    if rights is not None:
        story.copyright_holder = _text(_find(rights, "copyrightHolder/name")) or (
            _find(rights, "copyrightHolder").get("literal", "") if _find(rights, "copyrightHolder") is not None else ""
        )
        story.copyright_notice = _text(_find(rights, "copyrightNotice"))
        story.usage_terms = _text(_find(rights, "usageTerms"))
    meta = _find(item, "itemMeta")
    if meta is not None:
        provider = _find(meta, "provider")
        if provider is not None:
            story.agency_codes += [code for code in (provider.get("qcode", ""), _text(_find(provider, "name"))) if code]
        story.version_time = parse_wire_datetime(_text(_find(meta, "versionCreated")))
        story.embargo_until = parse_wire_datetime(_text(_find(meta, "embargoed")))
        status = _find(meta, "pubStatus")
        if status is not None:
            story.pubstatus = _STATUS.get(status.get("qcode", ""), PubStatus.USABLE)
        story.notice = _text(_find(meta, "edNote"))
    content = _find(item, "contentMeta")
    if content is not None:
        story.headline = _text(_find(content, "headline"))
        descriptions = _findall(content, "description")
        summary = [d for d in descriptions if d.get("role", "") not in ("drol:caption", "descRole:caption")]
        story.dek = _text(summary[0]) if summary else ""
        story.byline = _text(_find(content, "by"))
        story.credit = _text(_find(content, "creditline"))
        for source in _findall(content, "infoSource"):
            story.agency_codes.append(source.get("literal") or source.get("qcode") or source.get("uri") or "")
        story.agency_codes.append(story.credit)
        located = _find(content, "located")
        if located is not None:
            story.dateline = _text(_find(located, "name")) or located.get("literal", "")
        dateline = _find(content, "dateline")
        if dateline is not None:
            moment = parse_wire_datetime(_text(dateline))
            story.dateline_date = moment
            if moment is None and not story.dateline:
                story.dateline = _text(dateline)
        for subject in _findall(content, "subject"):
            code = subject.get("qcode", "").strip()
            if code:
                story.subjects.append((code, _text(_find(subject, "name"))))
        story.keywords = [_text(keyword) for keyword in _findall(content, "keyword") if _text(keyword)]
        if item.find(f"{NAR}itemMeta/{NAR}itemClass") is not None and "picture" in (
            item.find(f"{NAR}itemMeta/{NAR}itemClass").get("qcode", "")
        ):
            story.images.append(_picture(item, content))
    _body(item, story)
    story.agency_codes = [code.strip() for code in story.agency_codes if code and code.strip()]
    if story.embargo_until and story.pubstatus == PubStatus.USABLE:
        story.pubstatus = PubStatus.EMBARGOED
    return story


def _body(item, story):
    inline = item.find(f"{NAR}contentSet/{NAR}inlineXML")
    if inline is None:
        return
    for child in inline:
        if local(child.tag) == "nitf":
            body = nitf.from_element(child)
            story.body_html = body.body_html
            story.images += body.images
            return
        if local(child.tag) == "html":
            body = child.find(f"{XHTML}body")
            story.body_html = inner_html(body if body is not None else child)
            return
    story.body_html = inner_html(inline)


def _picture(item, content):
    captions = [d for d in _findall(content, "description") if "caption" in d.get("role", "")]
    remote = item.find(f"{NAR}contentSet/{NAR}remoteContent")
    creator = _text(_find(content, "creator/name"))
    credit = _text(_find(content, "creditline"))
    return WireImage(
        href=remote.get("href", "") if remote is not None else "",
        caption=_text(captions[0]) if captions else "",
        credit=" / ".join(part for part in (creator, credit) if part),
    )
