"""
Wire ingest: receive a file, keep it, parse it, and apply each story to the
desk's articles. Every door (the `ingest_wire` command, its drop-folder watch,
the admin upload and the HTTP push) calls `receive`.

Nothing is lost: every file becomes at least one WireItem with its raw bytes
and what happened, and each story is applied atomically or not at all.
"""

import hashlib
import io
import logging
import re
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..html import paragraphs_to_html, sanitize_body
from ..images import inspect_image
from ..ingest import formats, plaintext
from ..ingest.dates import parse_wire_datetime
from ..ingest.mapping import Mapper
from ..ingest.story import WireImage, WireParseError, WireStory
from ..models import Article, Image, Status, WireItem
from .audit import log_action
from .publishing import perform
from .revisions import record_revision

logger = logging.getLogger(__name__)
Outcome = WireItem.Outcome
IMPORT_REASON = "Wire import"


class WireRejected(Exception):
    """A story that parsed but cannot be applied; the message is the reason shown to the desk."""


def receive(data: bytes, *, filename="", source="", base_dir=None, mapper=None):
    """
    Keep `data` and apply the stories in it. Returns the WireItems made, one
    per story (or one for a file that could not be read). Never raises for bad input.
    `base_dir` is where files the story names (its pictures) may be found.
    """
    mapper = mapper or Mapper()
    checksum = hashlib.sha256(data).hexdigest()
    keep = {"raw": data, "checksum": checksum, "filename": filename[:300], "source": source[:300]}
    if len(data) > settings.WIRE_MAX_BYTES:
        reason = _("The file is %(size)d bytes; the limit is %(limit)d.") % {
            "size": len(data),
            "limit": settings.WIRE_MAX_BYTES,
        }
        # Kept, cut to the limit, so the desk can see what arrived.
        keep["raw"] = data[: settings.WIRE_MAX_BYTES]
        return [WireItem.objects.create(**keep, outcome=Outcome.REJECTED, error=reason)]
    if data.startswith(b"PK\x03\x04"):
        return _receive_package(data, keep, mapper)
    try:
        kind, stories = formats.parse(data)
    except WireParseError as error:
        return [
            WireItem.objects.create(**keep, format=formats.detect(data), outcome=Outcome.REJECTED, error=str(error))
        ]

    items = []
    for story in stories:
        item = WireItem(**keep, format=kind, guid=story.guid[:255], version=story.version[:64],
                        headline=story.headline[:300])  # fmt: skip
        fetched = fetch_remote_pictures(story) if settings.WIRE_FETCH_IMAGES_FROM else {}
        try:
            with transaction.atomic():
                if kind == "text":
                    story = _reparse_text(data, story, mapper)
                item.data = story.as_data()
                apply_story(item, story, mapper=mapper, base_dir=base_dir, fetched=fetched)
        except WireRejected as error:
            item.pk, item.article, item.outcome, item.error = None, None, Outcome.REJECTED, str(error)
            item.save()
        except Exception as error:  # keep the file and the reason; the traceback goes to the log
            logger.exception("Unexpected error ingesting %s", filename or checksum)
            item.pk, item.article, item.outcome = None, None, Outcome.REJECTED
            item.error = _("Unexpected error: %(error)s") % {"error": error}
            item.save()
        items.append(item)
    return items


MAX_PACKAGE_FILES = 200


def _receive_package(data, keep, mapper):
    """
    A zip package: stories with the pictures they name. Each story member is
    received on its own (and kept on its own); pictures are found beside it.
    Sizes are checked from the directory and again while reading, so a zip
    bomb is refused without being expanded.
    """
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in package.infolist() if not info.is_dir()]
        if len(members) > MAX_PACKAGE_FILES:
            raise WireParseError(_("The package holds more than %d files.") % MAX_PACKAGE_FILES)
        if any(info.file_size > settings.WIRE_MAX_BYTES for info in members):
            raise WireParseError(_("A file in the package is larger than the limit of %d bytes.")
                                 % settings.WIRE_MAX_BYTES)  # fmt: skip
        with tempfile.TemporaryDirectory(prefix="wire-package-") as folder:
            stories = []
            for info in members:
                name = Path(info.filename).name
                if not name or name.startswith("."):
                    continue
                with package.open(info) as member:
                    content = member.read(settings.WIRE_MAX_BYTES + 1)
                if len(content) > settings.WIRE_MAX_BYTES:
                    raise WireParseError(_("A file in the package expands past the size limit."))
                (Path(folder) / name).write_bytes(content)
                if Path(name).suffix.lower() not in formats.ATTACHMENT_SUFFIXES:
                    stories.append(name)
            if not stories:
                raise WireParseError(_("The package holds no story, only pictures."))
            return [
                item
                for name in stories
                for item in receive(
                    (Path(folder) / name).read_bytes(),
                    filename=f"{keep['filename']}:{name}",
                    source=keep["source"],
                    base_dir=folder,
                    mapper=mapper,
                )  # fmt: skip
            ]
    except (zipfile.BadZipFile, WireParseError) as error:
        reason = str(error) if isinstance(error, WireParseError) else _("The zip package is damaged: %s") % error
        return [WireItem.objects.create(**keep, format="zip", outcome=Outcome.REJECTED, error=reason)]


def retry(item, *, mapper=None):
    """Run a kept file through ingest again (after a mapping was added, say)."""
    return receive(bytes(item.raw), filename=item.filename, source=f"retry of #{item.pk}", mapper=mapper)


def _reparse_text(data, story, mapper):
    """Plain text: strip the agency's configured boilerplate, known only once the agency is."""
    agency = mapper.agency_for(story.agency_codes)
    if agency is None or not agency.boilerplate_lines():
        return story
    return plaintext.parse(data, boilerplate=agency.boilerplate_lines())


def apply_story(item, story, *, mapper, base_dir=None, fetched=None):
    """Create, update, flag or kill the desk's article for this story. Saves `item`."""
    agency = mapper.agency_for(story.agency_codes)
    if agency is None:
        names = ", ".join(f"“{code}”" for code in story.agency_codes) or _("none given")
        raise WireRejected(
            _("Unknown agency (%(names)s). Map the name to an agency under Wire mappings, then retry.")
            % {"names": names}
        )
    if not story.guid:
        raise WireRejected(_("The story has no GUID (identifier), so updates and kills could not find it."))
    item.wire_service = agency
    # Most deliveries are new stories: a cheap id lookup first, the full row only when there is one,
    # locked so two deliveries of one story (push and drop folder at once) apply one after the other.
    existing, slug_free = _lookup(agency, story)
    article = Article.objects.select_for_update(of=("self",)).get(pk=existing) if existing else None
    if article is None and story.is_canceled:
        # Killed before we had it: keep it as a killed story, so that a delivery
        # of an earlier version arriving late can never bring it back.
        item = _create(item, story, agency, mapper, base_dir, fetched, slug_free=False)
        _kill(item, story, item.article)
        item.article.refresh_from_db()
        return item
    if article is None:
        return _create(item, story, agency, mapper, base_dir, fetched, slug_free=slug_free)
    item.article = article
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
        _fill(article, story, mapper, base_dir, fetched)
        article.pending_update = None
        article.save()
        article.tags.set(mapper.tags_for(story))
        record_revision(article, reason=f"{IMPORT_REASON} v{story.version}")
        item.outcome = Outcome.UPDATED
    else:
        item.outcome = Outcome.UPDATE_AVAILABLE
        item.save()
        # The desk's text is kept; the newer version waits to be applied.
        if story.embargo_until:
            article.embargo_until = story.embargo_until
        article.pending_update = item
        article.save(update_fields=["pending_update", "embargo_until"])
        return item
    item.save()
    return item


def _lookup(agency, story):
    """
    One query for the two things a delivery needs to know: the id of the
    story it updates (if any), and whether its headline's slug is still free.
    Ingest runs thousands of times an hour; this is its hot path.
    """
    slug = slugify(story.headline)[:190].strip("-")
    match = Q(wire_service=agency, wire_guid=story.guid) | (Q(slug=slug) if slug else Q(pk__in=[]))
    existing, slug_free = None, True
    for pk, service_id, guid, taken in Article.objects.filter(match).values_list(
        "pk", "wire_service", "wire_guid", "slug"
    ):
        if service_id == agency.pk and guid == story.guid:
            existing = pk
        if slug and taken == slug:
            slug_free = False
    return existing, slug_free


def _create(item, story, agency, mapper, base_dir, fetched, *, slug_free=False):
    article = Article(wire_service=agency, wire_guid=story.guid, status=Status.DRAFT)
    _fill(article, story, mapper, base_dir, fetched)
    article.slug = slugify(article.headline)[:190].strip("-") if slug_free else unique_slug(article.headline)
    article.save()
    tags = mapper.tags_for(story)
    mapper.tag_new_article(article, tags)
    # The wire item and this first revision are the record of the import; no audit entry is needed.
    record_revision(article, reason=f"{IMPORT_REASON} v{story.version}", first=True,
                    known={"tags": tags, "author_ids": []})  # fmt: skip
    item.article = article
    item.outcome = Outcome.CREATED
    item.save()
    return item


def _kill(item, story, article):
    """The agency pulled the story: withdraw it if readers have it, else flag it killed."""
    notice = story.notice or _("This story has been withdrawn by %(agency)s.") % {"agency": article.wire_service}
    if article.status == Status.PUBLISHED:
        perform(article=article, name="withdraw", user=None, note=notice)
    elif article.status not in Status.gone():  # a repeated kill changes nothing
        perform(article=article, name="kill", user=None, note=notice)
    item.outcome = Outcome.KILLED
    item.save()
    return item


def apply_update(*, article, user):
    """Apply a flagged agency update over the desk's edits (the old text stays in the revisions)."""
    item = article.pending_update
    if item is None:
        raise WireRejected(_("There is no agency update waiting for this story."))
    story = story_from_data(item.data)  # the kept parse is replayed; the file is not read again
    mapper = Mapper()
    with transaction.atomic():
        _fill(article, story, mapper, base_dir=None)
        article.pending_update = None
        article.updated_by = user
        article.save()
        article.tags.add(*mapper.tags_for(story))
        record_revision(article, user=user, reason=f"Agency update v{story.version} applied")
        log_action(article, "articles.wire_update_applied", user=user, data={"version": story.version})
        WireItem.objects.filter(pk=item.pk).update(outcome=Outcome.UPDATED)
    return article


def update_changes(article):
    """(label, diff) rows: what applying the waiting agency update would change in the desk's text."""
    from ..diff import compare

    story = story_from_data(article.pending_update.data)
    body = _body_html(story)
    current = {"headline": article.headline, "dek": article.dek, "body": article.body}
    incoming = {"headline": story.headline, "dek": story.dek, "body": strip_lede_dateline(body)[0]}
    labels = {"headline": _("Headline"), "dek": _("Dek"), "body": _("Body")}
    return [(label, diff) for label, _before, _after, diff in compare(current, incoming, labels)]


def story_from_data(data):
    """A WireStory back from the JSON kept on its WireItem."""
    fields = dict(data)
    for key in ("version_time", "dateline_date", "embargo_until"):
        fields[key] = parse_wire_datetime(fields.get(key) or "")
    fields["subjects"] = [tuple(pair) for pair in fields.get("subjects", [])]
    fields["images"] = [WireImage(**image) for image in fields.get("images", [])]
    return WireStory(**fields)


def _fill(article, story, mapper, base_dir, fetched=None):
    """Copy the story's text and metadata onto the article (not its state or the desk's placement)."""
    body, lede_place = strip_lede_dateline(_body_html(story))
    article.headline = story.headline[:300]
    article.dek = story.dek
    article.body = body
    article.dateline = (story.dateline or lede_place)[:100]
    article.dateline_date = story.dateline_date
    article.wire_byline = story.byline[:300]
    article.wire_version = story.version[:64]
    article.copyright_holder = story.copyright_holder[:200]
    article.copyright_notice = story.copyright_notice[:500]
    article.usage_terms = story.usage_terms
    if story.embargo_until:
        article.embargo_until = story.embargo_until
    attached = (_attach(picture, article.wire_service, base_dir, fetched or {}) for picture in story.images)
    images = [image for image in attached if image]
    if images and not article.lead_image_id:
        article.lead_image = images[0]


def _body_html(story):
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


def fetch_remote_pictures(story):
    """
    Download the story's remote pictures from hosts listed in WIRE_FETCH_IMAGES_FROM
    (none by default: remote pictures are then only recorded). Runs before the
    story's transaction, so a slow agency server never holds a database lock.
    """
    allowed = settings.WIRE_FETCH_IMAGES_FROM
    fetched = {}
    for picture in story.images:
        url = urlparse(picture.href)
        if url.scheme in ("http", "https") and url.hostname in allowed:
            try:
                with urlopen(picture.href, timeout=settings.WIRE_FETCH_TIMEOUT) as response:  # noqa: S310
                    data = response.read(settings.IMAGE_MAX_BYTES + 1)
            except (OSError, ValueError) as error:
                logger.warning("Could not fetch %s: %s", picture.href, error)
                continue
            if len(data) <= settings.IMAGE_MAX_BYTES:
                fetched[picture.href] = ContentFile(data, name=Path(url.path).name or "picture")
    return fetched


def _attach(picture, agency, base_dir, fetched):
    """A picture delivered beside the story, or fetched from an allowed host, becomes an Image."""
    content = fetched.get(picture.href) or _delivered_beside(picture.href, base_dir)
    if content is None:
        return None  # recorded on the wire item only
    try:
        inspect_image(content)
    except ValidationError:
        return None
    image = Image(alt_text=picture.alt_text[:300] or picture.caption[:300], caption=picture.caption,
                  credit=picture.credit[:200], wire_service=agency)  # fmt: skip
    image.file.save(content.name, content, save=True)
    return image


def _delivered_beside(href, base_dir):
    if not href or base_dir is None or "://" in href:
        return None
    base = Path(base_dir).resolve()
    path = (base / href).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None  # never read outside the delivery folder
    return ContentFile(path.read_bytes(), name=path.name)


def unique_slug(headline):
    """A slug from the headline that no story has yet ("" for a story still needing a headline)."""
    base = slugify(headline)[:190].strip("-")
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
    """-1, 0 or 1: versions compare as integers, or by version time when they are not numbers."""
    if last is None:
        return 1
    new, old = story.version.strip(), last.version.strip()
    if new.isdigit() and old.isdigit():
        return (int(new) > int(old)) - (int(new) < int(old))
    new_time, old_time = story.version_time, parse_wire_datetime(last.data.get("version_time") or "")
    if new_time and old_time:
        return (new_time > old_time) - (new_time < old_time)
    return 0 if new == old else 1
