from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Image, Status
from tests.conftest import png_bytes


def test_home_lists_published_stories_newest_first(client, make_article):
    """The home page shows published stories, newest first, with their parts."""
    older = make_article(headline="Older story", published_at=timezone.now() - timedelta(hours=5), dek="Older dek")
    newer = make_article(headline="Newer story", published_at=timezone.now() - timedelta(hours=1))
    make_article(headline="Draft story", status=Status.DRAFT)
    html = client.get("/").content.decode()
    assert html.index(newer.headline) < html.index(older.headline)
    assert "Older dek" in html and "Draft story" not in html
    assert newer.get_absolute_url() in html


def test_home_lead_is_the_flagged_story_whatever_its_date(client, make_article):
    """A story marked as home lead leads the page even if it is years old."""
    make_article(headline="Fresh story")
    make_article(headline="Old lead", published_at=timezone.now() - timedelta(days=2000), is_home_lead=True)
    html = client.get("/").content.decode()
    lead_section = html.split('class="lead-story"')[1].split("</section>")[0]
    assert "Old lead" in lead_section and "Fresh story" not in lead_section


def test_article_page_shows_every_part(client, make_article, make_author, kyodo):
    """Headline, dek, credit, dateline, local time, image with caption and credit, body and tags."""
    image = Image.objects.create(
        alt_text="Ministers shake hands",
        caption="The two ministers met in New York.",
        credit="Jane Doe",
        wire_service=kyodo,
    )
    image.file.save("handshake.png", ContentFile(png_bytes()))
    article = make_article(
        headline="Ministers meet",
        dek="No progress on trade.",
        dateline="NEW YORK",
        authors=[make_author("Jane Doe")],
        wire_service=kyodo,
        paragraphs=["The lede.", "Second paragraph."],
        tags=["Japan", "GSOMIA"],
        lead_image=image,
        published_at=timezone.make_aware(timezone.datetime(2019, 9, 26, 10, 30), timezone.get_fixed_timezone(0)),
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert article.get_absolute_url() == "/world/2019/09/26/" + article.slug + "/"
    assert '<h1 class="headline">Ministers meet</h1>' in html
    assert "No progress on trade." in html
    assert "By Jane Doe and Kyodo" in html
    assert '<span class="dateline">NEW YORK –</span> The lede.' in html
    assert '<time datetime="2019-09-26T19:30:00+09:00">' in html  # the newsroom's zone, Asia/Tokyo
    assert 'alt="Ministers shake hands"' in html and "The two ministers met in New York." in html
    assert "Photo: Jane Doe / Kyodo" in html
    assert "<p>Second paragraph.</p>" in html
    assert reverse("articles:tag", args=["gsomia"]) in html


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.READY},
        {"status": Status.PUBLISHED, "published_at": timezone.now() + timedelta(hours=1)},
        {"status": Status.SCHEDULED, "published_at": timezone.now() + timedelta(minutes=5)},
    ],
)
def test_unpublished_stories_are_not_found(client, make_article, fields):
    """Anything not published with a past publish time answers 404 and stays off the lists."""
    fields.setdefault("published_at", timezone.now() - timedelta(days=1))
    article = make_article(headline="Hidden story", **fields)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Hidden story" not in client.get("/").content.decode()
    assert "Hidden story" not in client.get("/world/").content.decode()


def test_scheduled_story_goes_live_at_its_time(client, make_article):
    """A scheduled story is visible once its time passes, with no job run."""
    article = make_article(status=Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_wrong_date_in_url_redirects_to_the_real_one(client, make_article):
    """A mistyped date in the URL sends the reader to the story's address."""
    article = make_article()
    wrong = article.get_absolute_url().replace(f"/{article.published_at.year}/", "/2001/")
    response = client.get(wrong)
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()


def test_section_and_tag_pages(client, make_article, business):
    """Section and tag pages list only their own published stories."""
    make_article(headline="World story", tags=["Japan"])
    make_article(headline="Business story", section=business, tags=["Trade"])
    world = client.get("/world/").content.decode()
    assert "World story" in world and "Business story" not in world
    tag = client.get("/tags/trade/").content.decode()
    assert "Business story" in tag and "World story" not in tag
    assert client.get("/no-such-section/").status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_query_count_is_constant(client, make_article, make_author, kyodo):
    """The home page costs the same queries for 2 stories as for 30 with many authors."""
    make_article(authors=[make_author("A One")], wire_service=kyodo)
    make_article()
    few = _count_queries(client, "/")
    for number in range(28):
        make_article(authors=[make_author(f"Writer {number}"), make_author(f"Other {number}")], tags=["x", "y"])
    assert _count_queries(client, "/") == few <= 6


def test_article_query_count_is_constant(client, make_article, make_author, kyodo):
    """An article page costs the same handful of queries however many authors and tags it has (the budget is 8)."""
    simple = make_article(tags=["one tag"])  # a tagged story's related stories have their shared tags counted
    rich = make_article(
        authors=[make_author(f"Writer {n}") for n in range(5)],
        wire_service=kyodo,
        tags=[f"tag {n}" for n in range(12)],
    )
    client.get(simple.get_absolute_url())  # the first page of all reads the paywall's prompts into the cache
    assert _count_queries(client, simple.get_absolute_url()) == _count_queries(client, rich.get_absolute_url()) <= 8


def test_pages_need_no_javascript(client, make_article):
    """Reader pages ship no scripts: reading needs no JavaScript (JSON-LD blocks are data, never run)."""
    article = make_article()
    for url in ["/", "/world/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert html.count("<script") == html.count('<script type="application/ld+json">')


def test_hostile_text_in_every_field_is_escaped(client, make_article, make_author, kyodo):
    """Script in headline, dek, dateline, credit, author name, caption or tag never reaches readers as markup."""
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    image = Image.objects.create(alt_text=payload, caption=payload, credit=payload)
    image.file.save("x.png", ContentFile(png_bytes()))
    article = make_article(
        headline=f"Headline {payload}",
        dek=payload,
        dateline=payload,
        credit_override="",
        authors=[make_author(f"Writer {payload}", slug="writer")],
        wire_service=kyodo,
        lead_image=image,
        tags=[f"tag {payload}"],
        paragraphs=[payload],
    )
    for url in ["/", "/world/", article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<img src=x" not in html  # present only as escaped text
    assert "&lt;script&gt;" in html
