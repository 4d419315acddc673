"""sitemap.xml (an index), its sections, the Google News sitemap and robots.txt."""

from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
import time_machine
import xmlschema
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import sitemaps
from articles.models import Article, Status
from articles.sitemaps import news_language
from tests.conftest import PULL_NAMES, PULLS

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}
NEWS_NS = NS["news"]


@pytest.fixture(scope="module")
def schemas():
    """The sitemaps.org and Google News schemas, read from disk: nothing is fetched."""
    urlset = xmlschema.XMLSchema(
        str(SCHEMAS / "sitemap.xsd"),
        # The urlset's <xsd:any processContents="strict"> validates <news:news> against this.
        locations=[(NEWS_NS, str(SCHEMAS / "sitemap-news.xsd"))],
        allow="local",
    )
    urlset.import_schema(NEWS_NS, str(SCHEMAS / "sitemap-news.xsd"))
    return {"urlset": urlset, "index": xmlschema.XMLSchema(str(SCHEMAS / "siteindex.xsd"), allow="local")}


def fetch(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    schema.validate(response.content.decode())
    return ElementTree.fromstring(response.content)


def locations(tree):
    return [loc.text for loc in tree.iterfind(".//sm:loc", NS)]


def index_locations(client, schemas):
    return locations(fetch(client, "/sitemap.xml", schemas["index"]))


def every_sitemap_location(client, schemas):
    """Every address in every sitemap the index names."""
    found = []
    for sitemap in index_locations(client, schemas):
        found += locations(fetch(client, sitemap.removeprefix("http://testserver"), schemas["urlset"]))
    return found


def news_locations(client, schemas):
    return locations(fetch(client, "/news-sitemap.xml", schemas["urlset"]))


@pytest.fixture
def story(make_article, make_author, kyodo):
    return make_article(
        headline="Night trains return",
        slug="night-trains-return",
        authors=[make_author()],
        wire_service=kyodo,
        tags=["Railways"],
    )


def test_the_index_names_each_sitemap(client, story, schemas):
    """sitemap.xml is a valid index of the articles, sections, tags and agencies sitemaps, with absolute URLs."""
    assert index_locations(client, schemas) == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-tags.xml",
        "http://testserver/sitemap-agencies.xml",
    ]


def test_every_sitemap_lists_its_pages(client, story, business, schemas):
    """Stories, sections, tags with a public story, and agencies with one; each valid against the schema."""
    urls = every_sitemap_location(client, schemas)
    assert urls == [
        "http://testserver" + story.get_absolute_url(),
        "http://testserver/world/",
        "http://testserver/business/",
        "http://testserver/tags/railways/",
        "http://testserver/agencies/kyodo/",
    ]


def test_articles_carry_their_last_change(client, story, schemas):
    """An article's lastmod is its latest public change: a correction's time when there is one."""
    tree = fetch(client, "/sitemap-articles.xml", schemas["urlset"])
    [lastmod] = [element.text for element in tree.iterfind(".//sm:lastmod", NS)]
    story.refresh_from_db()
    assert parse_datetime(lastmod) == max(story.published_at, story.updated_at).replace(microsecond=0)
    assert lastmod.endswith("+09:00")  # the newsroom's zone, Asia/Tokyo in the tests
    corrected = timezone.now() + timedelta(days=2)
    Article.objects.filter(pk=story.pk).update(modified_at=corrected)
    tree = fetch(client, "/sitemap-articles.xml", schemas["urlset"])
    assert parse_datetime(tree.find(".//sm:lastmod", NS).text) == corrected.replace(microsecond=0)


def test_tags_and_agencies_without_public_stories_are_left_out(client, make_article, ap, kyodo, schemas):
    """A tag or agency whose only stories are drafts, pulled or in the Trash is not in its sitemap."""
    make_article(tags=["Public"], wire_service=kyodo)
    make_article(tags=["Draft only"], wire_service=ap, status=Status.DRAFT)
    make_article(tags=["Killed only"], wire_service=ap, status=Status.KILLED, published_at=timezone.now())
    tags = locations(fetch(client, "/sitemap-tags.xml", schemas["urlset"]))
    assert tags == ["http://testserver/tags/public/"]
    agencies = locations(fetch(client, "/sitemap-agencies.xml", schemas["urlset"]))
    assert agencies == ["http://testserver/agencies/kyodo/"]


def test_articles_are_paged_by_key_ranges(client, make_article, schemas, monkeypatch):
    """The articles sitemap comes in pages of key ranges; the index lists each; every story is on exactly one."""
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 3)
    stories = [make_article() for _ in range(7)]
    Article.objects.filter(pk=stories[3].pk).update(status=Status.DRAFT)  # a gap in a page
    public = [story for story in stories if story.pk != stories[3].pk]
    last_page = (stories[-1].pk - 1) // 3 + 1
    index = index_locations(client, schemas)
    article_pages = [url for url in index if "sitemap-articles" in url]
    assert article_pages == ["http://testserver/sitemap-articles.xml"] + [
        f"http://testserver/sitemap-articles.xml?p={n}" for n in range(2, last_page + 1)
    ]
    listed = []
    for page in sorted({(story.pk - 1) // 3 + 1 for story in public}):
        listed += locations(fetch(client, f"/sitemap-articles.xml?p={page}", schemas["urlset"]))
    assert listed == ["http://testserver" + story.get_absolute_url() for story in public]
    assert client.get(f"/sitemap-articles.xml?p={last_page + 1}").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_each_sitemap_page_costs_the_same_queries(client, make_article, django_assert_max_num_queries, monkeypatch):
    """A page costs the same few queries, shallow or deep, with 1 or 50 stories on it."""
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 50)
    first = make_article()
    # The newest key, whether its range holds a public story (the number of pages), the page.
    with django_assert_max_num_queries(3):
        assert client.get(f"/sitemap-articles.xml?p={(first.pk - 1) // 50 + 1}").status_code == 200
    for _ in range(120):
        make_article()
    pages = sorted({(pk - 1) // 50 + 1 for pk in Article.objects.values_list("pk", flat=True)})
    assert len(pages) >= 3
    for page in pages:
        with django_assert_max_num_queries(3):
            assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/news-sitemap.xml").status_code == 200


def test_site_url_gives_every_address(client, story, schemas, settings):
    """With SITE_URL set, the index, the sitemaps and robots.txt use it rather than the request's host."""
    settings.SITE_URL = "https://news.example.com"
    index = index_locations(client, schemas)
    assert all(url.startswith("https://news.example.com/sitemap-") for url in index)
    urls = []
    for sitemap in index:
        urls += locations(fetch(client, sitemap.removeprefix("https://news.example.com"), schemas["urlset"]))
    assert urls and all(url.startswith("https://news.example.com/") for url in urls)
    assert news_locations(client, schemas) == ["https://news.example.com" + story.get_absolute_url()]
    assert "Sitemap: https://news.example.com/sitemap.xml" in client.get("/robots.txt").content.decode()


# The Google News sitemap.


def test_news_sitemap_has_every_google_field(client, make_article, schemas, settings):
    """Each story has publication name and language, a W3C publication date with zone, and the title."""
    settings.NEWSROOM_NAME = "The Tokyo Ledger"
    settings.NEWSROOM_LANGUAGE = "en"
    english = make_article(headline="Trains & <buses> return")
    japanese = make_article(headline="夜行列車が復活", language="ja")
    tree = fetch(client, "/news-sitemap.xml", schemas["urlset"])
    entries = tree.findall("sm:url", NS)
    assert [entry.find("sm:loc", NS).text for entry in entries] == [
        "http://testserver" + english.get_absolute_url(),
        "http://testserver" + japanese.get_absolute_url(),
    ]
    for entry, story, language in zip(entries, (english, japanese), ("en", "ja"), strict=True):
        news = entry.find("news:news", NS)
        assert news.find("news:publication/news:name", NS).text == "The Tokyo Ledger"
        assert news.find("news:publication/news:language", NS).text == language
        assert news.find("news:title", NS).text == story.headline
        published = news.find("news:publication_date", NS).text
        assert parse_datetime(published) == story.published_at.replace(microsecond=0)
        assert published.endswith("+09:00")


def test_news_sitemap_keeps_to_its_window(client, make_article, schemas, settings):
    """Only stories published within NEWS_SITEMAP_HOURS are listed."""
    settings.NEWS_SITEMAP_HOURS = 48
    recent = make_article(published_at=timezone.now() - timedelta(hours=47))
    make_article(published_at=timezone.now() - timedelta(hours=49))
    assert news_locations(client, schemas) == ["http://testserver" + recent.get_absolute_url()]


def test_news_sitemap_holds_at_most_1000_stories(client, make_article, monkeypatch, schemas):
    """Google reads 1,000 entries at most: the newest are kept."""
    monkeypatch.setattr(sitemaps, "NEWS_SITEMAP_MAX", 2)
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 2)
    newest = [make_article(), make_article()]
    make_article()
    assert news_locations(client, schemas) == ["http://testserver" + story.get_absolute_url() for story in newest]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("ja", "ja"),
        ("JA-jp", "ja"),
        ("zh-Hans", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh", "zh-cn"),
        ("zh-Hant", "zh-tw"),
        ("zh_TW", "zh-tw"),
        ("zh-Hant-HK", "zh-tw"),
        ("fil", "fil"),
        ("", "en"),
        ("x", "en"),
        ("日本語", "en"),
    ],
)
def test_news_language_codes(code, expected, settings):
    """Languages become ISO 639 codes, and Chinese zh-cn or zh-tw, as Google wants."""
    settings.NEWSROOM_LANGUAGE = "en"
    assert news_language(code) == expected


# Pulled and scheduled stories.


@pytest.mark.parametrize("pull", PULLS, ids=PULL_NAMES)
def test_pulled_stories_leave_the_sitemaps_at_once(client, story, editor, schemas, pull):
    """A withdrawn, killed or trashed story leaves the sitemaps and the news sitemap, and its tag and agency go."""
    address = "http://testserver" + story.get_absolute_url()
    assert address in every_sitemap_location(client, schemas)
    assert news_locations(client, schemas) == [address]
    pull(story, editor)
    remaining = []
    for url in index_locations(client, schemas):
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        remaining += [loc.text for loc in ElementTree.fromstring(response.content).iterfind(".//sm:loc", NS)]
    assert address not in remaining
    assert "http://testserver/tags/railways/" not in remaining
    assert "http://testserver/agencies/kyodo/" not in remaining
    response = client.get("/news-sitemap.xml")
    assert ElementTree.fromstring(response.content).findall("sm:url", NS) == []


def test_scheduled_story_joins_the_sitemaps_at_its_time(client, make_article, schemas):
    """A scheduled story is in no sitemap until its publish time has passed."""
    make_article()
    scheduled = make_article(status=Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=5))
    address = "http://testserver" + scheduled.get_absolute_url()
    assert address not in every_sitemap_location(client, schemas)
    assert address not in news_locations(client, schemas)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert address in every_sitemap_location(client, schemas)
        assert news_locations(client, schemas)[0] == address


# robots.txt.


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_the_desk(client, db):
    """robots.txt is plain text, names both sitemaps with absolute URLs, and disallows the admin and previews."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines


def test_empty_sitemaps_are_left_out_of_the_index(client, world, schemas):
    """A sitemap must list a URL, so the index names only those with something to list."""
    assert index_locations(client, schemas) == ["http://testserver/sitemap-sections.xml"]


def test_a_page_range_without_public_stories_is_not_found(client, make_article, monkeypatch):
    """A key range holding only drafts answers 404 rather than an empty, invalid sitemap."""
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    stories = [make_article() for _ in range(5)]
    # Three stories in a row: one range of two keys holds drafts only, wherever the keys start.
    drafts = stories[1:4]
    Article.objects.filter(pk__in=[story.pk for story in drafts]).update(status=Status.DRAFT)

    def page_of(story):
        return (story.pk - 1) // 2 + 1

    public_pages = {page_of(stories[0]), page_of(stories[4])}
    [empty_page] = {page_of(story) for story in drafts} - public_pages
    for page in public_pages:
        assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 200
    assert client.get(f"/sitemap-articles.xml?p={empty_page}").status_code == 404


def test_the_schemas_refuse_what_google_would(schemas):
    """The validator is strict: a news entry with a made-up language code or without a date fails."""
    entry = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="{ns}"><url>'
        "<loc>https://news.example.com/world/2026/11/30/a/</loc><news:news><news:publication>"
        "<news:name>Paper</news:name><news:language>{language}</news:language></news:publication>"
        "{date}<news:title>A</news:title></news:news></url></urlset>"
    )
    date = "<news:publication_date>2026-11-30T09:00:00+09:00</news:publication_date>"
    schemas["urlset"].validate(entry.format(ns=NEWS_NS, language="ja", date=date))
    for language, when in [("japanese", date), ("zh-Hans", date), ("ja", "")]:
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            schemas["urlset"].validate(entry.format(ns=NEWS_NS, language=language, date=when))
