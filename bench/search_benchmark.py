"""
Search benchmark: fills a fresh throwaway database with synthetic published
stories (bulk_create, then `rebuild_index`), and times searches at each size
given (1,000 and 100,000 by default): counting, the first page and a deep page,
for a rare word (the same dozen matches at every size), a phrase, Japanese, a
word in every story and a word in none. Prints the query plans at the largest
size.

    .venv/bin/python bench/search_benchmark.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_search .venv/bin/python bench/search_benchmark.py
    .venv/bin/python bench/search_benchmark.py --sizes 1000,10000

A figure to read, not a test: nothing here fails on a slow machine.
"""

import argparse
import itertools
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402

# Rare words sit in exactly RARE_MATCHES stories at every size, so their searches compare like with like.
RARE_MATCHES = 12
QUERIES = {
    "rare word": "lighthouse",
    "rare phrase": '"lighthouse keeper"',
    "Japanese": "ソウル",
    "two words": "harbour fares",
    "every story": "report",
    "no match": "zyzzyva",
}
REPEAT = 7


def word_picker(rng):
    syllables = ["ka", "to", "ri", "men", "sa", "lo", "ver", "dan", "pol", "ik", "ur", "est", "an", "bi", "cor"]
    vocabulary = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(5000)]
    weights = itertools.accumulate(1 / (rank + 1) for rank in range(len(vocabulary)))  # Zipf, as in real text
    cumulative = list(weights)
    return lambda k: rng.choices(vocabulary, cum_weights=cumulative, k=k)


def make_stories(Article, section, start, stop, rng, pick):
    from django.utils import timezone

    now = timezone.now()
    batch = []
    for number in range(start, stop):
        paragraphs = [" ".join(pick(40)) + "." for _ in range(4)]
        paragraphs[1] += " The report said harbour fares would rise."
        if number % 97 == 0:
            paragraphs[2] = "【ソウル共同】韓国の大統領は記者会見した。" + paragraphs[2]
        headline = " ".join(pick(6)).capitalize()
        if number < RARE_MATCHES:
            headline = f"Lighthouse keeper {headline}"
        batch.append(
            Article(
                headline=headline,
                slug=f"bench-{number}",
                dek=" ".join(pick(15)),
                body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                section=section,
                credit_override="Bench",
                status="published",
                published_at=now - timedelta(minutes=number),
            )
        )
    Article.objects.bulk_create(batch, batch_size=1000)


def timed(function):
    runs = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default="1000,100000", help="comma-separated story counts (default 1000,100000)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    scratch_database()
    from django.db import connection

    from articles.models import Article, Section
    from articles.search import rebuild_index, search

    section = Section.objects.create(name="World", slug="world")
    rng = random.Random(9)
    pick = word_picker(rng)
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), median of {REPEAT} runs")
    made = 0
    for size in sizes:
        start = time.perf_counter()
        make_stories(Article, section, made, size, rng, pick)
        made = size
        filled = time.perf_counter() - start
        if connection.vendor == "postgresql":
            # Autovacuum would have analysed a real archive; a bulk load leaves no statistics
            # until it runs, and the planner would take 100,000 stories for a handful.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE articles_article")
        start = time.perf_counter()
        indexed = rebuild_index()
        rebuilt = time.perf_counter() - start
        print(f"\n{size:,} stories (made in {filled:.1f} s; rebuild_index: {indexed:,} in {rebuilt:.1f} s)")
        print(f"  {'query':<12} {'matches':>8} {'count()':>9} {'page 1':>9} {'page 40':>9}")
        for label, query in QUERIES.items():
            count_ms, count = timed(lambda query=query: search(query).count())
            first_ms, _page = timed(lambda query=query: search(query)[0:20])
            deep_ms, _page = timed(lambda query=query: search(query)[780:800])
            shown = f"{count:,}" + ("+" if search(query).capped or count == 1000 else "")
            print(f"  {label:<12} {shown:>8} {count_ms:7.2f}ms {first_ms:7.2f}ms {deep_ms:7.2f}ms")
    explain(connection)


def explain(connection):
    """The plans of the count and page queries, for the rare word, at the largest size."""
    from django.test.utils import CaptureQueriesContext

    from articles.search import search

    with CaptureQueriesContext(connection) as captured:
        results = search("lighthouse")
        results.count()
        results[0:20]
    print()
    for query in captured.captured_queries[:2]:
        sql = query["sql"]
        print(sql[:600] + (" …" if len(sql) > 600 else ""))
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", row[-1] if connection.vendor == "sqlite" else row[0])
        print()


if __name__ == "__main__":
    main()
