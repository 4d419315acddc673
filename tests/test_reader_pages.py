"""
The reader's pages beyond the article: front page, section, tag, author,
agency and archive lists, their paging, related stories, languages, and the
site's own 404 and 410 pages. Query counts are asserted with 1 and many
stories, so no page grows a query per story.
"""

import datetime
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.listings import PAGE_SIZE
from articles.models import Section, Status

pytestmark = pytest.mark.django_db


def links(html, rel):
    return re.findall(rf'<link rel="{rel}" href="([^"]+)"', html)


def test_front_page_groups_the_latest_stories_by_section_in_navigation_order(client, make_article, world, business):
    business.position, world.position = 5, 10
    business.save(), world.save()
    make_article(headline="World one", section=world)
    make_article(headline="Business one", section=business)
    make_article(headline="World two", section=world)
    lead = make_article(headline="The lead", section=world, is_home_lead=True)
    html = client.get("/").content.decode()
    lead_block = html.split('class="lead-story"')[1].split("</section>")[0]
    assert lead.headline in lead_block
    business_group = html.index('id="group-business"')
    world_group = html.index('id="group-world"')
    assert business_group < world_group  # the sections' order, not the stories'
    assert html.index("Business one") > business_group
    assert business_group < html.index("World one") and html.index("World one") > world_group
    assert html.count("The lead") == 1  # the lead is not repeated in its section's group


def test_section_page_pages_by_place_with_rel_links_and_a_canonical_per_page(client, make_article):
    """Older pages are `?before=<the last story shown>`, newer ones `?after=<the first>`: stable addresses."""
    stories = [make_article() for _ in range(PAGE_SIZE * 2 + 1)]  # each a minute older than the one before
    first = client.get("/world/").content.decode()
    assert links(first, "canonical") == ["http://testserver/world/"]
    assert links(first, "next") == [f"http://testserver/world/?before={stories[PAGE_SIZE - 1].pk}"]
    assert not links(first, "prev") and first.count('class="card"') == PAGE_SIZE
    second = client.get(f"/world/?before={stories[PAGE_SIZE - 1].pk}").content.decode()
    assert links(second, "canonical") == [f"http://testserver/world/?before={stories[PAGE_SIZE - 1].pk}"]
    assert links(second, "prev") == [f"http://testserver/world/?after={stories[PAGE_SIZE].pk}"]
    assert links(second, "next") == [f"http://testserver/world/?before={stories[2 * PAGE_SIZE - 1].pk}"]
    assert stories[PAGE_SIZE].headline in second and second.count('class="card"') == PAGE_SIZE
    third = client.get(f"/world/?before={stories[2 * PAGE_SIZE - 1].pk}").content.decode()
    assert not links(third, "next") and third.count('class="card"') == 1
    # Newer from the third page is the second page's stories; newer from the second is the first page's address.
    back = client.get(f"/world/?after={stories[2 * PAGE_SIZE].pk}").content.decode()
    assert back.count('class="card"') == PAGE_SIZE and stories[PAGE_SIZE].headline in back
    response = client.get(f"/world/?after={stories[PAGE_SIZE].pk}")
    assert response.status_code == 302 and response["Location"] == "/world/"


def test_a_page_keeps_its_stories_as_news_arrives(client, make_article):
    stories = [make_article() for _ in range(PAGE_SIZE + 5)]
    older = f"/world/?before={stories[PAGE_SIZE - 1].pk}"
    before = client.get(older).content.decode()
    make_article(headline="Breaking", published_at=timezone.now())
    after = client.get(older).content.decode()
    assert before.count('class="card"') == after.count('class="card"') == 5 and "Breaking" not in after


@pytest.mark.parametrize(
    "place", ["0", "-1", "abc", "1.5", "%00", "99999999999999999999", "123456789", "own-draft", "last"]
)
def test_a_page_that_does_not_exist_is_not_found(client, make_article, place):
    stories = [make_article() for _ in range(3)]
    draft = make_article(status=Status.DRAFT)
    value = {"own-draft": str(draft.pk), "last": str(stories[-1].pk)}.get(place, place)
    assert client.get("/world/", {"before": value}).status_code == 404
    assert client.get("/world/", {"before": str(stories[0].pk), "after": str(stories[1].pk)}).status_code == 404


def test_author_page_lists_the_writers_published_stories(client, make_article, make_author):
    jane = make_author("Jane Doe", bio="Jane covers Japan.")
    mine = make_article(headline="Jane's story", authors=[jane])
    make_article(headline="Someone else's")
    make_article(headline="Jane's draft", authors=[jane], status=Status.DRAFT)
    response = client.get(reverse("articles:author", args=["jane-doe"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html and "Jane Doe" in html and "Jane covers Japan." in html
    assert mine.get_absolute_url() in html
    assert "Someone else" not in html and "Jane&#x27;s draft" not in html
    assert client.get(reverse("articles:author", args=["nobody"])).status_code == 404


def test_agency_page_lists_every_story_credited_to_the_agency(client, make_article, kyodo, ap):
    make_article(headline="From Kyodo", wire_service=kyodo)
    make_article(headline="From AP", wire_service=ap)
    html = client.get(reverse("articles:agency", args=[kyodo.slug])).content.decode()
    assert "From Kyodo" in html and "From AP" not in html
    assert "Stories from Kyodo" in html


def test_archive_by_year_month_and_day_uses_the_newsrooms_day(client, make_article):
    tokyo = timezone.get_current_timezone()
    # 23:30 in Tokyo on 25 September is still the 25th there, though it is the 25th 14:30 UTC.
    late = make_article(headline="Late on the 25th", published_at=datetime.datetime(2019, 9, 25, 23, 30, tzinfo=tokyo))
    next_day = make_article(
        headline="Early on the 26th", published_at=datetime.datetime(2019, 9, 26, 0, 30, tzinfo=tokyo)
    )
    make_article(headline="Another year", published_at=datetime.datetime(2018, 9, 25, 12, 0, tzinfo=tokyo))
    day = client.get(reverse("articles:archive_day", args=[2019, 9, 25])).content.decode()
    assert late.headline in day and next_day.headline not in day
    month = client.get(reverse("articles:archive_month", args=[2019, 9])).content.decode()
    assert late.headline in month and next_day.headline in month and "Another year" not in month
    year = client.get(reverse("articles:archive_year", args=[2018])).content.decode()
    assert "Another year" in year and late.headline not in year
    assert 'href="/archive/2019/"' in day and 'href="/archive/2019/09/"' in day  # the way back up


@pytest.mark.parametrize("path", ["/archive/2019/02/30/", "/archive/2019/13/", "/archive/0000/", "/archive/2019/00/"])
def test_impossible_archive_dates_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_article_page_shows_related_stories_by_shared_tags_then_section(client, make_article, business):
    story = make_article(headline="Main story", tags=["Japan", "Korea", "Trade"])
    two_tags = make_article(headline="Shares two tags", tags=["Japan", "Korea"], section=business)
    one_tag = make_article(headline="Shares one tag", tags=["Trade"], section=business)
    same_section = make_article(headline="Same section only")
    make_article(headline="Unrelated", section=business)
    make_article(headline="Draft sharing tags", tags=["Japan", "Korea", "Trade"], status=Status.DRAFT)
    html = client.get(story.get_absolute_url()).content.decode()
    related = html.split('class="related-stories"')[1]
    assert related.index(two_tags.headline) < related.index(one_tag.headline) < related.index(same_section.headline)
    assert "Unrelated" not in related and "Draft sharing tags" not in related


def test_html_lang_is_the_storys_language_else_the_sites(client, make_article, settings):
    settings.NEWSROOM_LANGUAGE = "en"
    japanese = make_article(headline="日本語の記事", language="ja")
    plain = make_article(headline="No language given", language="")
    assert '<html lang="ja">' in client.get(japanese.get_absolute_url()).content.decode()
    assert '<html lang="en">' in client.get(plain.get_absolute_url()).content.decode()
    assert '<html lang="en">' in client.get("/").content.decode()


def test_times_carry_no_fractions_of_a_second(client, make_article):
    make_article(published_at=timezone.now().replace(microsecond=123456) - timedelta(minutes=3))
    html = client.get("/").content.decode()
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp) for stamp in stamps)


def test_not_found_and_gone_pages_are_in_the_sites_look(client, make_article):
    story = make_article(headline="To be killed")
    url = story.get_absolute_url()
    story.status, story.notice = Status.KILLED, "Withdrawn on legal advice."
    story.save()
    gone = client.get(url)
    assert gone.status_code == 410
    assert 'class="masthead"' in gone.content.decode() and "Withdrawn on legal advice." in gone.content.decode()
    missing = client.get("/no/such/page/here/")
    assert missing.status_code == 404
    assert 'class="masthead"' in missing.content.decode() and 'role="search"' in missing.content.decode()


def test_a_section_cannot_take_the_address_of_another_page(world):
    section = Section(name="Search", slug="search")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "slug" in error.value.message_dict


def _count_queries(client, django_assert_max_num_queries, path, limit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # a warm cache, as a running site has: the paywall's prompts are read once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    assert len(queries) <= limit, [query["sql"] for query in queries]
    return len(queries)


@pytest.mark.parametrize(
    ("path", "limit"),
    [
        ("/", 8),
        ("/world/", 6),
        ("/tags/japan/", 6),
        ("/authors/jane-doe/", 6),
        ("/agencies/kyodo/", 6),
        ("/archive/2019/", 6),
    ],
)
def test_list_pages_cost_the_same_few_queries_for_one_story_or_many(
    client, make_article, make_author, kyodo, django_assert_max_num_queries, path, limit
):
    jane = make_author("Jane Doe")
    when = datetime.datetime(2019, 9, 26, 12, 0, tzinfo=datetime.UTC)

    def add(count, start):
        for number in range(start, start + count):
            make_article(
                authors=[jane], wire_service=kyodo, tags=["Japan"], published_at=when - timedelta(minutes=number)
            )

    add(1, 0)
    one = _count_queries(client, django_assert_max_num_queries, path, limit)
    add(PAGE_SIZE + 5, 1)
    many = _count_queries(client, django_assert_max_num_queries, path, limit)
    assert one == many


def test_article_page_costs_the_same_few_queries_with_many_tags_and_related_stories(
    client, make_article, make_author, kyodo, django_assert_max_num_queries
):
    jane = make_author("Jane Doe")
    story = make_article(authors=[jane], wire_service=kyodo, tags=["Japan"])
    make_article(tags=["Japan"])  # one related story: its shared tags are counted in one query, as for six
    one = _count_queries(client, django_assert_max_num_queries, story.get_absolute_url(), 8)
    tags = [f"Tag {number}" for number in range(12)]
    story.tags.add(*tags)
    for _ in range(6):
        make_article(authors=[jane], tags=tags[:3])
    many = _count_queries(client, django_assert_max_num_queries, story.get_absolute_url(), 8)
    assert one == many


@pytest.mark.parametrize("step", ["withdraw", "kill"])
def test_a_pulled_story_leaves_every_list_at_once(client, make_article, make_author, kyodo, editor, step):
    from articles.services.publishing import perform

    jane = make_author("Jane Doe")
    when = timezone.now() - timedelta(hours=1)
    story = make_article(
        headline="Soon to be pulled", authors=[jane], wire_service=kyodo, tags=["Japan"], published_at=when
    )
    make_article(headline="Stays up", authors=[jane], wire_service=kyodo, tags=["Japan"], published_at=when)
    day = timezone.localtime(when)
    pages = [
        "/",
        "/world/",
        "/tags/japan/",
        "/authors/jane-doe/",
        f"/agencies/{kyodo.slug}/",
        f"/archive/{day.year}/{day.month:02d}/{day.day:02d}/",
    ]
    for page in pages:
        assert "Soon to be pulled" in client.get(page).content.decode(), page
    url = story.get_absolute_url()
    perform(article=story, name=step, user=editor, note="Pulled.")
    for page in pages:
        html = client.get(page).content.decode()
        assert "Soon to be pulled" not in html and "Stays up" in html, page
    assert client.get(url).status_code == 410


def test_search_page_finds_published_stories_pages_and_keeps_the_words(client, make_article):
    for number in range(PAGE_SIZE + 2):
        make_article(headline=f"Harbour story {number}", paragraphs=[f"The harbour reopened, part {number}."])
    make_article(headline="Harbour draft", status=Status.DRAFT)
    first = client.get("/search/", {"q": "harbour"})
    html = first.content.decode()
    assert first.status_code == 200
    assert f"{PAGE_SIZE + 2} stories found." in html and "Harbour draft" not in html
    assert html.count('<article class="card') == PAGE_SIZE and "<mark>" in html
    assert 'value="harbour"' in html  # the form keeps what was typed
    assert links(html, "next") == ["http://testserver/search/?q=harbour&amp;page=2"]
    second = client.get("/search/", {"q": "harbour", "page": "2"}).content.decode()
    assert second.count('<article class="card') == 2
    assert links(second, "prev") == ["http://testserver/search/?q=harbour"]
    assert 'name="robots" content="noindex, follow"' in second


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "a -- b", "NEAR(a b)", "title:x OR y*", "^start", "共同通信", "x" * 1000, "  ", "<script>"],
)
def test_search_page_answers_any_words(client, make_article, query):
    make_article(headline="共同通信 reports a harbour story")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


def test_search_page_query_count_is_the_same_for_one_result_or_a_page(client, make_article, make_author, kyodo):
    jane = make_author("Jane Doe")
    make_article(headline="Harbour one", authors=[jane], wire_service=kyodo)
    one = _count_queries(client, None, "/search/?q=harbour", 6)
    for number in range(PAGE_SIZE + 3):
        make_article(headline=f"Harbour {number}", authors=[jane], wire_service=kyodo)
    assert _count_queries(client, None, "/search/?q=harbour", 6) == one


def test_a_signed_in_reader_costs_no_more_than_the_budget(client, make_article, make_author, kyodo, editor):
    """Session and sign-in queries count too: a desk user reading the site stays within the page budgets."""
    client.force_login(editor)
    story = make_article(authors=[make_author("Jane Doe")], wire_service=kyodo, tags=["Japan"])
    # The article page also asks once whether the reader subscribes (paywall/decisions.py).
    for path, limit in [("/", 8), (story.get_absolute_url(), 9), ("/world/", 6), ("/search/?q=story", 6)]:
        _count_queries(client, None, path, limit)


def test_the_demo_reference_story_page_is_within_its_query_budget(client, db):
    from django.core.management import call_command

    from articles.models import Article

    call_command("load_demo", verbosity=0)
    story = Article.objects.get(wire_service__slug="kyodo", is_home_lead=True)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Kyodo" in html
    _count_queries(client, None, story.get_absolute_url(), 8)
    _count_queries(client, None, "/", 8)
