"""
The desk's story list at newspaper scale, through the admin's real pages:
its search reads indexes (the search engine for the published archive, the
status-carrying desk index for work in progress), its count stops at a cap,
and its filters answer for small sets without walking the archive.
"""

import pytest
from django.utils import timezone

from articles.admin.articles import NewestStoriesPaginator
from articles.models import Article, Status

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"


def headlines(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return sorted(article.headline for article in response.context["cl"].result_list)


def test_search_finds_work_in_progress_by_headline_and_the_archive_by_its_text(editor_client, make_article):
    make_article(headline="Harbour draft", status=Status.DRAFT)
    make_article(headline="Harbour in review", status=Status.IN_REVIEW)
    make_article(headline="Published piece", paragraphs=["The harbour reopened on Monday."])
    make_article(headline="Unrelated", paragraphs=["Nothing here."])
    assert headlines(editor_client, q="harbour") == ["Harbour draft", "Harbour in review", "Published piece"]
    assert headlines(editor_client, q="harbour review") == ["Harbour in review"]


def test_search_finds_embargoed_scheduled_and_trashed_stories_by_headline(editor_client, make_article):
    later = timezone.now() + timezone.timedelta(hours=3)
    make_article(headline="Embargoed harbour", embargo_until=later)
    make_article(headline="Scheduled harbour", status=Status.SCHEDULED, published_at=later)
    make_article(headline="Trashed harbour", trashed_at=timezone.now())
    assert headlines(editor_client, q="harbour") == ["Embargoed harbour", "Scheduled harbour"]
    assert headlines(editor_client, q="harbour", trash="yes") == ["Trashed harbour"]


def test_search_finds_a_tag_by_name_and_a_wire_guid_exactly(editor_client, make_article, kyodo):
    make_article(headline="Tagged", tags=["Ferry Services"])
    make_article(headline="From the wire", wire_service=kyodo, wire_guid="urn:kyodo:2026:1234", status=Status.DRAFT)
    assert headlines(editor_client, q="ferry services") == ["Tagged"]
    assert headlines(editor_client, q="urn:kyodo:2026:1234") == ["From the wire"]
    assert headlines(editor_client, q="urn:kyodo:2026") == []  # a GUID matches whole, not in part


def test_a_reporter_searches_only_the_stories_they_may_open(client, reporter, make_article):
    make_article(headline="Someone's harbour draft", status=Status.DRAFT)
    make_article(headline="Harbour in review", status=Status.IN_REVIEW)
    client.force_login(reporter)
    assert headlines(client, q="harbour") == ["Harbour in review"]


def test_the_list_counts_up_to_a_cap_and_says_so(editor_client, make_article, monkeypatch):
    monkeypatch.setattr(NewestStoriesPaginator, "cap", 3)
    for _ in range(5):
        make_article()
    response = editor_client.get(CHANGELIST)
    html = response.content.decode()
    assert "The newest 3 stories; narrow the list with the filters or the search to see older ones." in html
    assert response.context["cl"].paginator.capped
    monkeypatch.setattr(NewestStoriesPaginator, "cap", 10)
    response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 5 and not response.context["cl"].paginator.capped
    assert "The newest" not in response.content.decode()


def test_a_short_list_is_still_read_a_page_at_a_time(editor_client, make_article):
    make_article(headline="Only one")
    response = editor_client.get(CHANGELIST)
    assert response.context["cl"].result_list.query.high_mark == 50
    assert [a.headline for a in response.context["cl"].result_list] == ["Only one"]


@pytest.mark.parametrize(
    ("desk", "expected"),
    [
        ("in_review", ["In review"]),
        ("embargoed", ["Embargoed"]),
        ("scheduled", ["Scheduled"]),
        ("needs_headline", [""]),
        ("today", ["Embargoed", "Published today", "Scheduled"]),
    ],
)
def test_the_desk_views_of_small_sets(editor_client, make_article, desk, expected):
    now = timezone.now()
    make_article(headline="In review", status=Status.IN_REVIEW)
    make_article(headline="Embargoed", embargo_until=now + timezone.timedelta(hours=2), published_at=now)
    make_article(headline="Scheduled", status=Status.SCHEDULED, published_at=now + timezone.timedelta(hours=1))
    make_article(headline="", slug="no-headline", status=Status.DRAFT)
    make_article(headline="Published today", published_at=now - timezone.timedelta(minutes=1))
    make_article(headline="Trashed in review", status=Status.IN_REVIEW, trashed_at=now)
    got = headlines(editor_client, desk=desk)
    if desk == "today":  # published today and public now: neither the embargoed nor the scheduled story
        expected = ["Published today"]
    assert got == expected


def test_the_tag_filter_offers_the_tags_used_lately(editor_client, make_article, monkeypatch):
    from articles.admin.filters import TagFilter

    monkeypatch.setattr(TagFilter, "recent", 2)
    make_article(tags=["Old tag"])
    make_article(tags=["Fresh"])
    make_article(tags=["Fresh"])
    html = editor_client.get(CHANGELIST).content.decode()
    assert "?tag=fresh" in html and "?tag=old-tag" not in html
    assert headlines(editor_client, tag="old-tag") == ["Story number 1"]  # any tag still filters by address
    assert headlines(editor_client, tag="no-such-tag") == []


def test_the_published_date_filter_replaces_the_date_hierarchy(editor_client, make_article):
    make_article(headline="Fresh")
    make_article(headline="Last year", published_at=timezone.now() - timezone.timedelta(days=400))
    html = editor_client.get(CHANGELIST).content.decode()
    assert "published_at__gte=" in html
    assert editor_client.get(CHANGELIST).context["cl"].date_hierarchy is None
    month_ago = (timezone.now() - timezone.timedelta(days=30)).isoformat()
    assert headlines(editor_client, published_at__gte=month_ago) == ["Fresh"]
    assert Article.objects.count() == 2
