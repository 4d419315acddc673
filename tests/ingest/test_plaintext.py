import pytest

from articles.ingest.plaintext import parse
from articles.ingest.story import WireParseError
from paywall.demo import REFERENCE_PROMPT as SUBSCRIPTION_PROMPT
from tests.conftest import REFERENCE_STORY, reference_paragraphs
from tests.ingest.conftest import read


def test_reference_story():
    """The Kyodo file: credit Kyodo, no headline, fourteen paragraphs, the paper's prompt stripped."""
    story = parse(REFERENCE_STORY.read_bytes(), boilerplate=SUBSCRIPTION_PROMPT)
    assert story.credit == "Kyodo" and story.headline == "" and story.dateline == ""
    assert story.paragraphs == reference_paragraphs()


def test_without_boilerplate_the_prompt_stays():
    """Nothing is stripped unless the desk lists it."""
    story = parse(REFERENCE_STORY.read_bytes())
    assert story.paragraphs[-1].startswith("In a time of both misinformation")


def test_byline_with_agency():
    """'By NAME (AP)' gives a byline and the agency credit; the lede's dateline is lifted out."""
    story = parse("By Jane Doe (AP)\n\nNEW YORK (AP) — The lede.\n\nMore.".encode())
    assert (story.byline, story.credit, story.dateline) == ("Jane Doe", "AP", "NEW YORK")
    assert story.paragraphs == ["The lede.", "More."]


def test_agency_only_dateline():
    """'(Reuters) - ' at the start of the lede credits Reuters."""
    story = parse(b"(Reuters) - Markets fell.\r\n\r\nSecond.")
    assert story.credit == "Reuters" and story.paragraphs == ["Markets fell.", "Second."]


def test_windows_1252_and_bom():
    """Windows-1252 text and UTF-8 with a BOM both decode."""
    assert parse("“Quoted” text".encode("cp1252")).paragraphs == ["“Quoted” text"]
    assert parse("\ufeff• Kyodo\n\n共同通信の記事。".encode("utf-8")).paragraphs == ["共同通信の記事。"]


@pytest.mark.parametrize("data", [b"", b"   \n\n  ", "• Kyodo\n\n".encode()])
def test_empty_files_are_refused(data):
    """A file with no story text is refused with a reason."""
    with pytest.raises(WireParseError):
        parse(data)


# Per fixture: what the desk should get. "paragraphs" is (count, first, last).
EXPECTED = {
    # The reference story: "• Kyodo", no headline, fourteen paragraphs once the paper's prompt is stripped.
    "reference": {
        "headline": "",
        "paragraphs": (14, reference_paragraphs()[0], reference_paragraphs()[-1]),
        "byline": "",
        "credit": "Kyodo",
        "dateline": "",
        "agency_codes": ["Kyodo"],
        "version": "1",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "",
    },
    # Headline with markup, "By NAME" with the agency's name under it, "SEOUL, South Korea (AP) —".
    "text/ap-seoul-byline.txt": {
        "headline": "Seoul opens its first night-time public library & reading garden",
        "paragraphs": (
            4,
            "Seoul opened its first public library that stays open all night on Tuesday, a move city officials say "
            "answers students' complaints that study rooms close too early.",
            "The city plans two more by the end of next year.",
        ),
        "byline": "KIM SORA",
        "credit": "Associated Press",
        "dateline": "SEOUL, South Korea",
        "agency_codes": ["Associated Press", "AP"],
        "version": "1",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "",
    },
    # "BEIRUT (Reuters) -", paragraphs marked by indentation alone, hard-wrapped.
    "text/reuters-beirut-indented.txt": {
        "headline": "Beirut port reopens its rebuilt grain terminal",
        "paragraphs": (
            4,
            "Beirut's port reopened its rebuilt grain terminal on Tuesday, the port authority said, ending a gap of "
            "several years in which wheat shipments were unloaded in the open air.",
            "(Reporting by Maya Khoury; Editing by Tom Hale)",
        ),
        "byline": "",
        "credit": "Reuters",
        "dateline": "BEIRUT",
        "agency_codes": ["Reuters"],
        "version": "1",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "",
    },
    # Windows-1252 with CRLF, "By NAME" and "dpa" under it, "London (dpa) -".
    "text/dpa-london-cp1252.txt": {
        "headline": "Thames ferries to run every 15 minutes",
        "paragraphs": (
            2,
            "Passenger ferries on the Thames will run every 15 minutes from May, the operator said on Monday, "
            "after a £12 million upgrade of its piers.",
            "“It is the biggest change to the timetable in a decade,” a spokeswoman said.",
        ),
        "byline": "Anna Berger",
        "credit": "dpa",
        "dateline": "London",
        "agency_codes": ["dpa"],
        "version": "1",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "",
        "warnings": ["not UTF-8; read as Windows-1252"],
    },
    # Kyodo in Japanese: "• 共同" and the 【ソウル共同】 dateline.
    "text/kyodo-ja.txt": {
        "headline": "ソウルに夜間図書館が開館",
        "paragraphs": (
            3,
            "ソウル市は２日、夜通し利用できる市内初の公立図書館を開館した。",
            "市は来年末までにさらに２館を設ける計画だ。",
        ),
        "byline": "",
        "credit": "共同",
        "dateline": "ソウル",
        "agency_codes": ["共同"],
        "version": "1",
        "embargo_until": None,
        "slugline": "",
        "priority": "",
        "language": "ja",
    },
}


def sample(name):
    if name == "reference":
        return parse(REFERENCE_STORY.read_bytes(), boilerplate=SUBSCRIPTION_PROMPT)
    return parse(read(name))


def summary(story, name):
    if name == "paragraphs":
        return (len(story.paragraphs), story.paragraphs[0], story.paragraphs[-1])
    return getattr(story, name)


@pytest.mark.parametrize("name", EXPECTED)
def test_sample_structures(name):
    """Each plain-text structure gives the headline, paragraphs, byline, credit and dateline the desk needs."""
    story = sample(name)
    expected = EXPECTED[name]
    assert {field: summary(story, field) for field in expected} == expected
    assert story.guid.startswith("text:") and sample(name).guid == story.guid  # the same text, the same story


@pytest.mark.parametrize(
    ("lede", "dateline", "credit", "rest"),
    [
        ("TOKYO, Sept. 26 (Reuters) - Stocks rose.", "TOKYO", "Reuters", "Stocks rose."),
        ("ATLANTA (AP) _ The Hawks won.", "ATLANTA", "AP", "The Hawks won."),
        ("【ワシントン＝共同】米政府は…", "ワシントン", "共同", "米政府は…"),
        ("【北京時事】中国政府は…", "北京", "時事", "中国政府は…"),
        ("The firm (Acme) - a maker of tools - said so.", "", "", "The firm (Acme) - a maker of tools - said so."),
    ],
)
def test_lede_datelines(lede, dateline, credit, rest):
    """The lede's dateline signatures: place (a date after the comma dropped), agency, and the lede without them."""
    story = parse(f"Some headline\n\n{lede}\n\nMore.".encode())
    assert (story.dateline, story.credit, story.paragraphs[0]) == (dateline, credit, rest)


def test_a_sentence_starting_with_by_is_not_a_byline():
    """A sentence starting "By the end of the year…" is text, not a byline."""
    story = parse(b"By the end of the year, prices rose.\n\nMore.")
    assert story.byline == "" and story.paragraphs == ["By the end of the year, prices rose.", "More."]


def test_a_writers_title_under_the_byline_is_not_text():
    """A byline, then "AP Sports Writer": the title is dropped, not a paragraph or a credit."""
    story = parse(b"By CHARLES ODUM\nAP Sports Writer\n\nATLANTA (AP) -- The Hawks won.")
    assert (story.byline, story.credit, story.paragraphs) == ("CHARLES ODUM", "AP", ["The Hawks won."])


def test_lines_indented_alike_are_each_a_paragraph():
    """ANPA-style text: every line indented, no blank lines: one paragraph a line."""
    story = parse(b"\t   First paragraph.\n\t   Second paragraph.\n\t   Third.")
    assert story.paragraphs == ["First paragraph.", "Second paragraph.", "Third."]
