"""
`{% picture image %}`: a library picture as `<picture>` markup, from renditions
already fetched with the page (see articles.renditions). Rendering reads rows
only: no storage, no Pillow.
"""

from django import template

from ..renditions import current_renditions

register = template.Library()


@register.inclusion_tag("articles/includes/picture.html")
def picture(image, sizes="100vw", crop="", loading="lazy", **attributes):
    """
    {% picture image sizes="(min-width: 60rem) 40rem, 100vw" crop="16:9" loading="lazy" class="lead" %}

    WebP and JPEG sources at every width made; `crop=""` keeps the original's
    aspect. A picture without renditions yet is its original file; one whose
    file is missing from storage is nothing at all.
    """
    if image is None or not image.is_available:
        return {"image": None}
    context = {
        "image": image,
        "loading": loading,
        "css_class": attributes.get("class", ""),
        "sizes": sizes or "100vw",  # srcset with widths needs sizes
    }
    renditions = current_renditions(image, crop)
    if not renditions:
        return {**context, "src": image.file.url, "width": image.width, "height": image.height}
    jpegs = renditions["jpeg"]
    fallback = jpegs[(len(jpegs) - 1) // 2]  # a middle width, for browsers that ignore srcset
    return {
        **context,
        "webp_srcset": srcset(renditions["webp"]),
        "jpeg_srcset": srcset(jpegs),
        "src": fallback.file.url,
        "width": fallback.width,
        "height": fallback.height,
    }


def srcset(renditions):
    return ", ".join(f"{rendition.file.url} {rendition.width}w" for rendition in renditions)
