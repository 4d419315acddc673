"""NewsML-G2: every fixture's stories, field by field, and the rules behind them."""

from datetime import UTC, datetime

import pytest

from articles.ingest import formats, newsml
from articles.ingest.story import ItemKind, PubStatus, WireParseError
from tests.ingest.conftest import read
from tests.ingest.stories import story_from, summary

PKG = "urn:newsml:kyodonews.example:20261121:lantern-"

CASES = [
    pytest.param(
        "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml", 0,
        {"headline": 'Fed to halt QE to avert "bubble"', "first": "", "last": "", "count": 0, "byline": "",
         "dateline": "", "agency_codes": ["nprov:REUTERS", "http://www.example.com"],
         "guid": "urn:newsml:acmenews.com:20161018:US-FINANCE-FED", "version": "11",
         "embargo_until": datetime(2018, 10, 23, 12, 0, tzinfo=UTC), "slugline": "US-Finance-Fed", "priority": "",
         "language": "en-GB", "kind": ItemKind.TEXT, "links": [], "place": "Berlin"},
        id="iptc-news-item",
    ),
    pytest.param(
        "newsml-g2/LISTING_3_Photo_in_NewsML-G2.xml", 0,
        {"headline": "Variety Of Recessionary Forces Leave Las Vegas Economy Scarred", "count": 0, "byline": "",
         "dateline": "", "agency_codes": ["nprov:GYI", "Getty Images Inc.", "Getty Images"],
         "guid": "tag:gettyimages.com,2010:GYI0062134533", "version": "11", "embargo_until": None, "slugline": "",
         "priority": "", "language": "en-US", "kind": ItemKind.PICTURE, "links": []},
        id="iptc-photo",
    ),
    pytest.param(
        "newsml-g2/newsmessage-prefixed.xml", 0,
        {"headline": "Port strike ends after pay deal",
         "first": "ROTTERDAM (Reuters) - Dock workers in Rotterdam ended a four-day strike on Friday.",
         "last": "The union said members voted 81% in favour — a clear result.", "count": 2,
         "byline": "By Anna Visser", "dateline": "", "dateline_date": datetime(2026, 11, 20, 8, 50, tzinfo=UTC),
         "agency_codes": ["Reuters"], "guid": "tag:reuters.com,2026:newsml_PORT01", "version": "3",
         "embargo_until": None, "slugline": "", "priority": "", "language": "", "kind": ItemKind.TEXT, "links": [],
         "place": "Rotterdam"},
        id="prefixed-message-story",
    ),
    pytest.param(
        "newsml-g2/newsmessage-prefixed.xml", 1,
        {"headline": "WITHDRAWN-Port strike story", "count": 0, "agency_codes": ["Reuters"],
         "guid": "tag:reuters.com,2026:newsml_PORT00", "version": "2", "pubstatus": PubStatus.CANCELED,
         "ed_note": "This story has been withdrawn: it was sent in error.",
         "notice": "This story has been withdrawn: it was sent in error.", "kind": ItemKind.TEXT},
        id="prefixed-message-cancel",
    ),
    pytest.param(
        "newsml-g2/package-story-picture.xml", 0,
        {"headline": "Nagasaki lantern festival: story and picture", "count": 0, "agency_codes": ["Kyodo"],
         "guid": f"{PKG}pkg", "version": "1", "embargo_until": None, "slugline": "", "priority": "3",
         "language": "", "kind": ItemKind.PACKAGE, "links": [f"{PKG}text", f"{PKG}pic"]},
        id="package",
    ),
    pytest.param(
        "newsml-g2/package-story-picture.xml", 1,
        {"headline": "Nagasaki lights 15,000 lanterns for winter festival",
         "first": "NAGASAKI, Japan (Kyodo) -- Fifteen thousand paper lanterns went up across Nagasaki on Saturday "
                  "for the city's winter festival.",
         "last": "The festival ends on Dec. 6.", "count": 3, "byline": "By Aiko Mori", "dateline": "NAGASAKI, Nov. 21",
         "agency_codes": ["Kyodo"], "guid": f"{PKG}text", "version": "1", "embargo_until": None,
         "slugline": "JAPAN-FESTIVAL/LANTERNS", "priority": "4", "language": "en-US", "kind": ItemKind.TEXT,
         "links": [f"{PKG}pkg", f"{PKG}pic"], "place": "Nagasaki",
         "first_created": datetime(2026, 11, 21, 5, 40, tzinfo=UTC),
         "ed_note": "Desk: the picture is in the same package.", "keywords": ["festivals", "lanterns", "tourism"]},
        id="package-story-inline-data",
    ),
    pytest.param(
        "newsml-g2/package-story-picture.xml", 2,
        {"headline": "Lanterns over the Nakashima River", "count": 0, "agency_codes": ["Kyodo"],
         "guid": f"{PKG}pic", "version": "1", "slugline": "", "priority": "3", "kind": ItemKind.PICTURE,
         "links": [f"{PKG}text", f"{PKG}pkg"]},
        id="package-picture",
    ),
    pytest.param(
        "newsml-g2/text-markup-hygiene.xml", 0,
        {"headline": "Japan markets rally as yen weakens",
         "first": "TOKYO, Nov 20 (Reuters) - Japanese shares rose on Friday as the yen fell to a two-week low–its "
                  "third fall this month.",
         "last": "(Reporting by Ken Tanaka; Editing by Jo Park)", "count": 4, "byline": "By Ken Tanaka",
         "dateline": "", "dateline_date": datetime(2026, 11, 20, 6, 30, tzinfo=UTC),
         "agency_codes": ["nprov:REUTERS", "Reuters"], "guid": "tag:reuters.com,2026:newsml_MKT01", "version": "4",
         "embargo_until": datetime(2026, 11, 20, 7, 0, tzinfo=UTC), "slugline": "JAPAN-STOCKS/", "priority": "3",
         "language": "en", "kind": ItemKind.TEXT, "links": ["tag:reuters.com,2026:newsml_MKT00"], "place": "Tokyo",
         "pubstatus": PubStatus.EMBARGOED, "ed_note": "Not for use in Japan before 1600 JST.",
         "correction_note": "Corrects the index level in the second paragraph.",
         "keywords": ["stocks", "yen", "Nikkei"]},
        id="reuters-shaped-text",
    ),
    pytest.param(
        "newsml-g2/video-audio-message.xml", 0,
        {"headline": "Ferry leaves the downtown terminal", "dek": "Raw footage of the new ferry's first crossing.",
         "count": 0, "agency_codes": ["AP"], "guid": "urn:publicid:ap.example:video-0042", "version": "2",
         "slugline": "SEATTLE-FERRY-VIDEO", "priority": "5", "language": "en-US", "kind": ItemKind.VIDEO,
         "links": ["urn:publicid:ap.example:text-0042"], "images": []},
        id="video",
    ),
    pytest.param(
        "newsml-g2/video-audio-message.xml", 1,
        {"headline": "Ferry captain on the first crossing", "count": 0, "agency_codes": ["AP"],
         "guid": "urn:publicid:ap.example:audio-0042", "version": "1", "language": "en", "kind": ItemKind.AUDIO,
         "links": []},
        id="audio",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("relative", "index", "expected"), CASES)
def test_fixture(relative, index, expected):
    """Each fixture's story has the headline, paragraphs, byline, codes, identity, kind and links listed."""
    assert summary(story_from(newsml.parse, relative, index), expected) == expected


def test_a_news_message_returns_every_item_in_order():
    """A newsMessage with a package, a story and a picture gives three stories, in the file's order."""
    kind, stories = formats.parse(read("newsml-g2/package-story-picture.xml"))
    assert kind == "newsml"
    assert [story.kind for story in stories] == [ItemKind.PACKAGE, ItemKind.TEXT, ItemKind.PICTURE]


def test_picture_item_carries_its_best_rendition_caption_and_credit():
    """The picture's high-resolution rendition, its caption, alt text and photographer / credit line."""
    picture = story_from(newsml.parse, "newsml-g2/package-story-picture.xml", 2)
    assert [vars(image) for image in picture.images] == [
        {
            "href": "https://media.kyodonews.example/lantern.jpg",
            "caption": "Paper lanterns hang over the Nakashima River in Nagasaki on Nov. 20, 2026.",
            "alt_text": "Rows of glowing red and yellow lanterns above a river at night",
            "credit": "Ken Sato / Kyodo",
        }
    ]


def test_broader_subjects_add_the_parent_code():
    """A subject's `broader` concept is a subject too (named when the file names it), each code once."""
    story = story_from(newsml.parse, "newsml-g2/LISTING_1_A_NewsML-G2_News_Item.xml")
    assert story.subjects == [
        ("medtop:04000000", "economy, business and finance"),
        ("medtop:20000523", "labour market"),
    ]
    lanterns = story_from(newsml.parse, "newsml-g2/package-story-picture.xml", 1)
    assert lanterns.subjects == [
        ("medtop:20000002", "arts and entertainment"),
        ("medtop:01000000", "arts, culture, entertainment and media"),
    ]


def test_located_is_the_place_and_a_text_dateline_the_dateline():
    """`located` is desk-only place; a `dateline` that is not a timestamp is the dateline as written."""
    data = read("newsml-g2/newsmessage-prefixed.xml").replace(
        b"<ns0:dateline>2026-11-20 08:50:00 GMT+00:00</ns0:dateline>",
        b"<ns0:dateline>ROTTERDAM, Friday (Reuters)</ns0:dateline>",
    )
    story = newsml.parse(data)[0]
    assert (story.place, story.dateline, story.dateline_date) == ("Rotterdam", "ROTTERDAM, Friday", None)


def test_markup_never_reaches_the_body():
    """Agency dash tags become dashes; escaped iframes and scripts, and the header block, are gone."""
    story = story_from(newsml.parse, "newsml-g2/text-markup-hygiene.xml")
    body = story.body_html
    assert "41,250—a record" in body and "low–its" in body
    for leftover in ("iframe", "script", "track(", "endash", "emdash", "Keywords:", "15:30", "JAPAN-STOCKS/"):
        assert leftover not in body
    assert any("Keywords: stocks, yen, Nikkei" in warning for warning in story.warnings)


def test_the_private_note_and_the_correction_are_kept_apart():
    """edNote is for the desk; an edNote whose role names a correction is the public correction note."""
    story = story_from(newsml.parse, "newsml-g2/text-markup-hygiene.xml")
    assert "correction" not in story.ed_note.lower() and "1600 JST" not in story.correction_note


def test_provider_literal_and_correction_note_element():
    """`provider literal=…` is an agency code; a <correctionNote> (in any namespace) is the correction note."""
    data = b"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:x="urn:x" guid="g" version="1">
      <itemMeta><itemClass qcode="ninat:text"/><provider literal="Yonhap"/>
        <x:correctionNote>Fixes a name.</x:correctionNote></itemMeta>
      <contentMeta><headline>H</headline></contentMeta></newsItem>"""
    story = newsml.parse(data)[0]
    assert (story.agency_codes, story.correction_note, story.ed_note) == (["Yonhap"], "Fixes a name.", "")


def test_a_standalone_package_item_links_its_items():
    """A packageItem on its own is a package whose links are its itemRefs."""
    data = b"""<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p" version="2">
      <itemMeta><itemClass qcode="ninat:composite"/><provider literal="AP"/></itemMeta>
      <groupSet root="G1"><group id="G1"><itemRef residref="a"/><groupRef idref="G2"/></group>
        <group id="G2"><itemRef residref="b"/></group></groupSet></packageItem>"""
    story = newsml.parse(data)[0]
    assert (story.kind, story.links) == (ItemKind.PACKAGE, ["a", "b"])


def test_unknown_item_class_is_read_as_text_with_a_warning():
    """An itemClass we do not know is read as text, and the desk is told."""
    data = b"""<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">
      <itemMeta><itemClass qcode="ninat:hologram"/></itemMeta></newsItem>"""
    story = newsml.parse(data)[0]
    assert story.kind == ItemKind.TEXT and story.warnings == ["Unknown item class “ninat:hologram”: read as text."]


def test_message_without_items_is_refused():
    """A newsMessage with an empty itemSet is refused with a reason."""
    with pytest.raises(WireParseError, match="carries no newsItem"):
        newsml.parse(b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet/></newsMessage>')
