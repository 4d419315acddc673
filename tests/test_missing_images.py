"""
A picture whose file has gone from storage: every page still renders, without
the picture, and the loss is logged. And pictures store their size, so pages
never read files to measure them.
"""

import logging
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from articles.demo import load_demo
from articles.models import Image
from tests.conftest import png_bytes

LOGGER = "articles.models.media"


def _picture(name="harbour.png", **fields):
    """A picture saved the way the demo, ingest and older code save one: from a ContentFile."""
    image = Image.objects.create(alt_text="The harbour at dawn", caption="Boats leave at five.", **fields)
    image.file.save(name, ContentFile(png_bytes(64, 48)))
    return image


@pytest.fixture(params=["measured", "unmeasured"])
def lost(request, make_article):
    """
    A published home-page lead whose picture's file has been deleted. "unmeasured" is a row
    saved before pictures stored their size: loading it makes Django try to read the file.
    """
    image = _picture()
    if request.param == "unmeasured":
        Image.objects.filter(pk=image.pk).update(width=None, height=None)
    article = make_article(headline="Harbour reopens", lead_image=image, is_home_lead=True)
    Path(image.file.path).unlink()
    return article


@pytest.mark.parametrize("page", ["home", "section", "article"])
def test_reader_pages_render_without_a_lost_picture_and_log_it(client, lost, caplog, page):
    """Home, section and article pages answer 200 with the story, no <img> for the lost file, and a warning."""
    url = {"home": "/", "section": "/world/", "article": lost.get_absolute_url()}[page]
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour reopens" in html
    assert "harbour" not in html.replace("Harbour reopens", "")  # neither the file's URL nor its alt text
    if page != "section":  # section pages show no pictures, so they look for no file
        assert any("harbour" in record.getMessage() for record in caplog.records if record.levelno == logging.WARNING)


def test_article_page_leaves_out_the_whole_figure(client, lost):
    """Without its picture, the caption and photo credit go too."""
    html = client.get(lost.get_absolute_url()).content.decode()
    assert 'class="lead-image"' not in html and "Boats leave at five." not in html


@pytest.mark.parametrize("lost", ["unmeasured"], indirect=True)
def test_unmeasured_lost_picture_is_logged_when_loaded(lost, caplog):
    """Loading a row whose size is unknown and whose file is gone logs why instead of raising."""
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        image = Image.objects.get(pk=lost.lead_image_id)
    assert (image.width, image.height) == (None, None)
    assert "cannot read its file" in caplog.text and "harbour" in caplog.text
    assert image.is_available is False


@pytest.mark.parametrize("url", ["/admin/articles/article/", "change"])
def test_desk_story_pages_render_with_a_lost_picture(editor_client, lost, url):
    """The desk's story list and the story's form still open."""
    url = f"/admin/articles/article/{lost.pk}/change/" if url == "change" else url
    assert editor_client.get(url).status_code == 200


def test_picture_on_file_is_shown_with_its_size(client, make_article):
    """The usual case: the picture is on the page with its width and height."""
    image = _picture()
    article = make_article(headline="Harbour reopens", lead_image=image, is_home_lead=True)
    for url in ["/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        picture = re.search(r"<img [^>]*>", html.split('class="story-body"')[0].split("<main")[1])[0]
        assert 'alt="The harbour at dawn"' in picture and 'width="64" height="48"' in picture, url


def test_pictures_store_their_size(db):
    """Saved from a nameless ContentFile (which Django does not measure), a picture still stores its size."""
    image = _picture()
    assert Image.objects.filter(pk=image.pk).values_list("width", "height").get() == (64, 48)


def test_saving_an_unmeasured_picture_measures_it(db):
    """A row saved before pictures stored their size gets it the next time it is saved."""
    image = _picture()
    Image.objects.filter(pk=image.pk).update(width=None, height=None)
    image = Image.objects.get(pk=image.pk)
    image.caption = "Edited."
    image.save()
    assert Image.objects.filter(pk=image.pk).values_list("width", "height").get() == (64, 48)


def test_demo_pictures_store_their_size(db):
    """The demo's pictures have their width and height in the database, not only once loaded."""
    load_demo(with_logins=False)
    sizes = list(Image.objects.values_list("width", "height"))
    assert sizes and all(width and height for width, height in sizes)
    assert (1200, 675) in sizes
