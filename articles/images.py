"""
Checks for uploaded images.

An upload is only read as far as its header before the size checks, so a
decompression bomb (a small file that decodes to billions of pixels) is
refused without ever being decoded.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}


def inspect_image(file):
    """
    Validate an uploaded image file and return its (width, height).

    Raises ValidationError with a message written for the person uploading.
    """
    size = getattr(file, "size", None)
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.IMAGE_MAX_BYTES)},
            code="file_too_large",
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, on huge images; we apply our own limit below.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as image:
                width, height = image.size
                image_format = image.format
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("%(format)s images are not accepted. Upload a JPEG, PNG, GIF or WebP file.")
                        % {"format": image_format or _("This kind of")},
                        code="unsupported_format",
                    )
                check_pixel_count(width, height)
                image.verify()
            # verify() passes a truncated file; decoding it (within the pixel limit just
            # checked) refuses it here, before a damaged file, whose metadata could not
            # be removed, is ever stored and served.
            file.seek(0)
            with PILImage.open(file) as image:
                image.load()
    except PILImage.DecompressionBombError:
        # Pillow refuses before reporting the size; we only know it is far over.
        raise ValidationError(
            _("This image is far larger than the limit of %(limit).0f megapixels. Resize it and upload it again.")
            % {"limit": settings.IMAGE_MAX_PIXELS / 1e6},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image, or it is damaged. Upload a JPEG, PNG, GIF or WebP file."),
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    return width, height


def check_pixel_count(width, height):
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels (%(megapixels).0f megapixels); "
                "the limit is %(limit).0f megapixels. Resize it and upload it again."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": width * height / 1e6,
                "limit": limit / 1e6,
            },
            code="too_many_pixels",
        )
