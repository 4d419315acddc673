"""
The two search engines behind one interface: SQLite's FTS5 and PostgreSQL's
full-text search. Each writes and deletes index rows, counts matches and
returns one ranked page of (story id, snippet), headline matches first, then
dek, then body.

Both run the same shape of query, whose cost is bounded by the candidate limit
rather than by the number of stories:
1. the full-text index finds the matches, and each is checked against
   `Article.objects.published()` by primary key (a correlated EXISTS), so a
   story pulled, trashed or not yet live is never returned whatever the index
   holds;
2. the newest `candidates` of them (by id) are scored, and the page cut from
   those by LIMIT/OFFSET;
3. snippets are made for that page's rows only.
Counting stops at a limit too (`count(…, limit)`), so no query reads every
posting of a word that is in every story.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef
from django.db.models.expressions import RawSQL

from ..models import Article, SearchEntry
from .text import MARK_END, MARK_START

TABLE = SearchEntry._meta.db_table
# Column weights: a match in the headline counts for more than one in the dek, which counts for more than the body.
WEIGHTS = {"headline": 10.0, "dek": 4.0, "body": 1.0}
SNIPPET_WORDS = 30


def backend():
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def config():
    """PostgreSQL's text search configuration (settings.SEARCH_CONFIG); on SQLite, it picks the stemmer."""
    return getattr(settings, "SEARCH_CONFIG", "english")


class SqliteSearch:
    def create_table(self, schema_editor, model=None):
        schema_editor.execute(self._create_sql())

    def drop_table(self, schema_editor, model=None):
        schema_editor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')

    @staticmethod
    def _create_sql():
        # English gets the Porter stemmer, as PostgreSQL's "english" stems; other
        # languages only case-folding and accents. Marks stay inside words (Indic scripts).
        tokenizer = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
        if config() == "english":
            tokenizer = f"porter {tokenizer}"
        columns = "headline, dek, body, document UNINDEXED"
        return f'CREATE VIRTUAL TABLE "{TABLE}" USING fts5({columns}, tokenize="{tokenizer}")'

    def write(self, cursor, rows):
        sql = f'INSERT OR REPLACE INTO "{TABLE}" (rowid, headline, dek, body) VALUES (%s, %s, %s, %s)'
        cursor.executemany(sql, rows)

    def delete(self, cursor, pks):
        cursor.execute(f'DELETE FROM "{TABLE}" WHERE rowid IN ({", ".join(["%s"] * len(pks))})', pks)

    def delete_all(self, cursor):
        # Made anew, so a changed SEARCH_CONFIG changes the stemmer too.
        cursor.execute(f'DROP TABLE "{TABLE}"')
        cursor.execute(self._create_sql())

    def finish_rebuild(self, cursor):
        # Merge the many small b-trees a bulk load leaves into one.
        cursor.execute(f'INSERT INTO "{TABLE}" ("{TABLE}") VALUES (\'optimize\')')

    @staticmethod
    def match_expression(terms):
        """An FTS5 query built from the terms: each a quoted phrase of plain tokens (nothing left to parse)."""

        def phrase(term):
            return '"' + term.text.replace('"', '""') + '"'

        wanted = " AND ".join(phrase(term) for term in terms if not term.excluded)
        unwanted = " OR ".join(phrase(term) for term in terms if term.excluded)
        return f"({wanted}) NOT ({unwanted})" if unwanted else wanted

    def _hits(self, alias, terms):
        """FROM/WHERE for the published stories matching `terms`, the index row aliased `alias`."""
        published = Article.objects.published().filter(pk=RawSQL(f'"{alias}".rowid', ())).order_by().values("pk")
        published_sql, published_params = published.query.sql_with_params()
        sql = f'"{TABLE}" AS "{alias}" WHERE "{alias}"."{TABLE}" MATCH %s AND EXISTS ({published_sql})'
        return sql, [self.match_expression(terms), *published_params]

    def count(self, terms, limit):
        hits, params = self._hits("hit", terms)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {hits} LIMIT %s)", [*params, limit])
            return cursor.fetchone()[0]

    def newest_ids(self, terms, limit):
        hits, params = self._hits("hit", terms)
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT "hit".rowid FROM {hits} ORDER BY "hit".rowid DESC LIMIT %s', [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def page(self, terms, offset, limit, candidates):
        hits, params = self._hits("candidate", terms)
        weights = ", ".join(str(weight) for weight in WEIGHTS.values())
        # 1. The newest `candidates` matches, scored: FTS5 reads its index in rowid
        #    order, so bm25 is computed for those rows only, however many match.
        # 2. That page of them, best first (bm25 is lower for better matches).
        # 3. Their snippets: FTS5 makes one only in a query that MATCHes, here by rowid.
        sql = (
            "WITH candidates AS MATERIALIZED ("
            f'SELECT "candidate".rowid AS id, bm25("candidate"."{TABLE}", {weights}) AS score FROM {hits} '
            'ORDER BY "candidate".rowid DESC LIMIT %s), '
            "page AS MATERIALIZED (SELECT id, score FROM candidates ORDER BY score, id DESC LIMIT %s OFFSET %s) "
            f'SELECT page.id, snippet("hit"."{TABLE}", 2, %s, %s, %s, %s) '
            f'FROM page CROSS JOIN "{TABLE}" AS "hit" '
            f'WHERE "hit"."{TABLE}" MATCH %s AND "hit".rowid = page.id ORDER BY page.score, page.id DESC'
        )
        snippet = [MARK_START, MARK_END, "…", SNIPPET_WORDS]
        match = self.match_expression(terms)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, candidates, limit, offset, *snippet, match])
            return cursor.fetchall()


class PostgresSearch:
    def create_table(self, schema_editor, model):
        schema_editor.create_model(model)

    def drop_table(self, schema_editor, model):
        schema_editor.delete_model(model)

    def write(self, cursor, rows):
        # The weighted document is made in the database, with the configuration in force now.
        cursor.executemany(
            f'INSERT INTO "{TABLE}" (rowid, headline, dek, body, document) '
            "SELECT v.rowid, v.headline, v.dek, v.body, "
            "setweight(to_tsvector(v.config::regconfig, v.headline), 'A') || "
            "setweight(to_tsvector(v.config::regconfig, v.dek), 'B') || "
            "setweight(to_tsvector(v.config::regconfig, v.body), 'C') "
            "FROM (SELECT %s::integer AS rowid, %s::text AS headline, %s::text AS dek, %s::text AS body, "
            "%s::text AS config) AS v "
            "ON CONFLICT (rowid) DO UPDATE SET headline = EXCLUDED.headline, dek = EXCLUDED.dek, "
            "body = EXCLUDED.body, document = EXCLUDED.document",
            [(*row, config()) for row in rows],
        )

    def delete(self, cursor, pks):
        cursor.execute(f'DELETE FROM "{TABLE}" WHERE rowid = ANY(%s)', [list(pks)])

    def delete_all(self, cursor):
        cursor.execute(f'DELETE FROM "{TABLE}"')

    def finish_rebuild(self, cursor):
        cursor.execute(f'ANALYZE "{TABLE}"')

    @staticmethod
    def search_query(terms):
        """A tsquery built from the terms, each through phraseto_tsquery: reader text is never parsed as syntax."""
        query = None
        for term in terms:
            part = SearchQuery(term.words, search_type="phrase", config=config())
            if term.excluded:
                part = ~part
            query = part if query is None else query & part
        return query

    def _hits(self, query):
        published = Article.objects.published().filter(pk=OuterRef("pk"))
        return SearchEntry.objects.filter(document=query).filter(Exists(published))

    def _rank(self, query):
        # ts_rank's weights are for D, C, B, A: the body (C), dek (B) and headline (A) in WEIGHTS' proportions.
        weights = [0.0, WEIGHTS["body"] / 10, WEIGHTS["dek"] / 10, WEIGHTS["headline"] / 10]
        return SearchRank(F("document"), query, weights=weights)

    def count(self, terms, limit):
        return self._hits(self.search_query(terms)).values("pk")[:limit].count()

    def newest_ids(self, terms, limit):
        return list(self._hits(self.search_query(terms)).order_by("-pk").values_list("pk", flat=True)[:limit])

    def page(self, terms, offset, limit, candidates):
        query = self.search_query(terms)
        # The newest `candidates` matches, ranked: ts_rank reads each one's document, so only those are read.
        newest = self._hits(query).order_by("-pk").values("pk")[:candidates]
        ranked = (
            SearchEntry.objects.filter(pk__in=newest)
            .annotate(rank=self._rank(query))
            .order_by("-rank", "-pk")
            .values("pk")
        )
        snippet = SearchHeadline(
            "body",
            query,
            config=config(),
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        page = (
            SearchEntry.objects.filter(pk__in=ranked[offset : offset + limit])
            .annotate(rank=self._rank(query), snippet=snippet)
            .order_by("-rank", "-pk")
            .values_list("pk", "snippet")
        )
        return list(page)
