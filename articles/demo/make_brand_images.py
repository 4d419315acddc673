"""
Draw the paper's stock pictures: the publisher logo that structured data names
(600×60, the size Google asks of a news publisher's logo) and the default share
image a story without a picture of its own gets (1200×675, 16:9).

They are committed under articles/static/articles/; run this again only to
redraw them, e.g. for another paper's name:

    .venv/bin/python articles/demo/make_brand_images.py "The Newsroom Daily"

The typeface is DejaVu Serif Bold when the machine has it (Debian's
fonts-dejavu-core), else the scalable font Pillow ships (Pillow ≥ 10.1).
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STATIC = Path(__file__).resolve().parent.parent / "static" / "articles"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
INK = "#111111"
RULE = "#8b0000"


def font(size):
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size=size)


def fitted_font(draw, text, *, width, height, start):
    """The largest size, from `start` down, at which `text` fits in width × height."""
    for size in range(start, 8, -1):
        face = font(size)
        left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
        if right - left <= width and bottom - top <= height:
            return face
    return font(8)


def centred_text(draw, text, face, box):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    x = box[0] + (box[2] - box[0] - (right - left)) / 2 - left
    y = box[1] + (box[3] - box[1] - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=face, fill=INK)


def logo(name, size=(600, 60)):
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    face = fitted_font(draw, name, width=size[0] - 20, height=size[1] - 16, start=44)
    centred_text(draw, name, face, (0, 0, *size))
    return picture


def default_image(name, size=(1200, 675)):
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    width, height = size
    margin = width // 12
    face = fitted_font(draw, name, width=width - 2 * margin, height=height // 5, start=110)
    centred_text(draw, name, face, (0, 0, width, height))
    # A rule above and below the name, as on a masthead.
    for y in (height * 0.32, height * 0.68):
        draw.rectangle((margin, y - 3, width - margin, y + 3), fill=RULE)
    return picture


def main(name):
    STATIC.mkdir(parents=True, exist_ok=True)
    # optimize: the files are served on every share card; they are flat colour, so PNG stays small.
    logo(name).save(STATIC / "logo.png", optimize=True)
    default_image(name).save(STATIC / "default-image.png", optimize=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "The Newsroom Daily")
