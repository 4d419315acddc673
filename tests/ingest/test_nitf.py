"""NITF: each sample structure parsed field by field, then the cases around them."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from articles.html import sanitize_body
from articles.ingest.cleanup import plain_text
from articles.ingest.nitf import parse
from articles.ingest.story import PubStatus
from articles.models import WireItem
from articles.services.ingest import receive
from tests.ingest.conftest import read
from tests.ingest.stories import fields_of

EDT = timezone(timedelta(hours=-4))

# Per fixture: what the desk should get. "paragraphs" is (count, first, last) of the body's <p>s.
EXPECTED = {
    # AP's feed: doc-id with regsrc only (no GUID), hl2 repeating hl1, byline with byttl, the lede's dateline.
    "nitf/ap-regsrc-only.xml": {
        "headline": "City libraries stay open late as exam season nears",
        "subheadline": "",
        "dek": "",
        "paragraphs": (
            5,
            "Branch libraries across New York will stay open until midnight for the next three weeks, "
            "the city said Thursday, as students head into exams.",
            "Ruth Adeyemi can be reached at https://example.org/ruth-adeyemi .",
        ),
        "byline": "By RUTH ADEYEMI",
        "dateline": "NEW YORK",
        "agency_codes": ["AP", "The Associated Press"],
        "guid": "",
        "version": "",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "",
        "first_created": datetime(2026, 12, 3, 15, 15, 30, tzinfo=UTC),
        "ed_note": "For global distribution",
        "pubstatus": PubStatus.USABLE,
    },
    # IPTC's sample structure: canceled, a note with its own body.content, evloc, del-list, du-key, abstract.
    "nitf/iptc-tides-canceled.xml": {
        "headline": "High Tides Return to Harbor City This Week",
        "subheadline": "Anglers and boaters get an early start",
        "dek": "Spring tides peak on Thursday. Low water falls before dawn all week.",
        "paragraphs": (
            3,
            "High tides return to Harbor City this week, peaking on Thursday with the year's first spring tide.",
            "Tight lines, everybody!",
        ),
        "byline": "By Lena Moss",
        "dateline": "Harbor City, ME",
        "dateline_date": datetime(2026, 4, 12, 6, 0, tzinfo=EDT),
        "place": "Harbor City, ME, US",
        "agency_codes": ["Coast Desk", "newsroom.example"],
        "guid": "newsroom.tides.0412.b",
        "links": ["newsroom.tides.0412.a"],
        "version": "2",
        "embargo_until": datetime(2026, 4, 12, 7, 0, tzinfo=EDT),
        "slugline": "weekly-tide-tables",
        "priority": "5",
        "language": "en-US",
        "first_created": datetime(2026, 4, 12, 6, 15, tzinfo=EDT),
        "ed_note": "Replaces the tables sent in error this morning. "
        "This note is for editors: it carries a body of its own, which is not the story.",
        "pubstatus": PubStatus.CANCELED,
        "keywords": ["tides", "harbor"],
    },
    # PA: ISO-8859-1, embargoed, du-key without a version, the embargo repeated in ed-msg.
    "nitf/pa-embargoed-latin1.xml": {
        "headline": "CAFÉ CARRIAGES TO RETURN ON NIGHT TRAINS, OPERATOR SAYS",
        "subheadline": "",
        "dek": "Café carriages will return",
        "paragraphs": (
            1,
            "Café carriages will return to overnight trains between London and Penzance from the spring, "
            "costing the operator £3 million.",
            "Café carriages will return to overnight trains between London and Penzance from the spring, "
            "costing the operator £3 million.",
        ),
        "byline": "By Zoë Hartley, Press Association",
        "dateline": "",
        "agency_codes": ["PA", "Press Association"],
        "guid": "0d6f1c52-7a1e-4c57-9d1f-3b2a6e9f0c11HHH-7-1",
        "version": "",
        "embargo_until": datetime(2026, 11, 4, 0, 1, tzinfo=UTC),
        "slugline": "PA-HHH-TRANSPORT-UnitedKingdom",
        "priority": "4",
        "language": "en-GB",
        "ed_note": "(see also TRANSPORT Rail) Embargoed to 0001 Wednesday November 4",
        "pubstatus": PubStatus.EMBARGOED,
    },
    # Reuters-style: no hl1 (head/title is the headline), a slug in hl2, a dated dateline, a correction.
    "nitf/reuters-title-dateline-date.xml": {
        "headline": "UK canal boat licences to rise 5%",
        "subheadline": "",
        "paragraphs": (
            2,
            "Licences for boats on Britain's canals will rise 5% next year, the waterways trust said on Tuesday.",
            "The trust said the money would go to lock repairs.",
        ),
        "byline": "By Owen Pryce",
        "dateline": "LONDON",
        "dateline_date": datetime(2026, 11, 3, 10, 0, tzinfo=UTC),
        "agency_codes": ["Reuters", "Thomson Reuters"],
        "guid": "RTR-2026-CANAL-01",
        "version": "3",
        "embargo_until": None,
        "slugline": "BRITAIN-CANALS/",
        "priority": "6",
        "language": "en",
        "correction_note": "Corrects size of increase in paragraph 1 to 5%, not 15%.",
    },
    # Our first fixture: id-string, du-key version, hl2 as subheadline, abstract as dek, a picture.
    "nitf/harbor-ferry.xml": {
        "headline": "Harbor ferry fares to rise 10% in spring",
        "subheadline": "Operator blames fuel & labor costs",
        "dek": "Commuters will pay “about a dollar more” a trip.",
        "paragraphs": (
            3,
            "Ferry fares across the harbor will rise 10% in the spring, the operator said Thursday — "
            "its first increase in five years.",
            "Commuters interviewed at the terminal — including Ana Müller and 佐藤 さん — said they would keep riding.",
        ),
        "byline": "By JANE MORROW",
        "dateline": "SEATTLE",
        "agency_codes": ["AP", "The Associated Press"],
        "guid": "ap-2026-ferry-fares",
        "version": "1",
        "embargo_until": None,
        "slugline": "ferry-fares",
        "priority": "",
        "language": "",
    },
}


def plain_paragraphs(story):
    """The body's paragraphs as one-line plain text, as the NITF tables spell them."""
    return [plain_text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", sanitize_body(story.body_html), re.S)]


@pytest.mark.parametrize("relative", EXPECTED)
def test_sample_structures(relative):
    """Each NITF structure agencies send gives the headline, text, credit and identity the desk needs."""
    story = parse(read(relative))
    expected = EXPECTED[relative]
    assert fields_of(story, expected, paragraphs_of=plain_paragraphs) == expected


def test_a_note_with_its_own_body_content_is_not_the_story():
    """The editors' note's body.content goes to the editor's note; the story's body.content is the body."""
    story = parse(read("nitf/iptc-tides-canceled.xml"))
    assert "not the story" not in story.body_html and "not the story" in story.ed_note
    assert "<h2>Where to Fish</h2>" in story.body_html  # hl2 inside the text is a subheading
    assert [image.href for image in story.images] == ["harbor-tide.jpg"] and "media" not in story.body_html


NITF = """<nitf{root}><head>{head}</head><body><body.head>{body_head}</body.head>
<body.content>{content}</body.content></body></nitf>"""


def nitf(*, root="", head="", body_head="", content="<p>Text.</p>"):
    return NITF.format(root=root, head=head, body_head=body_head, content=content).encode()


def test_headline_from_a_heading_opening_the_body_when_there_is_no_hl1_or_title():
    """No hl1 and no title: a heading opening the body is the headline, taken out of the body, and the desk is told."""
    story = parse(nitf(content="<hl2>Storm closes &lt;b&gt;ports&lt;/b&gt;</hl2><p>Ports closed.</p>"))
    assert story.headline == "Storm closes ports"
    assert story.body_html == "<p>Ports closed.</p>"
    assert any("headline" in warning for warning in story.warnings)


def test_dateline_is_a_place_and_story_date_a_time():
    """`<dateline>` text without a location: its words are the dateline, its story.date the dateline's time."""
    story = parse(nitf(body_head='<dateline>WASHINGTON, <story.date norm="20260105T120000Z">Jan. 5</story.date>'
                       "</dateline>"))  # fmt: skip
    assert story.dateline == "WASHINGTON"
    assert story.dateline_date == datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lede", "dateline", "codes", "text"),
    [
        ("BEIRUT (Reuters) - Markets fell.", "BEIRUT", ["Reuters"], "Markets fell."),
        ("Berlin (dpa) - Talks failed.", "Berlin", ["dpa"], "Talks failed."),
        ("SEOUL, South Korea (AP) — Talks resumed.", "SEOUL, South Korea", ["AP"], "Talks resumed."),
        ("By the end of the year (roughly) — prices rose.", "", [], "By the end of the year (roughly) — prices rose."),
    ],
)
def test_the_ledes_dateline_when_there_is_no_dateline_element(lede, dateline, codes, text):
    """The lede's "PLACE (Agency) —" is the dateline and names the agency; it is taken out of the lede."""
    story = parse(nitf(content=f"<p>{lede}</p>"))
    assert (story.dateline, story.agency_codes, story.body_html) == (dateline, codes, f"<p>{text}</p>")


@pytest.mark.parametrize(
    ("root", "head"),
    [
        (' xml:lang="ja"', ""),
        (' baselang="ja"', ""),
        (' lang="ja"', ""),
        ("", '<docdata xml:lang="ja"/>'),
        ("", '<meta name="language" content="ja"/>'),
    ],
)
def test_language(root, head):
    """The language is read from xml:lang, baselang or lang (root, head, docdata) or a language meta."""
    assert parse(nitf(root=root, head=head)).language == "ja"


def test_hl2_like_a_slug_is_the_slugline_and_du_key_is_the_guid_without_an_id_string():
    """A slug-like hl2 is the slugline; with no id-string the du-key's key is the GUID."""
    story = parse(nitf(head='<docdata><du-key key="storm-ports" version="4"/></docdata>',
                       body_head="<hedline><hl1>Storm</hl1><hl2>WEATHER-STORM/</hl2></hedline>"))  # fmt: skip
    assert (story.guid, story.version, story.slugline, story.subheadline) == ("storm-ports", "4", "WEATHER-STORM/", "")


def test_a_file_without_body_content_has_no_body_and_says_so():
    """No body.content: an empty body and a warning, not another element's text."""
    note = b"<note><body.content><p>Not the story.</p></body.content></note>"
    story = parse(
        b"<nitf><body><body.head><hedline><hl1>Only a headline</hl1></hedline>" + note + b"</body.head></body></nitf>"
    )
    assert story.headline == "Only a headline" and story.body_html == ""
    assert any("no body.content" in warning for warning in story.warnings)


def test_ap_feed_without_guid_imports_with_a_derived_one(agencies):
    """AP's regsrc-only file: the importer derives a GUID; AP credited, dateline from the location."""
    data = read("nitf/ap-regsrc-only.xml")
    item = receive(data, filename="ap.xml")[0]
    assert item.outcome == WireItem.Outcome.CREATED and item.guid_derived
    article = item.article
    assert article.wire_service.slug == "ap" and article.dateline == "NEW YORK"
    assert article.body.startswith("<p>Branch libraries across New York")
    assert receive(data, filename="ap.xml")[0].outcome == WireItem.Outcome.DUPLICATE
