"""Every sample file, ingested through the importer, with each field of the draft it makes asserted."""

from datetime import UTC, datetime

import pytest

from articles.models import Status, WireItem
from articles.services.ingest import receive
from tests.conftest import REFERENCE_STORY, reference_paragraphs
from tests.ingest.conftest import WIRE, read


def ingest(relative, **kwargs):
    items = receive(read(relative), filename=relative, base_dir=(WIRE / relative).parent, **kwargs)
    assert len(items) == 1
    return items[0]


def test_reference_story_is_a_kyodo_draft_without_the_prompt(agencies):
    """The reference text file: a Kyodo draft, no headline (flagged), fourteen paragraphs, prompt stripped."""
    item = receive(REFERENCE_STORY.read_bytes(), filename=REFERENCE_STORY.name)[0]
    article = item.article
    assert item.outcome == WireItem.Outcome.CREATED and item.format == "text"
    assert article.status == Status.DRAFT and article.wire_service.credit == "Kyodo"
    assert article.credit_line == "Kyodo"
    assert article.headline == ""
    assert article.body == "\n".join(f"<p>{p}</p>" for p in reference_paragraphs())
    assert article.body.count("<p>") == 14
    assert "misinformation" not in article.body and "subscribing" not in article.body


def test_japanese_kyodo_text(agencies):
    """Kyodo in Japanese: "• 共同" credits Kyodo, 【ソウル共同】 is the dateline, the story is Japanese."""
    article = ingest("text/kyodo-ja.txt").article
    assert article.wire_service.slug == "kyodo" and article.headline == "ソウルに夜間図書館が開館"
    assert (article.dateline, article.language) == ("ソウル", "ja")
    assert article.body.startswith("<p>ソウル市は２日") and article.body.count("<p>") == 3


def test_ap_nitf(agencies):
    """NITF: GUID, du-key version, agency, byline, headline, dek, dateline, rights, tags, body and picture."""
    item = ingest("nitf/harbor-ferry.xml")
    article = item.article
    assert (item.guid, item.version, item.wire_service.slug) == ("ap-2026-ferry-fares", "1", "ap")
    assert article.headline == "Harbor ferry fares to rise 10% in spring"
    assert article.dek == "Commuters will pay “about a dollar more” a trip."  # the abstract; hl2 is not the dek
    assert item.data["subheadline"] == "Operator blames fuel & labor costs"
    assert (item.slugline, item.priority) == ("ferry-fares", "")
    assert item.first_created == datetime(2026, 11, 20, 8, tzinfo=UTC)
    assert article.wire_byline == "By JANE MORROW"
    assert article.credit_line == "AP"
    assert article.dateline == "SEATTLE"
    assert article.dateline_date == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert (
        article.copyright_holder == "The Associated Press" and article.copyright_notice == "© 2026 The Associated Press"
    )
    assert article.usage_terms == "Members only"
    assert article.embargo_until is None and article.status == Status.DRAFT
    assert sorted(article.tags.names()) == ["Ferries", "Transport"]  # only mapped codes become tags
    assert item.data["keywords"] == ["ferries", "transport"]  # unmapped ones are kept on the item
    # The lede's "SEATTLE (AP) —" becomes the dateline; entities, CDATA, dashes and non-Latin text survive.
    assert article.body.startswith("<p>Ferry fares across the harbor will rise 10% in the spring")
    assert "fuel &amp; labor costs" in article.body and 'Riders said the news was "no surprise."' in article.body
    assert "Ana Müller and 佐藤 さん" in article.body and "— its first increase" in article.body
    assert "script" not in article.body and "alert" not in article.body
    image = article.lead_image
    assert image.caption == "A ferry leaves the downtown terminal on Thursday."
    assert image.credit_line == "Sam Lee/AP / AP" and image.alt_text == "A ferry leaves the downtown terminal"
    assert (image.width, image.height) == (160, 90)


def test_embargoed_latin1_nitf(agencies):
    """ISO-8859-1 NITF with an embargo: text decoded, embargo set, agency from the distributor."""
    article = ingest("nitf/budget-embargoed-latin1.xml").article
    assert article.headline == "Café owners welcome business rates cut"
    assert article.wire_byline == "By Chloé Martin, Press Association"
    assert article.wire_service.slug == "pa"
    assert article.embargo_until == datetime(2026, 12, 1, 0, 1, tzinfo=UTC)
    assert "£120 million" in article.body and "«conservative»" in article.body


def test_newsml_news_item(agencies):
    """NewsML-G2 newsItem: guid, version, provider mapped to Reuters, embargo, rights, place, subjects as tags."""
    item = ingest("newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml")
    article = item.article
    assert (item.guid, item.version) == ("urn:newsml:acmenews.com:20161018:US-FINANCE-FED", "11")
    assert article.wire_service.slug == "reuters" and article.credit_line == "Reuters"
    assert article.headline == 'Fed to halt QE to avert "bubble"'
    assert article.embargo_until == datetime(2018, 10, 23, 12, 0, tzinfo=UTC)
    assert article.copyright_holder == "Example Enews LLP"
    assert article.copyright_notice == "Copyright 2017-18 Example Enews LLP, all rights reserved"
    assert article.usage_terms == "Not for use outside the United States"
    assert article.dateline == "" and item.data["place"] == "Berlin"  # `located` is where, not the dateline
    assert list(article.tags.names()) == ["labour market"]
    assert item.data["notice"].startswith("Note to editors: STRICTLY EMBARGOED.")
    assert article.body == ""  # the sample's inlineXML holds only comments


def test_newsml_picture_item(agencies):
    """A NewsML-G2 picture is a picture, not a story: creditline, creator and caption kept, the rendition recorded."""
    item = ingest("newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml")
    assert (item.guid, item.version, item.kind) == ("tag:gettyimages.com,2010:GYI0062134533", "11", "picture")
    assert item.wire_service.slug == "getty" and item.article is None
    assert item.headline == "Variety Of Recessionary Forces Leave Las Vegas Economy Scarred"
    assert item.data["usage_terms"].startswith("Contact your local office for all commercial")
    picture = item.data["images"][0]
    assert picture["href"] == "./GYI0062134533.jpg"  # the highRes rendition; not delivered beside the file
    assert picture["credit"] == "Spencer Platt / Getty Images"
    assert picture["caption"].startswith("A general view of part of downtown")


def test_ninjs_2_dpa(agencies):
    """ninjs 2.x (dpa): uri, version, headlines, html body, by, copyright; German text intact."""
    item = ingest("ninjs/dpa_text.json")
    article = item.article
    assert (item.guid, item.version) == ("urn:newsml:dpa.com:20090101:190510-99-167362", "2")
    assert article.wire_service.slug == "dpa"
    assert article.headline.startswith("Faktencheck Derby-Elfmeter")
    assert article.wire_byline == "Von Christian Hollmann, dpa"
    assert article.copyright_notice == "Copyright 2019, dpa (www.dpa.de). Alle Rechte vorbehalten"
    assert article.body.startswith("<p>Für Lucien Favre war es «der größte Skandal im Fußball seit Jahren».")
    assert "<section" not in article.body


def test_ninjs_2_tt_with_picture(agencies):
    """ninjs 2.1 (TT): description as dek, html body, places as mapped tags, picture by-line kept apart."""
    item = ingest("ninjs/tt_text_image_2.json")
    article = item.article
    assert (item.guid, item.version) == ("http://tt.se/media/text/210526-militarovning-a0f2d045", "1")
    assert article.headline == "Militärövning i jätteformat hålls 2023"
    assert article.dek.startswith("Pandemin satte stopp för den stora internationella militärövningen")
    assert article.wire_service.slug == "tt" and article.copyright_holder == "TT"
    assert sorted(article.tags.names()) == ["Conflict", "Gotland"]
    assert "<blockquote>Aurora 2023 kommer" in article.body and "<h1>" not in article.body
    picture = item.data["images"][0]
    assert picture["credit"] == "Karl Melander/TT" and picture["href"].startswith("https://")
    assert article.lead_image is None


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("hostile/billion-laughs.xml", "declares XML entities"),
        ("hostile/xxe.xml", "declares XML entities"),
        ("hostile/malformed.xml", "The XML is malformed"),
        ("hostile/malformed.json", "The JSON is malformed"),
        ("hostile/wrong-encoding.xml", "is not valid UTF-8"),
        ("hostile/unknown.bin", "Unknown format"),
    ],
)
def test_bad_files_are_rejected_kept_and_listed(agencies, relative, reason, editor_client):
    """Hostile or broken files are refused with a reason, kept byte for byte, and listed on the wire desk."""
    item = ingest(relative)
    assert item.outcome == WireItem.Outcome.REJECTED and reason in item.error
    assert bytes(WireItem.objects.get(pk=item.pk).raw) == read(relative)
    assert item.article is None
    html = editor_client.get("/admin/articles/wireitem/", {"outcome__exact": "rejected"}).content.decode()
    assert reason in html
    assert "root:" not in item.error  # /etc/passwd was never read


def test_external_dtd_is_never_fetched(agencies):
    """A DOCTYPE naming a remote DTD imports without the DTD being loaded."""
    item = ingest("hostile/external-dtd.xml")
    assert item.outcome == WireItem.Outcome.CREATED
    assert item.article.headline == "External DTD is not fetched"


def test_billion_laughs_is_refused_fast(agencies):
    """The entity bomb is refused before expansion: well under a second."""
    import time

    start = time.perf_counter()
    ingest("hostile/billion-laughs.xml")
    assert time.perf_counter() - start < 1.0


def test_newsml_message_with_prefixes_update_and_cancel(agencies):
    """A newsMessage with ns0: prefixes and 'utf8': both items read by namespace URI; the cancel is recorded."""
    items = receive(read("newsml-g2/newsmessage-prefixed.xml"), filename="message.xml")
    assert [item.outcome for item in items] == [WireItem.Outcome.CREATED, WireItem.Outcome.KILLED]
    article = items[0].article
    assert (items[0].guid, items[0].version) == ("tag:reuters.com,2026:newsml_PORT01", "3")
    assert article.headline == "Port strike ends after pay deal"
    assert article.dek == "Dockers accept a 6% raise over two years."
    assert article.wire_byline == "By Anna Visser" and article.credit_line == "Reuters"
    # The lede's "ROTTERDAM (Reuters) -" is the dateline; `located` is the desk's place; <dateline> is a time.
    assert article.dateline == "ROTTERDAM" and article.dateline_date == datetime(2026, 11, 20, 8, 50, tzinfo=UTC)
    assert items[0].data["place"] == "Rotterdam"
    assert article.body == (
        "<p>Dock workers in Rotterdam ended a four-day strike on Friday.</p>\n"
        "<p>The union said members voted 81% in favour — a clear result.</p>"
    )
    assert list(article.tags.names()) == ["labour market"]
    assert items[1].article.status == "killed"  # kept killed: a late, older delivery cannot revive it


def test_ninjs_1_embargoed_with_featuremedia(agencies):
    """ninjs 1.x: guid, body_html, byline, source, embargo, rights; the picture's byline kept apart."""
    item = receive(read("ninjs/ninjs1-embargoed.json"))[0]
    article = item.article
    assert (item.guid, item.version) == ("urn:example:ninjs1:bees-2026", "4")
    assert article.wire_service.slug == "kyodo" and article.credit_line == "Kyodo"
    assert article.headline == "Beekeepers report a better year"
    assert article.dek == "Hive losses fell for the first time in five winters."
    assert article.wire_byline == "Mara Lind, Example University"
    assert article.embargo_until == datetime(2026, 12, 2, 2, 30, tzinfo=UTC)
    assert (article.copyright_notice, article.usage_terms) == ("© 2026 Kyodo News", "Not for resale")
    assert article.body == (
        "<p>Hive losses fell&nbsp;this winter, beekeepers said.</p>"
        '<p>Read the <a href="https://example.org/report" rel="noopener noreferrer nofollow">full report</a>.</p>'
    )
    picture = item.data["images"][0]
    assert picture == {
        "href": "https://example.org/bee.jpg",
        "caption": "A beekeeper checks a hive.",
        "alt_text": "A beekeeper in a veil lifts a frame from a hive",
        "credit": "Photograph by Kim Ode",
    }
    assert list(article.tags.names()) == ["labour market"]


def test_newsml1_afp_story_and_its_withdrawal(agencies):
    """NewsML 1.x from AFP: a draft with its NITF body and photo recorded; revision 3 withdraws it."""
    item = ingest("newsml1/afp-text-photo.xml")
    article = item.article
    assert (item.format, item.outcome, item.wire_service.slug) == ("newsml1", WireItem.Outcome.CREATED, "afp")
    assert (item.guid, item.version) == ("urn:newsml:afp.com:20261120:TX-PAR-KTE42", "2")
    assert article.headline == "Night trains return to the Paris–Berlin line"
    assert article.dateline == "PARIS, Nov 20, 2026" and article.wire_byline == "Claire Dubois"
    assert article.body.startswith("<p>Night trains between Paris and Berlin") and article.body.count("<p>") == 3
    assert item.data["images"][0]["href"] == "https://media.afp.example/sleeper-hd.jpg"
    withdrawn = ingest("newsml1/afp-withdrawn.xml")
    assert withdrawn.outcome == WireItem.Outcome.KILLED and withdrawn.article == article


def test_newsml_package_message_makes_one_draft(agencies):
    """A newsMessage with a package, its story and its picture: one draft; the package and picture are kept."""
    items = receive(read("newsml-g2/package-story-picture.xml"), filename="lanterns.xml")
    assert [(item.kind, item.outcome) for item in items] == [
        ("package", WireItem.Outcome.KEPT),
        ("text", WireItem.Outcome.CREATED),
        ("picture", WireItem.Outcome.KEPT),  # a remote picture from a host not listed: recorded, not fetched
    ]
    article = items[1].article
    assert article.wire_service.slug == "kyodo" and article.headline.startswith("Nagasaki lights 15,000 lanterns")
    assert "Keywords" not in article.body and "iframe" not in article.body
    assert article.body.count("<p>") == 3
