"""
Wire ingest benchmark: generates N varied stories in each format from the
test fixtures and ingests them through the real importer (`receive`), into a
fresh throwaway database. Prints stories per second for each format.

    make bench                                   # SQLite, 10,000 per format
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench make bench
    .venv/bin/python bench/ingest_benchmark.py --count 1000

A figure to read, not a test: nothing here fails on a slow machine.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIRE = ROOT / "tests" / "fixtures" / "wire"
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402

KEYWORDS = ["economy", "transport", "ferries", "politics", "weather", "trade", "energy", "health", "schools"]


def nitf(number):
    data = (WIRE / "nitf" / "harbor-ferry.xml").read_bytes()
    keyword = KEYWORDS[number % len(KEYWORDS)]
    return (
        data.replace(b"ap-2026-ferry-fares", f"bench-nitf-{number}".encode())
        .replace(b"Harbor ferry fares to rise 10% in spring", f"Story {number}: fares to rise".encode())
        .replace(b'<keyword key="transport"/>', f'<keyword key="{keyword}"/>'.encode())
        .replace(b'<media media-type="image">', b"<media-skip>")
        .replace(b"</media>", b"</media-skip>")
    )


def ninjs(number):
    item = json.loads((WIRE / "ninjs" / "dpa_text.json").read_text())
    item["uri"] = f"urn:bench:ninjs:{number}"
    item["headlines"] = [{"role": "main", "value": f"Geschichte {number}"}]
    item["keywords"] = [KEYWORDS[number % len(KEYWORDS)]]
    return json.dumps(item).encode()


def newsml(number):
    data = (WIRE / "newsml-g2" / "LISTING_1_A_NewsML-G2_News_Item.xml").read_bytes()
    return data.replace(b"US-FINANCE-FED", f"BENCH-{number}".encode()).replace(
        b'Fed to halt QE to avert "bubble"', f"Markets story {number}".encode()
    )


def text(number):
    return (
        f"• Kyodo\n\nStory {number} from Tokyo\n\nTOKYO (Kyodo) — Paragraph one of story {number}.\n\n"
        f"Paragraph two, with “curly quotes” — and a dash.\n\nParagraph three: {KEYWORDS[number % 9]}.\n"
    ).encode()


FORMATS = {"nitf": nitf, "ninjs": ninjs, "newsml": newsml, "text": text}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--count", type=int, default=10_000, help="stories per format (default 10,000)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: nitf,ninjs,newsml,text")
    args = parser.parse_args()

    scratch_database()
    from django.db import connection

    from articles.ingest.mapping import Mapper
    from articles.models import WireItem, WireMapping, WireService
    from articles.services.ingest import receive

    for name, credit, slug in [("The Associated Press", "AP", "ap"), ("Reuters", "Reuters", "reuters"),
                               ("dpa", "dpa", "dpa"), ("Kyodo News", "Kyodo", "kyodo")]:  # fmt: skip
        WireService.objects.get_or_create(slug=slug, defaults={"name": name, "credit": credit})
    WireMapping.objects.get_or_create(kind="agency", code="nprov:REUTERS",
                                      defaults={"wire_service": WireService.objects.get(slug="reuters")})  # fmt: skip
    for keyword in KEYWORDS[:5]:
        WireMapping.objects.get_or_create(kind="subject", code=keyword, defaults={"tag": keyword.title()})

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}), {args.count:,} stories per format")
    for kind in args.formats.split(","):
        make = FORMATS[kind]
        files = [make(number) for number in range(args.count)]
        mapper = Mapper()
        start = time.perf_counter()
        for data in files:
            receive(data, source="bench", mapper=mapper)
        elapsed = time.perf_counter() - start
        made = WireItem.objects.filter(source="bench", format=kind, outcome="created").count()
        print(f"{kind:>7}: {args.count / elapsed:8.1f} stories/s  ({made:,} created in {elapsed:.1f} s)")


if __name__ == "__main__":
    main()
