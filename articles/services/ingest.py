"""
Wire ingest: receive a file, keep it, parse it, and apply each story to the
desk's articles. Every door (the `ingest_wire` command, its drop-folder watch,
the admin upload and the HTTP push) calls `receive`.

Nothing is lost: every file becomes at least one WireItem with its raw bytes
and what happened, and each story is applied atomically or not at all. The
stories themselves are written through `stories.save_story`, as the system
(`user=None`); zip packages, pictures and waiting updates have modules of
their own (wire_packages, wire_pictures, wire_updates).
"""

import copy
import hashlib
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..fields import clip
from ..html import paragraphs_to_html, sanitize_body
from ..ingest import formats, plaintext
from ..ingest.dates import parse_wire_datetime
from ..ingest.mapping import Mapper
from ..ingest.story import ItemKind, WireParseError
from ..models import Article, Status, WireItem
from . import stories
from .audit import log_action
from .publishing import perform
from .wire_packages import is_package, receive_package
from .wire_pictures import attach_pictures, fetch_remote_pictures

logger = logging.getLogger(__name__)
Outcome = WireItem.Outcome
IMPORT_REASON = "Wire import"


class WireRejected(Exception):
    """A story that parsed but cannot be applied; the message is the reason shown to the desk."""


def receive(data: bytes, *, filename="", source="", base_dir=None, mapper=None, channel=None, already_made=()):
    """
    Keep `data` and apply the stories in it. Returns the WireItems made, one
    per story (or one for a file that could not be read). Never raises for bad input.
    `base_dir` is where files the story names (its pictures) may be found.
    `channel` is the WireService whose channel delivered the file (its push
    address, its drop folder, the agency chosen on upload): see `resolve_agency`.
    `already_made` are the items an interrupted run of this same delivery made
    (the drop folder's, after a crash), in order: their stories are not applied
    again, and the run goes on from the first story without one.
    """
    keep = _keep(data, filename=filename, source=source, channel=channel)
    try:
        return _receive(data, keep, base_dir=base_dir, mapper=mapper or Mapper(), already_made=list(already_made))
    except Exception as error:  # a bug outside any one story's handling: the file and the reason are still kept
        logger.exception("Unexpected error ingesting %s", filename or keep["checksum"])
        return [_refuse(keep, "", _("Unexpected error: %(error)s") % {"error": error})]


def _receive(data, keep, *, base_dir, mapper, already_made):
    if len(data) > settings.WIRE_MAX_BYTES:
        reason = _("The file is %(size)d bytes; the limit is %(limit)d.") % {
            "size": len(data),
            "limit": settings.WIRE_MAX_BYTES,
        }
        # Kept, cut to the limit, so the desk can see what arrived.
        return [_refuse({**keep, "raw": data[: settings.WIRE_MAX_BYTES]}, "", reason)]
    if is_package(data):
        return receive_package(
            data, keep, receive=receive, mapper=mapper, channel=keep["channel"], already_made=already_made
        )
    try:
        kind, parsed = formats.parse(data)
    except WireParseError as error:
        return [_refuse(keep, formats.detect(data), str(error))]
    # receive makes one item per story, in the file's order: the first len(already_made) are done.
    items = already_made[: len(parsed)]
    for story in parsed[len(items) :]:
        # The file is kept once, on its first story's item: a newsMessage of 1,500 stories would
        # otherwise be stored 1,500 times. raw_file() finds it for the others, by its checksum.
        story_keep = {**keep, "raw": b""} if items else keep
        items.append(_receive_story(data, story, story_keep, kind, mapper=mapper, base_dir=base_dir))
    return items


def _receive_story(data, story, keep, kind, *, mapper, base_dir):
    """Apply one story atomically; its saved item, whatever happened. Never raises for bad input."""
    item = WireItem(**keep, format=kind)
    try:
        item = WireItem(**keep, format=kind, **item_fields(story))
        _check_identifiers(story)
        fetched = fetch_remote_pictures(story) if settings.WIRE_FETCH_IMAGES_FROM else {}
        try:
            return _apply(item, data, story, kind, mapper=mapper, base_dir=base_dir, fetched=fetched)
        except IntegrityError:
            # Two deliveries of one new story at once (push and drop folder, or an agency sending
            # twice): both looked it up, found nothing, and the other's insert took the unique
            # GUID (or slug) first. A second try finds that story and records a duplicate.
            logger.info("Retrying %s: a concurrent delivery created its story first", keep["filename"])
            item = WireItem(**keep, format=kind, **item_fields(story))
            return _apply(item, data, story, kind, mapper=mapper, base_dir=base_dir, fetched=fetched)
    except WireRejected as error:
        return _refuse(keep, kind, str(error), item=item)
    except Exception as error:  # keep the file and the reason; the traceback goes to the log
        logger.exception("Unexpected error ingesting %s", keep["filename"] or keep["checksum"])
        return _refuse(keep, kind, _("Unexpected error: %(error)s") % {"error": error}, item=item)


def _apply(item, data, story, kind, *, mapper, base_dir, fetched):
    """apply_story in a transaction of its own, on a copy: a second try starts from the story as parsed."""
    story = copy.copy(story)
    with transaction.atomic():
        if kind == "text":
            story = _reparse_text(data, story, mapper, item.channel)
        item.data = story.as_data()
        apply_story(item, story, mapper=mapper, base_dir=base_dir, fetched=fetched, channel=item.channel)
    return item


def _check_identifiers(story):
    """A GUID or version too long to keep could not be matched with the agency's later deliveries: refuse it."""
    for name, value in (("guid", story.guid), ("version", story.version)):
        limit = WireItem._meta.get_field(name).max_length
        if len(value) > limit:
            raise WireRejected(
                _("The story's %(name)s is %(length)d characters long; at most %(limit)d can be kept.")
                % {"name": WireItem._meta.get_field(name).verbose_name, "length": len(value), "limit": limit}
            )


def keep_refused(data: bytes, *, filename="", source="", reason, channel=None):
    """Keep a file that is not to be read (the drop folder gave up on it) as a rejected item with `reason`."""
    keep = _keep(data[: settings.WIRE_MAX_BYTES], filename=filename, source=source, channel=channel)
    return _refuse(keep, "", reason)


def _keep(data, *, filename, source, channel):
    """What every item made from one file records of it."""
    return {
        "raw": data,
        "checksum": hashlib.sha256(data).hexdigest(),
        # PostgreSQL stores no NUL character in text; names come from agencies and zip directories.
        "filename": clip(WireItem, "filename", filename.replace("\x00", "")),
        "source": clip(WireItem, "source", source.replace("\x00", "")),
        "channel": channel,
    }


def _refuse(keep, kind, reason, *, item=None):
    """Save the refusal with its reason: on `item` (what an attempt left on it is cleared), else a bare item."""
    reason = reason.replace("\x00", "")
    if item is not None:
        item.pk, item.article, item.outcome, item.error = None, None, Outcome.REJECTED, reason
        try:
            with transaction.atomic():
                item.save()
            return item
        except Exception:  # what the story put on its item cannot be stored (a NUL in a headline, say)
            logger.exception("Could not keep the details of %s; keeping the file alone", keep["filename"])
    return WireItem.objects.create(**keep, format=kind, outcome=Outcome.REJECTED, error=reason)


def retry(item, *, mapper=None):
    """Run a kept file through ingest again (after a mapping was added, say), on the channel it came by."""
    return receive(
        raw_file(item), filename=item.filename, source=f"retry of #{item.pk}", mapper=mapper, channel=item.channel
    )


def raw_file(item) -> bytes:
    """The file an item came in: its own raw bytes, or, for the second and later stories of a file, the first's."""
    if item.raw or not item.checksum:
        return bytes(item.raw)
    kept = WireItem.objects.filter(checksum=item.checksum).exclude(raw=b"").values_list("raw", flat=True).first()
    return bytes(kept) if kept is not None else b""


def item_fields(story):
    """What a wire item records of its story for the wire desk's list, filters and search."""
    return {
        "kind": story.kind,
        "guid": clip(WireItem, "guid", story.guid),
        "version": clip(WireItem, "version", story.version),
        "headline": clip(WireItem, "headline", story.headline),
        "slugline": clip(WireItem, "slugline", story.slugline),
        "priority": clip(WireItem, "priority", story.priority),
        "language": clip(WireItem, "language", story.language),
        "first_created": story.first_created,
        "place": clip(WireItem, "place", story.place),
        "ed_note": story.ed_note,
    }


def _reparse_text(data, story, mapper, channel=None):
    """Plain text: strip the agency's configured boilerplate, known only once the agency is."""
    try:
        agency = resolve_agency(story, mapper, channel)
    except WireRejected:
        return story  # refused in apply_story, with the reason
    if agency is None or not agency.boilerplate_lines():
        return story
    return plaintext.parse(data, boilerplate=agency.boilerplate_lines())


def resolve_agency(story, mapper, channel):
    """
    Whose story this is, from the channel that delivered it and the names the file gives.
    - No channel (a file handed in without saying whose): the file's own provider,
      source or credit decides, through Wire mappings; None when none is known.
    - A channel: the story is the channel's agency's, unless the file names an agency
      the channel may distribute (WireService.distributes), which then gets the credit.
      A file naming any other agency is refused: a channel acts only for its own.
    """
    named = mapper.agency_for(story.agency_codes)
    if channel is None:
        return named
    if named is None or named.pk == channel.pk or mapper.may_distribute(channel, named):
        return named or channel
    raise WireRejected(
        _(
            "The file names %(named)s, but it came by %(channel)s's channel, which may not deliver %(named)s's "
            "stories. If it should, add %(named)s under %(channel)s's “may deliver stories of”, then retry."
        )
        % {"named": named, "channel": channel}
    )


def derived_guid(agency, story):
    """A stable identifier for a file that has none: the same story delivered again gets the same one."""
    who = agency.slug if agency is not None else "|".join(story.agency_codes)
    when = story.first_created or story.version_time or story.dateline_date
    key = f"{who}\n{story.headline.strip().casefold()}\n{when.isoformat() if when else ''}"
    return "derived:" + hashlib.sha256(key.encode()).hexdigest()[:40]


def apply_story(item, story, *, mapper, base_dir=None, fetched=None, channel=None):
    """Create, update, flag or kill the desk's article for this story. Saves `item`."""
    agency = resolve_agency(story, mapper, channel)
    # No story is refused only because its agency is unknown: it waits as a draft
    # flagged "agency unknown" (it cannot publish without a credit) under the name
    # the file gives, and mapping that name later gives every waiting draft the agency.
    source = "" if agency else clip(Article, "wire_source", story.agency_codes[0] if story.agency_codes else "")
    if not story.guid:
        story.guid = derived_guid(agency, story)
        item.guid, item.guid_derived = story.guid, True
        item.data["guid"] = story.guid
    item.wire_service = agency
    if story.kind != ItemKind.TEXT:
        return _keep_media(item, story, agency, base_dir, fetched)
    # Most deliveries are new stories: a cheap id lookup first, the full row only when there is one,
    # locked so two deliveries of one story (push and drop folder at once) apply one after the other.
    existing, slug_free, foreign = _lookup(agency, source, story)
    if existing is None and foreign and channel is not None:
        raise WireRejected(
            _("Another agency's story already has this GUID; %(channel)s's channel may not act on it.")
            % {"channel": channel}
        )
    article = Article.objects.select_for_update(of=("self",)).get(pk=existing) if existing else None
    if article is None and _killed_before(agency, story, mapper):
        item.outcome = Outcome.STALE
        item.error = _("The agency killed this story earlier; a later delivery does not bring it back.")
        item.save()
        return item
    if article is None and story.is_canceled:
        # Killed before we had it: keep it as a killed story, so that a delivery
        # of an earlier version arriving late can never bring it back.
        item = _create(item, story, agency, mapper, base_dir, fetched, source=source, slug_free=False)
        return _kill(item, story, item.article)
    if article is None:
        return _create(item, story, agency, mapper, base_dir, fetched, source=source, slug_free=slug_free)
    item.article = article
    if article.trashed_at is not None:
        raise WireRejected(_("The desk moved this story to the Trash; restore it to take the agency's versions."))
    if story.is_canceled:
        return _kill(item, story, article)
    order = compare_versions(story, _last_applied(article))
    if order == 0:
        item.outcome = Outcome.DUPLICATE
    elif order < 0:
        item.outcome = Outcome.STALE
        item.error = _("Version %(new)s arrived after version %(old)s; nothing changed.") % {
            "new": story.version or "?",
            "old": article.wire_version or "?",
        }
    elif is_untouched(article):
        fill_article(article, story, base_dir, fetched)
        saved = stories.save_story(
            story=article,
            user=None,
            tags=mapper.tags_for(story),
            expected_version=article.lock_version,
            reason=f"{IMPORT_REASON} v{story.version}",
            action="articles.wire_updated",
            data={"version": story.version},
        )
        Article.objects.filter(pk=article.pk).update(pending_update=None)
        item.outcome = Outcome.UPDATED
        item.removed_text = "\n".join(saved.removed_text)
    else:
        # The desk's text (and its embargo) stay as they are; the newer version
        # waits for an editor to apply it. A flag, not an edit: no lock version.
        item.outcome = Outcome.UPDATE_AVAILABLE
        item.save()
        Article.objects.filter(pk=article.pk).update(pending_update=item)
        log_action(article, "articles.wire_update_available", data={"version": story.version, "item": item.pk})
        return item
    item.save()
    return item


def _lookup(agency, source, story):
    """
    One query for what a delivery needs to know: the id of the story it
    updates (if any), whether its headline's slug is still free, and whether
    another agency's story has its GUID. Ingest runs thousands of times an
    hour; this is its hot path.
    """
    slug = _slug(story.headline)
    match = Q(wire_guid=story.guid) | (Q(slug=slug) if slug else Q(pk__in=[]))
    existing, slug_free, foreign = None, True, False
    for pk, service_id, wire_source, guid, taken in (
        Article.objects.filter(match)
        .order_by()
        .values_list("pk", "wire_service_id", "wire_source", "wire_guid", "slug")
    ):
        if guid == story.guid:
            ours = service_id == agency.pk if agency is not None else (service_id is None and wire_source == source)
            if ours:
                existing = pk
            else:
                foreign = True
        if slug and taken == slug:
            slug_free = False
    return existing, slug_free, foreign


def _killed_before(agency, story, mapper):
    """
    Did the agency kill this story before? The wire item recording the kill
    outlives the story (deleting a story never deletes its wire items), so a late
    delivery of an older version cannot bring back a story the desk purged.
    """
    return agency is not None and mapper.was_killed(agency, story.guid)


def _keep_media(item, story, agency, base_dir, fetched):
    """
    Pictures, video and audio are not stories. A picture goes to the library
    with its caption and credit, and leads the draft it belongs to (named by a
    package or newsMessage) if that has no picture yet; video and audio are kept
    and listed on the wire desk.
    """
    if story.kind != ItemKind.PICTURE:
        item.outcome = Outcome.KEPT
        item.error = _("A %(kind)s item: kept on the wire desk, not a story.") % {"kind": item.get_kind_display()}
        item.save()
        return item
    images = attach_pictures(story, agency, base_dir, fetched)
    if not images:
        item.outcome = Outcome.KEPT
        item.error = _("A picture item whose file was not delivered; its address is recorded.")
        item.save()
        return item
    item.outcome = Outcome.PICTURE
    for draft in Article.objects.filter(
        wire_service=agency, wire_guid__in=story.links, status=Status.DRAFT, lead_image=None
    )[:1]:
        draft.lead_image = images[0]
        stories.save_story(
            story=draft,
            user=None,
            changed_fields=["lead_image"],
            expected_version=draft.lock_version,
            reason=_("Agency picture attached"),
            action="articles.wire_picture_attached",
            data={"image": images[0].pk},
        )
        item.article = draft
    item.save()
    return item


def _create(item, story, agency, mapper, base_dir, fetched, *, source="", slug_free=False):
    article = Article(wire_service=agency, wire_source=source, wire_guid=story.guid, status=Status.DRAFT)
    fill_article(article, story, base_dir, fetched)
    article.slug = _slug(article.headline) if slug_free else unique_slug(article.headline)
    saved = stories.save_story(
        story=article,
        user=None,
        bylines=[],
        tags=mapper.tag_objects(mapper.tags_for(story)),
        reason=f"{IMPORT_REASON} v{story.version}",
        action="articles.wire_created",
        data={"version": story.version},
    )
    item.article = saved.story
    item.outcome = Outcome.CREATED
    item.removed_text = "\n".join(saved.removed_text)
    item.save()
    return item


def _kill(item, story, article):
    """The agency pulled the story: withdraw it if readers have it, else flag it killed."""
    notice = story.notice or _("This story has been withdrawn by %(agency)s.") % {"agency": article.wire_service}
    if article.status == Status.PUBLISHED:
        item.article = perform(article=article, name="withdraw", user=None, note=notice)
    elif article.status not in Status.gone():  # a repeated kill changes nothing
        item.article = perform(article=article, name="kill", user=None, note=notice)
    item.outcome = Outcome.KILLED
    item.save()
    return item


def fill_article(article, story, base_dir=None, fetched=None):
    """Copy the story's text and metadata onto the article in memory (not its state or the desk's placement)."""
    body, lede_place = strip_lede_dateline(body_html(story))
    article.headline = clip(Article, "headline", story.headline)
    article.dek = story.dek
    article.body = body
    article.dateline = clip(Article, "dateline", story.dateline or lede_place)
    article.dateline_date = story.dateline_date
    article.wire_byline = clip(Article, "wire_byline", story.byline)
    article.wire_version = clip(Article, "wire_version", story.version)
    article.copyright_holder = clip(Article, "copyright_holder", story.copyright_holder)
    article.copyright_notice = clip(Article, "copyright_notice", story.copyright_notice)
    article.usage_terms = story.usage_terms
    article.language = clip(Article, "language", story.language)
    if story.embargo_until:
        article.embargo_until = story.embargo_until
    images = attach_pictures(story, article.wire_service, base_dir, fetched)
    if images and not article.lead_image_id:
        article.lead_image = images[0]


def body_html(story):
    return sanitize_body(story.body_html) if story.body_html else paragraphs_to_html(story.paragraphs)


_LEDE_DATELINE = re.compile(
    r"^<p>\s*(?P<place>[A-Z][A-Z .'’-]*[A-Z])(?:,\s*[^()<]{1,30}?)?\s*\([^)<]{1,40}\)\s*[—–_-]{1,2}\s+"
)


def strip_lede_dateline(body_html):
    """'<p>NEW YORK (AP) — The…' → ('<p>The…', 'NEW YORK'): the page prints the dateline itself."""
    match = _LEDE_DATELINE.match(body_html)
    if not match:
        return body_html, ""
    return "<p>" + body_html[match.end() :], match["place"]


def _slug(headline):
    return slugify(headline)[: Article._meta.get_field("slug").max_length - 10].strip("-")


def unique_slug(headline):
    """A slug from the headline that no story has yet ("" for a story still needing a headline)."""
    base = _slug(headline)
    if not base:
        return ""
    if not Article.objects.filter(slug=base).exists():  # the usual case, on the unique index
        return base
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def is_untouched(article):
    """A draft nobody has edited since the last import: the agency's newer text may replace it."""
    if article.status != Status.DRAFT:
        return False
    latest = article.revisions.order_by("-number").only("user", "reason").first()
    return latest is None or (latest.user_id is None and latest.reason.startswith(IMPORT_REASON))


def _last_applied(article):
    applied = [Outcome.CREATED, Outcome.UPDATED, Outcome.KILLED]
    return article.wire_items.filter(outcome__in=applied).order_by("-pk").first()


def compare_versions(story, last):
    """-1, 0 or 1: versions compare as whole numbers, or by version time when they are not numbers."""
    if last is None:
        return 1
    new, old = story.version.strip(), last.version.strip()
    if _WHOLE_NUMBER.fullmatch(new) and _WHOLE_NUMBER.fullmatch(old):
        # As digit strings, by length then digits: int() refuses numbers over 4,300 digits,
        # and str.isdigit() accepts digits int() does not read ("²").
        new_key, old_key = _number_key(new), _number_key(old)
        return (new_key > old_key) - (new_key < old_key)
    new_time, old_time = story.version_time, parse_wire_datetime(last.data.get("version_time") or "")
    if new_time and old_time:
        return (new_time > old_time) - (new_time < old_time)
    return 0 if new == old else 1


_WHOLE_NUMBER = re.compile(r"[0-9]+")


def _number_key(digits):
    digits = digits.lstrip("0") or "0"
    return len(digits), digits
