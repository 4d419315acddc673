"""
Numbers in addresses and wire attributes that `str.isdigit()` accepts and
`int()` cannot read ("²", Arabic-Indic digits) or will not read (over 4,300
digits): every door answers them, none with a 500.
"""

import pytest

from articles.params import whole_number
from paywall.models import Prompt

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
ODD_NUMBERS = ["²", "٣", "１２", "9" * 5000, "-1", " 1", ""]


@pytest.mark.parametrize("value, expected", [("12", 12), ("007", 7), ("9" * 18, int("9" * 18))])
def test_whole_numbers_are_read(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("value", [*ODD_NUMBERS, "9" * 19])
def test_anything_else_is_not_a_number(value):
    assert whole_number(value) is None


@pytest.mark.parametrize("value", ODD_NUMBERS)
@pytest.mark.parametrize(
    "address",
    ["/world/?before={}", "/world/?after={}", "/?page={}", "/search/?q=japan&page={}", "/tags/japan/?before={}"],
)
def test_reader_pages_answer_odd_numbers(client, make_article, address, value):
    make_article(tags=["Japan"])
    assert client.get(address.format(value)).status_code in (200, 301, 302, 404)


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_paywall_addresses_answer_odd_numbers(client, value):
    prompt = Prompt.objects.create(name="P", cta_url="/account/", placement="article_end")
    for address in (f"/paywall/go/{prompt.pk}/", f"/paywall/seen/{prompt.pk}.gif"):
        assert client.get(address, {"v": value}, headers={"User-Agent": BROWSER}).status_code < 400


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_the_prompt_preview_answers_odd_numbers(client, paywall_manager, make_article, value):
    make_article()
    prompt = Prompt.objects.create(name="P", cta_url="/account/", placement="article_end")
    client.force_login(paywall_manager)
    response = client.get(f"/admin/paywall/prompt/{prompt.pk}/preview/", {"article": value, "version": value})
    assert response.status_code == 200


def test_a_nitf_source_level_that_is_no_number_is_ingested(agencies):
    """A `level-number="²"` once raised in the parser; the story now arrives like any other."""
    from pathlib import Path

    from articles.services.ingest import receive

    sample = Path(__file__).parent / "fixtures" / "wire" / "nitf" / "iptc-tides-canceled.xml"
    data = sample.read_bytes().replace(b'level-number="2"', 'level-number="²"'.encode())
    item = receive(data, filename="odd-level.xml")[0]
    assert item.error == "" and item.article is not None
