"""
Searching the stories readers see.

    results = search("kyodo seoul")
    results.count()        # matches, up to RESULTS_LIMIT (results.capped says there were more)
    results[0:20]          # that page's stories, best first, each with .search_snippet

`search` returns an object Django's Paginator pages through. Matching and
ranking are the database's full-text search (FTS5 on SQLite, tsvector and a GIN
index on PostgreSQL; see backends.py), over an index of headline, dek and body
that the story services keep current: `index_story` after every save and
workflow step, `unindex_story` when a story goes to the Trash, and deleting a
story deletes its row. What readers may see is decided at query time by
`Article.objects.published()`, so a story pulled or trashed leaves the results
at once even before its row is gone, and a scheduled story appears when its
time comes, with no job.
"""

from django.conf import settings
from django.db import connection, transaction

from ..html import opening
from ..models import Article, Status
from . import backends
from .text import html_to_text, parse_query, prepare, snippet_html

__all__ = ["RESULTS_LIMIT", "SearchResults", "index_story", "matching_ids", "rebuild_index", "search", "unindex_story"]

# Counting and ranking every match of a common word would read its whole
# posting list, so the cost would grow with the archive. No reader pages past
# this many results: the count stops here, and a query matching more stories
# ranks the newest this many of them.
RESULTS_LIMIT = 1000


def search(query: str) -> "SearchResults":
    return SearchResults(query)


def matching_ids(query: str, *, limit: int = RESULTS_LIMIT) -> list[int]:
    """The ids of the newest `limit` published stories matching `query`, unranked (the desk's search of the archive)."""
    terms = parse_query(query)
    return backends.backend().newest_ids(terms, limit) if terms else []


class SearchResults:
    """
    The published stories matching `query`, best first, as a sequence the
    Paginator can page. `count()` is one query, exact up to RESULTS_LIMIT and
    stopping there (then `capped` is True: show "1,000+ results"); beyond that
    many matches, the newest RESULTS_LIMIT are the ones ranked, and pages past
    them are empty. A page (`results[a:b]`) is three queries whatever its size:
    the ranked page with its snippets, the stories (`for_listing()`, by primary
    key, kept if `is_public`), and their bylines. Among equal ranks, newer stories (higher ids) come first.
    """

    ordered = True  # ranked: the Paginator need not warn

    def __init__(self, query: str):
        self.query = query
        self.terms = parse_query(query)
        self.capped = False
        self._count = None

    def count(self) -> int:
        if self._count is None:
            if not self.terms:
                self._count = 0
            else:
                found = backends.backend().count(self.terms, RESULTS_LIMIT + 1)
                self.capped = found > RESULTS_LIMIT
                self._count = min(found, RESULTS_LIMIT)
        return self._count

    def __len__(self):
        return self.count()

    def __bool__(self):
        return bool(self.count())

    def __getitem__(self, key):
        if isinstance(key, int):
            if key < 0:
                raise IndexError("Search results do not support negative indexing.")
            stories = self[key : key + 1]
            if not stories:
                raise IndexError(key)
            return stories[0]
        start, stop, step = key.start or 0, key.stop, key.step
        if step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            raise ValueError("Search results are sliced as results[start:stop].")
        stop = RESULTS_LIMIT if stop is None else min(stop, RESULTS_LIMIT)
        if not self.terms or stop <= start:
            return []
        return self._stories(start, stop - start)

    def _stories(self, offset, limit):
        hits = backends.backend().page(self.terms, offset, limit, candidates=RESULTS_LIMIT)
        if not hits:
            return []
        # By primary key alone: with the published rule in the WHERE clause too,
        # SQLite's planner prefers the (status, published_at) index and reads
        # every live story. The same rule is applied here, as `is_public`.
        stories = Article.objects.for_listing().in_bulk([pk for pk, _snippet in hits])
        page = []
        for pk, snippet in hits:
            story = stories.get(pk)
            if story is not None and story.is_public:  # pulled between the two queries
                story.search_snippet = snippet_html(snippet)
                page.append(story)
        return page

    def __repr__(self):
        return f"<SearchResults {self.query!r}>"


def is_searchable(article) -> bool:
    """Whether `article` belongs in the index: live or scheduled to be, and not in the Trash."""
    return article.status in Status.visible() and article.trashed_at is None


def _row(pk, headline, dek, body):
    return (pk, prepare(headline), prepare(dek), prepare(html_to_text(body)))


def index_story(article) -> None:
    """Bring `article`'s index row up to date with it: write it if readers may search it, else remove it."""
    if not is_searchable(article):
        unindex_story(article)
        return
    with connection.cursor() as cursor:
        # A premium story's withheld text is not indexed: a match or a snippet would show it.
        backends.backend().write(cursor, [_row(article.pk, article.headline, article.dek, article.public_body())])


def unindex_story(article_or_pk) -> None:
    """Remove a story's row (killed, withdrawn, trashed, purged). Removing one that has none is fine."""
    pk = getattr(article_or_pk, "pk", article_or_pk)
    with connection.cursor() as cursor:
        backends.backend().delete(cursor, [pk])


def rebuild_index(*, article_model=None, batch_size=1000) -> int:
    """
    Empty the index and fill it again from the stories (after changing
    SEARCH_CONFIG, or to repair it). `article_model` is the migration's
    historical Article. Returns how many stories were indexed.
    """
    article_model = article_model or Article
    columns = ["pk", "headline", "dek", "body"]
    if any(field.name == "is_premium" for field in article_model._meta.get_fields()):  # not in older migrations
        columns.append("is_premium")
    stories = (
        article_model.objects.filter(status__in=Status.visible(), trashed_at__isnull=True)
        .order_by("pk")
        .values_list(*columns)
    )
    engine = backends.backend()
    indexed = 0
    with transaction.atomic(), connection.cursor() as cursor:
        engine.delete_all(cursor)
        batch = []
        for pk, headline, dek, body, *premium in stories.iterator(chunk_size=batch_size):
            if premium and premium[0]:
                body = opening(body, settings.PREMIUM_PREVIEW_PARAGRAPHS)
            batch.append(_row(pk, headline, dek, body))
            if len(batch) >= batch_size:
                engine.write(cursor, batch)
                indexed, batch = indexed + len(batch), []
        if batch:
            engine.write(cursor, batch)
            indexed += len(batch)
        engine.finish_rebuild(cursor)
    return indexed
