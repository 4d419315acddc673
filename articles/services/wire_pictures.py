"""
Agencies' pictures: delivered beside a story (in its folder or zip package)
or, from allowed hosts only, fetched from a URL. Each becomes an Image.
"""

import logging
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import urlopen

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from ..fields import clip
from ..images import inspect_image
from ..models import Image

logger = logging.getLogger(__name__)


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


def attach_pictures(story, agency, base_dir, fetched):
    """The story's pictures that were delivered or fetched, as saved Images (others stay recorded only)."""
    attached = (_attach(picture, agency, base_dir, fetched or {}) for picture in story.images)
    return [image for image in attached if image]


def _attach(picture, agency, base_dir, fetched):
    content = fetched.get(picture.href) or _delivered_beside(picture.href, base_dir)
    if content is None:
        return None
    try:
        inspect_image(content)
    except ValidationError:
        return None
    image = Image(
        alt_text=clip(Image, "alt_text", picture.alt_text or picture.caption),
        caption=picture.caption,
        credit=clip(Image, "credit", picture.credit),
        wire_service=agency,
    )
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
