"""NewsML 1.x, as AFP sends it: every fixture's story, field by field, and the rules behind them."""

from datetime import UTC, datetime

import pytest

from articles.ingest import formats, newsml1
from articles.ingest.story import ItemKind, PubStatus, WireParseError
from tests.ingest.conftest import read
from tests.ingest.stories import story_from, summary

TRAINS = "urn:newsml:afp.com:20261120:TX-PAR-KTE42"

CASES = [
    pytest.param(
        "newsml1/afp-text-photo.xml",
        {"headline": "Night trains return to the Paris–Berlin line",
         "dek": "Sleeper service resumes after a four-year gap",
         "first": "Night trains between Paris and Berlin will run again from December, the two rail operators said "
                  "on Friday.",
         "last": '"Travellers want to sleep, not fly," the transport ministry said, adding that fares would start at '
                 "59 euros.",
         "count": 3, "byline": "Claire Dubois", "dateline": "PARIS, Nov 20, 2026", "agency_codes": ["afp.com", "AFP"],
         "guid": TRAINS, "version": "2", "embargo_until": None, "slugline": "France-Germany-transport-rail",
         "priority": "3", "language": "en", "kind": ItemKind.TEXT, "links": [], "place": "Paris",
         "first_created": datetime(2026, 11, 20, 8, 10, tzinfo=UTC),
         "version_time": datetime(2026, 11, 20, 9, 15, tzinfo=UTC),
         "ed_note": "Updates with ministry comment in paragraph 3.", "copyright_holder": "AFP",
         "copyright_notice": "Copyright AFP 2026", "usage_terms": "No archiving after 30 days",
         "subjects": [("subj:04000000", ""), ("subj:04015000", ""), ("subj:04015002", "")],
         "keywords": ["rail", "transport", "sleeper trains"]},
        id="text-with-photo",
    ),
    pytest.param(
        "newsml1/afp-withdrawn.xml",
        {"headline": "WITHDRAWN - Night trains story", "first": "This story has been withdrawn.",
         "last": "Please do not use it.", "count": 2, "byline": "", "dateline": "", "agency_codes": ["afp.com", "AFP"],
         "guid": TRAINS, "version": "3", "embargo_until": None, "slugline": "", "priority": "2", "language": "",
         "kind": ItemKind.TEXT, "links": [], "pubstatus": PubStatus.CANCELED,
         "notice": "This story has been withdrawn: the service start date was wrong."},
        id="withdrawn",
    ),
    pytest.param(
        "newsml1/afp-embargoed-plain.xml",
        {"headline": "Budget : la ville de Lyon gèle ses tarifs",
         "first": "La ville de Lyon ne relèvera pas ses tarifs de cantine ni de piscine en 2027, a annoncé lundi le "
                  "maire.",
         "last": "« Nous tenons nos engagements », a-t-il déclaré.", "count": 3, "byline": "Julie Leroy",
         "dateline": "LYON, 1 déc 2026", "agency_codes": ["AFP"], "guid": "urn:newsml:afp.com:20261130:TX-PAR-BUD07",
         "version": "1", "embargo_until": datetime(2026, 12, 1, 5, 0, tzinfo=UTC), "slugline": "", "priority": "4",
         "language": "fr", "kind": ItemKind.TEXT, "links": [], "pubstatus": PubStatus.EMBARGOED, "place": "LYON",
         "correction_note": "Corrige le montant du budget au deuxième paragraphe.", "ed_note": ""},
        id="embargoed-plain-text",
    ),
    pytest.param(
        "newsml1/afp-photo.xml",
        {"headline": "Sleeper train at dawn", "count": 0, "agency_codes": ["afp.com", "AFP"],
         "guid": "urn:newsml:afp.com:20261120:PH-PAR-SLP01", "version": "1", "embargo_until": None, "priority": "",
         "kind": ItemKind.PICTURE, "links": []},
        id="photo-only",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("relative", "expected"), CASES)
def test_fixture(relative, expected):
    """Each fixture's story has the headline, paragraphs, byline, codes, identity, kind and links listed."""
    assert summary(story_from(newsml1.parse, relative), expected) == expected


def test_detected_by_its_root_element():
    """A file whose root is <NewsML> is NewsML 1.x, DOCTYPE and all; the remote DTD is never fetched."""
    kind, stories = formats.parse(read("newsml1/afp-text-photo.xml"))
    assert kind == "newsml1" and len(stories) == 1 and stories[0].format == "newsml1"


def test_photo_component_becomes_the_stories_image():
    """The photo component: its HighDef rendition (the widest), its caption, photographer / credit line."""
    story = story_from(newsml1.parse, "newsml1/afp-text-photo.xml")
    assert [vars(image) for image in story.images] == [
        {
            "href": "https://media.afp.example/sleeper-hd.jpg",
            "caption": "A refurbished sleeper carriage at the Gare de l'Est in Paris on November 19, 2026.",
            "alt_text": "",
            "credit": "Luc Martin / AFP",
        }
    ]


def test_renditions_without_sizes_are_ranked_by_role():
    """Without widths, the Preview rendition beats the Thumbnail."""
    story = story_from(newsml1.parse, "newsml1/afp-photo.xml")
    assert story.images[0].href == "sleeper-dawn.jpg"
    assert story.images[0].caption == "A sleeper train arrives in Berlin at dawn on November 20, 2026."


def test_revisions_share_one_guid():
    """Revision 2 and its withdrawal (revision 3) name the same story: the GUID leaves the revision out."""
    first = story_from(newsml1.parse, "newsml1/afp-text-photo.xml")
    second = story_from(newsml1.parse, "newsml1/afp-withdrawn.xml")
    assert first.guid == second.guid and (first.version, second.version) == ("2", "3")


def test_header_block_and_anpa_codes_stay_out_of_the_body():
    """The agency's header ("LYON / 06:00") atop the text, and a line-end "=" (an ANPA code), stay out."""
    story = story_from(newsml1.parse, "newsml1/afp-embargoed-plain.xml")
    assert story.paragraphs[1] == "Le budget, de 1,2 milliard d'euros, reste stable."
    assert story.warnings == [
        "Taken out of the top of the body (the agency's header block, or the headline or byline repeated): LYON / 06:00"
    ]


def test_every_news_item_is_a_story():
    """A NewsML file with two NewsItems gives two stories."""
    item = read("newsml1/afp-withdrawn.xml").split(b"<NewsItem>")[1].split(b"</NewsItem>")[0]
    later = item.replace(b">3<", b">4<")
    data = b"<NewsML><NewsItem>" + item + b"</NewsItem><NewsItem>" + later + b"</NewsItem></NewsML>"
    assert [story.version for story in newsml1.parse(data)] == ["3", "4"]


def test_without_news_items_it_is_refused():
    """A NewsML envelope with nothing in it is refused with a reason."""
    with pytest.raises(WireParseError, match="no NewsItem"):
        newsml1.parse(b"<NewsML><NewsEnvelope/></NewsML>")
