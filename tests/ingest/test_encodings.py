"""How wire files' bytes become text: BOMs, mis-declared encodings, and mojibake that never reaches a draft."""

import codecs

import pytest

from articles.ingest import newsml, ninjs
from articles.ingest.cleanup import EncodingError, decode, repair_mojibake
from articles.ingest.story import WireParseError
from tests.ingest.conftest import read
from tests.ingest.stories import paragraphs, story_from

HEADLINE = "Café-Besitzer in München begrüßen die Senkung"
FIRST = "Die Gebühr sinkt um 12 € – «endlich», sagt Frau Müller."
LAST = "Auch Gäste aus Tōkyō (東京) freuen sich."


@pytest.mark.parametrize(
    ("relative", "warnings"),
    [
        ("encodings/newsml-utf16le-bom.xml", []),
        ("encodings/newsml-utf16be-bom.xml", []),
        ("encodings/newsml-latin1-declared-utf8.xml", ["declared ISO-8859-1 but is UTF-8; read as UTF-8"]),
        ("encodings/newsml-cp1252-declared-utf8.xml", ["declared WINDOWS-1252 but is UTF-8; read as UTF-8"]),
    ],
)
def test_the_text_arrives_intact(relative, warnings):
    """UTF-16 by its BOM, either byte order; a UTF-8 file declared Latin-1 is read as UTF-8 and the desk told."""
    story = story_from(newsml.parse, relative)
    assert (story.headline, story.byline) == (HEADLINE, "Von Jürgen Weiß")
    assert paragraphs(story) == [FIRST, LAST]
    assert story.warnings == warnings
    assert "Ã" not in story.headline + story.body_html


def test_a_real_latin1_file_is_read_as_latin1():
    """A file that is what it declares (ISO-8859-1, not valid UTF-8) is read as declared, without a warning."""
    story = story_from(newsml.parse, "encodings/newsml-latin1-real.xml")
    assert story.headline == HEADLINE and story.warnings == []
    assert paragraphs(story)[0] == "Die Gebühr sinkt um 12 Euro - «endlich», sagt Frau Müller."


def test_a_latin1_file_declared_utf8_is_refused_with_the_byte_offset():
    """Declared UTF-8 but Latin-1: refused, naming the byte and where it is, as before."""
    with pytest.raises(WireParseError, match=r"byte 0xe9 at position \d+ is not valid UTF-8"):
        newsml.parse(read("encodings/newsml-utf8-declared-latin1.xml"))


def test_ninjs_mojibake_is_repaired_and_reported():
    """Mojibake in an agency's JSON ("CafÃ©") becomes "Café"; real "Straße»" is left alone; the desk is told."""
    story = story_from(ninjs.parse, "encodings/ninjs-mojibake.json")
    assert story.headline == "Café-Besitzer begrüßen die Senkung"
    assert paragraphs(story) == [
        "Die Gebühr sinkt um 12 € – «endlich», sagt Frau Müller.",
        "Straße und Straße» bleiben, wie sie sind.",
    ]
    assert story.warnings == ["repaired 10 mis-decoded character(s) (such as “Ã©” for “é”)"]


def test_ninjs_in_utf16_with_a_bom():
    """ninjs JSON in UTF-16 with a BOM is read."""
    story = story_from(ninjs.parse, "encodings/ninjs-utf16le-bom.json")
    assert story.headline == "Grüße aus Tōkyō" and paragraphs(story) == ["東京 – München"]


def test_ninjs_that_is_not_utf8_is_refused():
    """JSON in Latin-1 is refused with the byte and its offset."""
    with pytest.raises(WireParseError, match=r"The JSON is not UTF-8 \(byte 0xe9 at position 17\)"):
        ninjs.parse('{"headline": "Café"}'.encode("latin-1"))


@pytest.mark.parametrize(
    ("data", "declared", "text", "encoding", "warnings"),
    [
        (codecs.BOM_UTF8 + "é".encode(), "", "é", "utf-8", []),
        (codecs.BOM_UTF16_LE + "<é>".encode("utf-16-le"), "", "<é>", "utf-16-le", []),
        (codecs.BOM_UTF32_LE + "<é>".encode("utf-32-le"), "", "<é>", "utf-32-le", []),
        ("<é>".encode("utf-16-le"), "", "<é>", "utf-16-le", []),  # no BOM: the zero bytes tell
        ("<é>".encode("utf-16-be"), "", "<é>", "utf-16-be", []),
        ("<é>".encode(), "us-ascii", "<é>", "utf-8", ["declared US-ASCII but is UTF-8; read as UTF-8"]),
        ("<é>".encode(), "UTF-16", "<é>", "utf-8", ["declared UTF-16 but is not; read as UTF-8"]),
        ("<é>".encode("latin-1"), "latin1", "<é>", "iso8859-1", []),
        (b"<plain ascii>", "ISO-8859-1", "<plain ascii>", "iso8859-1", []),
    ],
)
def test_decode(data, declared, text, encoding, warnings):
    """The BOM wins, then UTF-16's zero bytes, then the declaration, unless a Latin one hides UTF-8."""
    decoded = decode(data, declared=declared)
    assert (decoded.text, decoded.encoding, decoded.warnings) == (text, encoding, warnings)


def test_decode_refuses_an_unknown_encoding():
    """An encoding Python does not know is refused by name."""
    with pytest.raises(EncodingError, match="unknown character encoding, “x-klingon”"):
        decode(b"<a/>", declared="x-klingon")


@pytest.mark.parametrize(
    ("text", "repaired", "count"),
    [
        ("CafÃ©", "Café", 1),
        ("â€œQuoteâ€\x9d â€“ itâ€™s", "“Quote” – it’s", 4),
        ("12 â‚¬, â„¢", "12 €, ™", 2),
        ("Straße» «déjà» SÃO PAULO", "Straße» «déjà» SÃO PAULO", 0),  # real text stays
        ("Ã alone", "Ã alone", 0),
    ],
)
def test_repair_mojibake(text, repaired, count):
    """UTF-8 read as Windows-1252 is put right; text that merely contains Ã or â is not touched."""
    assert repair_mojibake(text) == (repaired, count)
