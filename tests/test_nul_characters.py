"""
An address with a NUL character (%00) in its path or parameters is answered
400 at every door, on both databases; PostgreSQL once turned a tag slug or a
desk filter holding one into a 500.
"""

import pytest

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "/tags/a%00b/",
    "/search/?q=a%00b",
    "/authors/a%00b/",
    "/world/a%00b/",
    "/world/?before=%00",
    "/feeds/tags/a%00b/rss/",
    "/paywall/decide/1/?slots=%00&ref=a%00b",
    "/account/login/?next=%00",
    "/admin/articles/article/?tag=a%00b",
    "/admin/articles/article/?q=a%00b",
    "/admin/articles/article/?a%00b=1",
    "/admin/paywall/prompt/?q=a%00b",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_nul_character_in_the_address_is_a_bad_request(admin_client, make_article, address):
    make_article(tags=["Japan"])
    assert admin_client.get(address).status_code == 400


def test_ordinary_addresses_still_answer(client, make_article):
    story = make_article(tags=["Japan"])
    for address in ("/tags/japan/", "/search/?q=japan", story.get_absolute_url()):
        assert client.get(address).status_code == 200
    assert client.get("/tags/%E9%89%84%E9%81%93/").status_code == 404  # a tag nobody has: found nothing, no 400
