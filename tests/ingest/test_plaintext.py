import pytest

from articles.demo.stories import SUBSCRIPTION_PROMPT
from articles.ingest.plaintext import parse
from articles.ingest.story import WireParseError
from tests.conftest import REFERENCE_STORY, reference_paragraphs


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
