"""ANPA 1312 and IPTC 7901: the envelope, the text, the identity, and import through the importer."""

import re
from datetime import UTC, datetime

import pytest

from articles.ingest import formats
from articles.ingest.anpa import parse
from articles.ingest.story import PubStatus, WireParseError
from articles.models import WireItem
from articles.services.ingest import receive
from tests.ingest.conftest import read
from tests.ingest.stories import fields_of

EXPECTED = {
    # The AP's writethru: SYN SYN SOH, keyword line with "1stLd-Writethru", "^" lines, tab paragraphs, ETX trailer.
    "anpa/ap-writethru.tst": {
        "format": "anpa",
        "headline": "Late goal lifts Harbor City past Rovers 2-1",
        "dek": "Mia Torres scored in stoppage time — her first goal of the season — and Harbor City beat the Rovers "
        "2-1 on Saturday night.",
        "paragraphs": (
            9,
            "Mia Torres scored in stoppage time — her first goal of the season — and Harbor City beat the Rovers "
            "2-1 on Saturday night.",
            "Rovers: Host Northport on Saturday.",
        ),
        "byline": "By DANIEL OKAFOR",
        "dateline": "PORTLAND, Maine",
        "agency_codes": ["AP"],
        "guid": "anpa:AP:SOC--Harbor-Rovers:2026-03-14",
        "version": "2",
        "embargo_until": None,
        "slugline": "BC-SOC--Harbor-Rovers 1stLd-Writethru",
        "priority": "u",
        "language": "",
        "first_created": datetime(2026, 3, 14, 22, 10, tzinfo=UTC),
        "ed_note": "AP Photo HCR101, HCR102; Harbor City 2, Rovers 1. Updates with quotes. With AP Photos.",
        "subjects": [("anpa-category:s", "")],
        "keywords": ["SOC"],
    },
    # The story it leads: no version words, bulletin priority; the same GUID, version 1.
    "anpa/ap-original.tst": {
        "format": "anpa",
        "headline": "Harbor City beats Rovers 2-1 on late goal",
        "dek": "",
        "paragraphs": (
            3,
            "Mia Torres scored in stoppage time and Harbor City beat the Rovers 2-1 on Saturday night.",
            "Harbor City equalized in the 58th minute through Noor Haddad.",
        ),
        "byline": "By DANIEL OKAFOR",
        "dateline": "PORTLAND, Maine",
        "agency_codes": ["AP"],
        "guid": "anpa:AP:SOC--Harbor-Rovers:2026-03-14",
        "version": "1",
        "embargo_until": None,
        "slugline": "BC-SOC--Harbor-Rovers",
        "priority": "b",
        "language": "",
        "ed_note": "",
    },
    # dpa's IPTC 7901: SOH header, keyword line, " =" heading, hard-wrapped paragraphs, notebook, signature.
    "anpa/dpa-iptc7901.txt": {
        "format": "iptc7901",
        "headline": "Japan's harbour towns bet on a ferry revival",
        "dek": "",
        "paragraphs": (
            3,
            "Small harbour towns along Japan's Seto Inland Sea are betting on new electric ferries to bring back "
            "visitors, local officials said Friday.",
            '"We used to have a ferry every hour. Now it\'s four a day," said one harbourmaster. '
            '"People stopped coming."',
        ),
        "byline": "",
        "dateline": "Osaka",
        "agency_codes": ["dpa"],
        "guid": "iptc7901:ecb:117:2026-03-14",
        "version": "1",
        "embargo_until": None,
        "slugline": "Japan-transport/",
        "priority": "3",
        "language": "",
        "first_created": datetime(2026, 3, 14, 9, 12, tzinfo=UTC),
        "ed_note": "dpa NOTEBOOK; The following information is not for publication; dpa Contacts; "
        "Reporting by: Anna Berger; Editing by: Tom Weiss; Tel: +49 30 0000 0000; desk@example.com",
        "subjects": [("anpa-category:i", "")],
    },
}


@pytest.mark.parametrize("relative", EXPECTED)
def test_sample_structures(relative):
    """Each ANPA/IPTC 7901 structure gives the headline, text, credit and identity the desk needs."""
    story = parse(read(relative))
    expected = EXPECTED[relative]
    assert fields_of(story, expected, paragraphs_of=lambda story: story.paragraphs) == expected


@pytest.mark.parametrize("relative", EXPECTED)
def test_no_control_characters_or_format_codes_reach_the_text(relative):
    """Control characters, "^", "<", "=" codes and the AP's `` '' quotes never reach the story's text."""
    story = parse(read(relative))
    for text in [story.headline, story.dek, story.byline, story.ed_note, *story.paragraphs]:
        assert not re.search(r"[\x00-\x1f\x7f]|^\^|[<=]$|``|''", text), text


@pytest.mark.parametrize("relative", EXPECTED)
def test_detected_by_content(relative):
    """SOH after optional SYN fill is ANPA/IPTC 7901, whatever the file's name."""
    assert formats.detect(read(relative)) == "anpa"


def test_detected_when_a_gateway_dropped_the_start_of_header():
    """Without SYN and SOH, the typical header before STX still says ANPA."""
    data = read("anpa/ap-writethru.tst")
    assert formats.detect(data[data.index(b"\n") + 1 :]) == "anpa"
    assert formats.detect(b"u s BC-Plain-Text   03-14 0450\r\nNo start of text here.\r\n") == "text"


def test_without_start_of_text_it_is_refused():
    """A header with no STX has no story in it: refused with the reason."""
    with pytest.raises(WireParseError, match="no start of text"):
        parse(b"\x16\x16\x01z4821\x1f-----\nu s\x13\x11 BC-SOC--Harbor-Rovers   03-14 0450\r\n")


def test_a_kill_cancels_the_story():
    """An AP kill (Eds: KILL … / a "Kill" version) is a cancellation with the agency's words as its notice."""
    data = read("anpa/ap-original.tst").replace(b"^By DANIEL", b"^Eds: KILL. The score was wrong.<\r\n^By DANIEL")
    story = parse(data)
    assert story.pubstatus == PubStatus.CANCELED and story.notice == "KILL. The score was wrong."


def test_an_add_is_a_take_of_its_own():
    """A "1st Add" continues the story: its own GUID (it is not an update), and the desk is told."""
    data = read("anpa/ap-original.tst").replace(b"Harbor-Rovers   03-14", b"Harbor-Rovers 1stAdd   03-14")
    story = parse(data)
    assert story.guid == "anpa:AP:SOC--Harbor-Rovers:2026-03-14:take2"
    assert any("take 2" in warning for warning in story.warnings)


def test_embargo_in_a_note_is_flagged_for_the_desk():
    """ANPA has no embargo field: a note that mentions one warns the desk."""
    data = read("anpa/ap-original.tst").replace(b"^By DANIEL", b"^Eds: Embargoed until 2300 GMT.<\r\n^By DANIEL")
    story = parse(data)
    assert story.embargo_until is None and any("embargo" in warning for warning in story.warnings)


def test_the_writethru_updates_the_story_it_leads(agencies):
    """Through the importer: the original makes an AP draft, the 1stLd-Writethru updates it; raw kept byte for byte."""
    original, writethru = read("anpa/ap-original.tst"), read("anpa/ap-writethru.tst")
    first = receive(original, filename="ap-original.tst")[0]
    assert (first.outcome, first.format, first.wire_service.slug) == (WireItem.Outcome.CREATED, "anpa", "ap")
    assert bytes(WireItem.objects.get(pk=first.pk).raw) == original
    second = receive(writethru, filename="ap-writethru.tst")[0]
    assert second.outcome == WireItem.Outcome.UPDATED and second.article_id == first.article_id
    article = second.article
    assert article.headline == "Late goal lifts Harbor City past Rovers 2-1" and article.wire_version == "2"
    assert article.dateline == "PORTLAND, Maine" and article.wire_byline == "By DANIEL OKAFOR"
    assert article.body.startswith("<p>Mia Torres scored in stoppage time — her first goal")
    assert (second.slugline, second.priority) == ("BC-SOC--Harbor-Rovers 1stLd-Writethru", "u")


def test_iptc7901_imports_as_dpa(agencies):
    """dpa's IPTC 7901 file: a dpa draft, its notebook kept for the editors only."""
    item = receive(read("anpa/dpa-iptc7901.txt"), filename="dpa.txt")[0]
    assert item.outcome == WireItem.Outcome.CREATED and item.wire_service.slug == "dpa"
    assert "not for publication" in item.ed_note and "NOTEBOOK" not in item.article.body
    assert item.article.body.count("<p>") == 3
