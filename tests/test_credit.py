import pytest

from articles.credit import build_credit_line


@pytest.mark.parametrize(
    ("authors", "agency", "override", "expected"),
    [
        (["Jane Doe"], "", "", "By Jane Doe"),
        (["Jane Doe", "John Roe"], "", "", "By Jane Doe and John Roe"),
        (["Jane Doe", "John Roe", "Ann Poe"], "", "", "By Jane Doe, John Roe and Ann Poe"),
        ([], "Kyodo", "", "Kyodo"),
        (["Jane Doe"], "Kyodo", "", "By Jane Doe and Kyodo"),
        (["Jane Doe", "John Roe"], "Kyodo", "", "By Jane Doe, John Roe and Kyodo"),
        (["Jane Doe"], "Kyodo", "Staff and wire reports", "Staff and wire reports"),
        ([], "", "Editorial board", "Editorial board"),
        ([], "", "   ", ""),
        ([], "", "", ""),
    ],
)
def test_credit_line_rule(authors, agency, override, expected):
    """Staff, wire, staff with wire, and override each credit as the guide says."""
    assert build_credit_line(author_names=authors, agency_credit=agency, override=override) == expected


def test_article_credit_line_uses_byline_order(make_article, make_author, kyodo):
    """An article credits its authors in byline order, then the agency."""
    second, first = make_author("Zoe Abe"), make_author("Adam Zed")
    article = make_article(authors=[second, first], wire_service=kyodo)
    assert article.credit_line == "By Zoe Abe, Adam Zed and Kyodo"


def test_wire_only_article_is_credited_to_agency(make_article, kyodo):
    """A wire story with no staff author is credited as the agency prints it."""
    assert make_article(wire_service=kyodo).credit_line == "Kyodo"
