"""
Every query a public page, feed or sitemap (and the desk's story list) makes
is served by an index: no full scan of the stories or their taggings, and no
sort of the whole table for ORDER BY. The plans are read with the database's
own EXPLAIN, so a page that would slow down as the archive grows fails here,
with 50 stories as with 100,000.

- SQLite: `EXPLAIN QUERY PLAN`; a "SCAN" of a big table (not "SEARCH", not a
  covering-index scan of a bounded range, not an index walked in the query's
  own order up to its LIMIT) or "USE TEMP B-TREE FOR ORDER BY" fails.
- PostgreSQL: the plan with sequential scans and sorts priced out
  (`enable_seqscan`, `enable_sort` off), so a "Seq Scan" or "Sort" still in it
  means no index can do the job, however small the test table.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db

# The tables that grow with the archive. The small ones (sections, agencies,
# authors, tags by name, users) may be scanned.
BIG_TABLES = ("articles_article", "taggit_taggeditem", "articles_articleauthor", "articles_correction")
# Search ranks its matches, at most RESULTS_LIMIT of them, so its sort is bounded by design.
RANKED = "articles_searchentry"


# A prefetch: `WHERE "…"."article_id" IN (1, 2, …)` (or object_id, image_id), the page's own stories.
# Or stories fetched by a list of ids written into the query, so bounded by its length: search
# results, a small tag's or author's stories (ArticleQuerySet.among, at most SMALL_SET), related stories'
# candidates. Or the newest id alone (one row off the end of the primary key: the sitemap index's
# page count).
PREFETCH = re.compile(
    r'WHERE "\w+"\."(article_id|object_id|image_id)" IN \([\d, ]+\)|"articles_article"\."id" IN \([\d, ]+\)'
)
NEWEST_ID = re.compile(r'^SELECT "articles_article"\."id" AS "pk" FROM "articles_article" ORDER BY 1 DESC LIMIT 1$')


def plan_problems(sql, params):
    """What is wrong with the plan of one query, as readable lines (empty when it is index-served)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [row[-1] for row in cursor.fetchall()]
            problems = [line for line in lines if "USE TEMP B-TREE FOR ORDER BY" in line]
            # An index walked in the order the query asks, stopping at its LIMIT, reads a page's
            # worth of rows (the desk's list, latest change first), not the table.
            ordered_walk = re.search(r"ORDER BY .* LIMIT \d+", sql) and not problems
            for line in lines:
                match = re.match(r"SCAN (\w+)", line)
                walked = ordered_walk and " USING INDEX " in line
                if match and match[1] in BIG_TABLES and "COVERING INDEX" not in line and not walked:
                    problems.append(line)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
            problems = [
                line
                for line in lines
                if any(f"Seq Scan on {table}" in line for table in BIG_TABLES) or re.search(r"->\s+Sort|^Sort", line)
            ]
    return problems, lines


def assert_index_served(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    failures = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT") or not any(table in sql for table in BIG_TABLES):
            continue
        if PREFETCH.search(sql) or NEWEST_ID.match(sql.strip()) or RANKED in sql:
            continue  # the rows of the page's own stories (bylines, tags, pictures): bounded by the page size
        problems, lines = plan_problems(*_sql_and_params(sql))
        if problems:
            failures.append(f"{sql}\n    " + "\n    ".join(lines))
    assert not failures, f"{path}: queries not served by an index:\n" + "\n\n".join(failures)


def _sql_and_params(sql):
    """The captured SQL has its parameters inlined; EXPLAIN takes it as it is."""
    return sql.replace("%", "%%"), ()


@pytest.fixture
def archive(make_article, make_author, kyodo, business, editor):
    from articles.models import Correction

    jane = make_author("Jane Doe")
    when = timezone.now() - timedelta(hours=2)
    stories = []
    for number in range(50):
        stories.append(
            make_article(
                headline=f"Harbour story {number}",
                section=business if number % 3 else None,
                authors=[jane] if number % 2 else [],
                wire_service=kyodo if number % 2 == 0 else None,
                tags=["Japan", f"Tag {number % 7}"],
                published_at=when - timedelta(days=number),
            )
        )
    Correction.objects.create(article=stories[0], text="A fix.", created_by=editor)
    return stories


def public_paths(archive, kyodo):
    story = archive[1]
    day = timezone.localtime(story.published_at)
    return [
        "/",
        story.get_absolute_url(),
        "/business/",
        f"/business/?before={archive[7].pk}",
        "/tags/japan/",
        "/authors/jane-doe/",
        f"/agencies/{kyodo.slug}/",
        f"/archive/{day.year}/",
        f"/archive/{day.year}/{day.month:02d}/",
        f"/archive/{day.year}/{day.month:02d}/{day.day:02d}/",
        "/search/?q=harbour",
        "/feeds/latest.rss",
        "/feeds/sections/business.atom",
        "/feeds/tags/japan.rss",
        f"/feeds/agencies/{kyodo.slug}.rss",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
        "/sitemap-agencies.xml",
        "/news-sitemap.xml",
    ]


@pytest.mark.parametrize("index", range(20))
def test_public_page_queries_are_served_by_indexes(client, archive, kyodo, index):
    paths = public_paths(archive, kyodo)
    assert len(paths) == 20
    assert_index_served(client, paths[index])


@pytest.mark.parametrize("path", ["/tags/japan/", "/authors/jane-doe/", "/feeds/tags/japan.rss"])
def test_a_big_tag_or_author_is_read_off_the_publish_time_index(client, archive, settings, path, monkeypatch):
    """Past SMALL_SET stories, a tag's or author's list walks the publish-time index and checks each story."""
    from articles import querysets

    monkeypatch.setattr(querysets, "SMALL_SET", 10)
    assert_index_served(client, path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert any("EXISTS" in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize(
    "path",
    [lambda archive: f"/business/?before={archive[40].pk}", lambda archive: f"/business/?after={archive[40].pk}"],
)
def test_an_older_or_newer_page_is_read_from_its_place_in_the_index(client, archive, path):
    assert_index_served(client, path(archive))


DESK_QUERIES = [
    "",
    "?p=2",
    "?status__exact=published",
    "?status__exact=in_review",
    "?q=harbour",
    "?q=Japan",
    "?tag=japan",
    "?section__id__exact=1",
    "?desk=in_review",
    "?desk=embargoed",
    "?desk=scheduled",
    "?desk=needs_headline",
    "?desk=today",
    "?trash=yes",
]


@pytest.mark.parametrize("query", DESK_QUERIES)
def test_desk_story_list_queries_are_served_by_indexes(editor_client, archive, query, monkeypatch):
    """The story list, its filters, its search and its pages (the list is capped at 10,000, so counts are bounded)."""
    from articles.admin.articles import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 10)  # more than one page, as on any real desk
    assert_index_served(editor_client, "/admin/articles/article/" + query)
