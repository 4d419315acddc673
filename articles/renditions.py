"""
Responsive renditions of the library's pictures.

Each picture is resized once, when it is uploaded or replaced, to the widths in
settings.IMAGE_RENDITION_WIDTHS (never wider than the original), in WebP and in
JPEG for browsers without WebP, at the original's aspect and cropped to 16:9
around the focal point for cards. The files go to Django's default storage and
each one is a `Rendition` row, so a page prints `<picture>` markup from rows it
already fetched (`renditions_prefetch`) and never opens a file or runs Pillow.
A rendition that could not be made is logged and the page shows the original.

Everything served is rewritten: the original too (`cleaned_original`) is turned
upright and loses its EXIF (GPS included), XMP and comments before it is stored.
Files are decoded only after `inspect_image` passed them (size, pixel count, so
decompression bombs are never decoded).
"""

import hashlib
import io
import logging
import posixpath
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from PIL import Image as PILImage
from PIL import ImageCms, ImageOps

from .images import inspect_image
from .models import Image, Rendition

logger = logging.getLogger(__name__)

# Aspect ratios renditions are cropped to, beside the original's ("").
CROPS = {"16:9": (16, 9)}
FORMATS = {
    Rendition.Format.WEBP: ("WEBP", "webp", {"quality": 80, "method": 4}),
    Rendition.Format.JPEG: ("JPEG", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
}
# The original is served as well; it is re-encoded in its own format, at a quality no one will see.
ORIGINAL_OPTIONS = {"JPEG": {"quality": 95, "subsampling": 0}, "WEBP": {"quality": 95}, "PNG": {}, "GIF": {}}


# What to make: sizes and the key of what each is made from. Reads only the Image row.


def widths_for(source_width):
    """The rendition widths for a picture this wide: the configured ones below it, and its own if it is smaller."""
    configured = sorted(settings.IMAGE_RENDITION_WIDTHS)
    widths = [width for width in configured if width < source_width]
    if source_width <= configured[-1]:
        widths.append(source_width)
    return widths


def crop_box(width, height, crop, focal_point):
    """The largest box of the crop's aspect inside the picture, as centred on the focal point as the edges allow."""
    if not crop:
        return (0, 0, width, height)
    across, down = CROPS[crop]
    if width * down >= height * across:  # wider than the crop: keep the full height
        box_width, box_height = max(1, round(height * across / down)), height
    else:
        box_width, box_height = width, max(1, round(width * down / across))
    focal_x, focal_y = focal_point
    left = min(max(round(focal_x * width - box_width / 2), 0), width - box_width)
    top = min(max(round(focal_y * height - box_height / 2), 0), height - box_height)
    return (left, top, left + box_width, top + box_height)


def source_key(image, crop):
    """What a rendition is made from: the stored file, the crop and (for crops only) the focal point."""
    if not crop:
        return f"{image.file.name}|original"
    focal_x, focal_y = image.focal_point
    return f"{image.file.name}|{crop}|{focal_x:.4f},{focal_y:.4f}"


@dataclass(frozen=True)
class Planned:
    crop: str
    format: str
    width: int
    height: int
    box: tuple
    source: str


def plan(image):
    """Every rendition `image` should have, from its stored size (nothing is read from storage)."""
    if not image.file or not image.width or not image.height:
        return []
    planned = []
    for crop in ["", *CROPS]:
        box = crop_box(image.width, image.height, crop, image.focal_point)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        for width in widths_for(box_width):
            height = max(1, round(box_height * width / box_width))
            for fmt in FORMATS:
                planned.append(Planned(crop, fmt, width, height, box, source_key(image, crop)))
    return planned


# Making them.


@dataclass
class Outcome:
    made: int = 0
    removed: int = 0
    failed: bool = False


def make_renditions(image):
    """
    Make the renditions `image` lacks and drop the rows of stale ones (made from
    another file, crop or focal point). Never raises for a bad picture: the
    failure is logged and pages keep showing the original.
    """
    outcome = Outcome()
    if image.pk is None:
        return outcome
    getattr(image, "_prefetched_objects_cache", {}).pop("renditions", None)  # about to change
    wanted = {(item.crop, item.format, item.width): item for item in plan(image)}
    current = {}
    for rendition in Rendition.objects.filter(image=image):
        item = wanted.get((rendition.crop, rendition.format, rendition.width))
        if item and item.source == rendition.source and item.height == rendition.height:
            current[(rendition.crop, rendition.format, rendition.width)] = rendition
        else:
            # Superseded: the row goes, the file stays (a cached page may still point at it for a while).
            rendition.delete()
            outcome.removed += 1
    missing = [item for key, item in wanted.items() if key not in current]
    if not missing:
        return outcome
    try:
        picture = _open_upright(image.file)
    except DECODING_ERRORS as error:
        logger.warning("Image %s: cannot make renditions of %r: %s", image.pk, image.file.name, error)
        outcome.failed = True
        return outcome
    if picture.size != (image.width, image.height):
        # Stored before originals were turned upright: its size on the page is the upright one.
        logger.info("Image %s: stored size corrected to %s × %s", image.pk, *picture.size)
        image.width, image.height = picture.size
        Image.objects.filter(pk=image.pk).update(width=image.width, height=image.height)
        return _merge(outcome, make_renditions(image))
    resized = {}
    # Widest first, so each narrower size is resized from the one before rather than the full original.
    for item in sorted(missing, key=lambda item: (item.crop, -item.width)):
        try:
            data = _encode(_resized(picture, item, resized), item)
            name = default_storage.save(_rendition_name(image, item), ContentFile(data))
        except DECODING_ERRORS as error:  # or storage that cannot be written to: the original serves meanwhile
            logger.warning("Image %s: cannot make its %s rendition %s: %s", image.pk, item.format, item, error)
            outcome.failed = True
            continue
        Rendition.objects.create(
            image=image,
            crop=item.crop,
            format=item.format,
            width=item.width,
            height=item.height,
            file=name,
            source=item.source,
        )
        outcome.made += 1
    return outcome


def _merge(first, second):
    return Outcome(first.made + second.made, first.removed + second.removed, first.failed or second.failed)


# Hostile files make Pillow raise many kinds of error (OSError for truncated data, but also
# SyntaxError, ValueError, EOFError, struct.error, IndexError…); none may break an upload or a page.
DECODING_ERRORS = (Exception,)


def _rendition_name(image, item):
    stem = posixpath.splitext(image.file.name)[0].removeprefix("images/")
    digest = hashlib.sha256(item.source.encode()).hexdigest()[:8]
    aspect = item.crop.replace(":", "x") or "full"
    return f"renditions/{stem}-{aspect}-{digest}-{item.width}w.{FORMATS[item.format][1]}"


def _open_upright(file):
    """The picture's first frame, upright, in 8-bit RGB or RGBA and sRGB, with no metadata left on it."""
    file.open("rb")
    try:
        inspect_image(file)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as opened:
                opened.seek(0)  # animated GIF or WebP: the first frame
                opened.load()
                picture = ImageOps.exif_transpose(opened)
                icc_profile = opened.info.get("icc_profile")
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    finally:
        file.close()
    # CMYK is converted through its profile; RGB ones after any palette is expanded.
    picture = _in_srgb(_eight_bit(_in_srgb(picture, icc_profile)), icc_profile)
    picture.info = {}
    return picture


def _eight_bit(picture):
    """RGB, or RGBA when the picture has transparency."""
    if picture.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit (and wider) greyscale: scale down, where a plain conversion would clip it to white.
        picture = picture.convert("I") if picture.mode != "F" else picture
        high = picture.getextrema()[1] or 0
        if high > 255:
            picture = picture.point(lambda value: value * (255 / 65535 if high > 4095 else 255 / high))
        return picture.convert("L").convert("RGB")
    has_alpha = picture.mode in ("RGBA", "LA", "La", "RGBa", "PA") or "transparency" in picture.info
    return picture.convert("RGBA" if has_alpha else "RGB")


def _in_srgb(picture, icc_profile):
    """Colours converted from an embedded profile to sRGB, the one browsers assume, so none is needed after."""
    if not icc_profile or picture.mode not in ("RGB", "RGBA", "CMYK") or _is_srgb(icc_profile):
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        output_mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(picture, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as error:
        logger.info("Ignoring an ICC profile that cannot be applied: %s", error)
        return picture


def _resized(picture, item, done):
    """`picture` at `item`'s crop and size, from the narrowest already made of that crop when there is one."""
    key = (item.crop, item.width)
    if key not in done:
        wider = [size for crop, size in done if crop == item.crop and size > item.width]
        if wider:
            done[key] = done[item.crop, min(wider)].resize((item.width, item.height), PILImage.Resampling.LANCZOS)
        else:
            done[key] = picture.resize(
                (item.width, item.height), PILImage.Resampling.LANCZOS, box=item.box, reducing_gap=3.0
            )
    return done[key]


def _encode(resized, item):
    pillow_format, _extension, options = FORMATS[item.format]
    if pillow_format == "JPEG" and resized.mode == "RGBA":
        flat = PILImage.new("RGB", resized.size, "white")
        flat.paste(resized, mask=resized.getchannel("A"))
        resized = flat
    resized.info = {}
    output = io.BytesIO()
    resized.save(output, pillow_format, **options)
    return output.getvalue()


# The original, cleaned before it is stored.


def cleaned_original(content, name):
    """
    `content` re-encoded in its own format: upright, without EXIF, XMP or
    comments, keeping only a colour profile other than sRGB (which colours need).
    Animations keep their first frame only. A file that cannot be decoded is
    logged and returned as it came; it will get no renditions.
    """
    try:
        inspect_image(content)
        content.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(content) as opened:
                pillow_format = opened.format
                opened.seek(0)
                opened.load()
                kept = _kept_info(opened)
                picture = ImageOps.exif_transpose(opened)
        picture.info = {}
        output = io.BytesIO()
        picture.save(output, pillow_format, **ORIGINAL_OPTIONS[pillow_format], **kept)
    except ValidationError as error:
        logger.warning("Stored %r as it came: it failed the upload checks (%s)", name, " ".join(error.messages))
        content.seek(0)
        return content
    except DECODING_ERRORS as error:
        logger.warning("Stored %r as it came: it cannot be decoded to remove its metadata (%s)", name, error)
        content.seek(0)
        return content
    return ContentFile(output.getvalue(), name=name)


def _kept_info(opened):
    """Of the file's own information, what the picture needs to look the same: transparency and colour profile."""
    kept = {}
    if "transparency" in opened.info and opened.format in ("PNG", "GIF"):
        kept["transparency"] = opened.info["transparency"]
    icc_profile = opened.info.get("icc_profile")
    if icc_profile and not _is_srgb(icc_profile):
        kept["icc_profile"] = icc_profile
    return kept


def _is_srgb(icc_profile):
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return False
    return "srgb" in description.lower().replace(" ", "")


# Reading them on a page: rows already fetched, no storage and no Pillow.


def renditions_prefetch(lookup="lead_image__renditions"):
    """The Prefetch a list of stories adds so every card's picture costs no query: one query for the page."""
    return [Prefetch(lookup, queryset=Rendition.objects.all())]


def current_renditions(image, crop=""):
    """
    `image`'s up-to-date renditions for `crop`, as {format: [renditions, narrowest first]},
    from its prefetched rows when there are any (else one query). Empty when a
    format is missing: the page then shows the original.
    """
    if crop and crop not in CROPS:
        raise ValueError(f"Unknown crop {crop!r}; use one of {', '.join(CROPS)} or ''.")
    key = source_key(image, crop)
    found = {fmt: [] for fmt in FORMATS}
    for rendition in image.renditions.all():
        if rendition.crop == crop and rendition.source == key and rendition.format in found:
            found[rendition.format].append(rendition)
    if not all(found.values()):
        return {}
    return {fmt: sorted(rows, key=lambda rendition: rendition.width) for fmt, rows in found.items()}


def share_image(image):
    """(url, width, height) of the largest JPEG rendition at the original's aspect, for OpenGraph and JSON-LD."""
    if image is None or not image.is_available:
        return None
    jpegs = current_renditions(image).get(Rendition.Format.JPEG)
    if not jpegs:
        return None
    largest = jpegs[-1]
    return (largest.file.url, largest.width, largest.height)


# Metadata a stored original must not carry: EXIF (GPS, camera serials), XMP, comments.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop")


def carries_metadata(image):
    """Whether the stored original still has EXIF, XMP or comments (uploaded before originals were cleaned)."""
    try:
        with image.file.storage.open(image.file.name) as file, PILImage.open(file) as opened:
            return any(opened.info.get(key) for key in METADATA_KEYS) or bool(opened.getexif())
    except DECODING_ERRORS as error:
        logger.warning("Picture %s: its original could not be read to check its metadata (%s)", image.pk, error)
        return False


def clean_stored_original(image):
    """
    Store a clean copy of an original uploaded before originals were cleaned, and
    delete the old file: it is served at MEDIA_URL, GPS and all. Returns whether it did.
    """
    if not image.is_available or not carries_metadata(image):
        return False
    old_name = image.file.name
    with image.file.storage.open(old_name) as file:
        content = ContentFile(file.read(), name=posixpath.basename(old_name))
    image.file.save(content.name, content, save=True)  # cleaned on the way in; renditions follow
    if image.file.name != old_name:
        image.file.storage.delete(old_name)
    return True


def backfill(images=None):
    """
    Make what every picture (or those of `images`) lacks, cleaning originals
    that still carry metadata first; counts of pictures done, up to date and failed.
    """
    counts = {"pictures": 0, "made": 0, "removed": 0, "up_to_date": 0, "failed": 0, "cleaned": 0}
    for image in (images if images is not None else Image.objects.order_by("pk")).iterator(chunk_size=200):
        counts["cleaned"] += clean_stored_original(image)
        outcome = make_renditions(image)
        counts["pictures"] += 1
        counts["made"] += outcome.made
        counts["removed"] += outcome.removed
        if outcome.failed:
            counts["failed"] += 1
        elif not outcome.made and not outcome.removed:
            counts["up_to_date"] += 1
    return counts
