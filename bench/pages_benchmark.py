"""
Reader pages at newspaper scale: grows one throwaway database to each size
given (`generate_stories`), serves it with gunicorn (2 sync workers,
production settings) and measures requests per second with wrk for the home
page, an article, a section, the busiest and the quietest tag, a deep section page
(page 400, by place), search, the RSS feed and the paywall's decision
endpoint (a per-reader prompt with an A/B variant, each request a new reader:
an impression counted and cookies set), beside a bare Django page of the
article's size (bench/bare_urls.py). wrk sends a browser's User-Agent, so
the paywall counts it as a reader.
Each size is measured with the reader page cache off (PAGE_CACHE=0: what
building the page costs) and on (cache hits), unless --page-cache says one.
Prints a table per size and how each page's ratio to the bare page drifts
from the smallest size to the largest: a page whose cost grows with the
archive shows up there (read the cache-off drift for that).

    make bench-pages
    .venv/bin/python bench/pages_benchmark.py --sizes 1000,10000 --duration 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_pages make bench-pages

Needs wrk (Debian: `apt-get install -y wrk`). A figure to read, not a test.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch import scratch_database  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
SEARCH_WORD = "government"  # in a good share of the invented stories (articles/demo/generator.py)
DEEP_PAGE = 400


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default="1000,10000,100000", help="story counts, smallest first")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument(
        "--page-cache",
        choices=["off", "on", "both"],
        default="both",
        help="measure with the reader page cache off (what a page costs to build), on (cache hits), or both",
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    sys.stdout.reconfigure(line_buffering=True)  # progress shows up when piped to a file too

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed. On Debian or Ubuntu: sudo apt-get install -y wrk")
    # Production settings hash static file names from a manifest: collect them once, as a deploy does.
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="newsroom-bench-static-")
    scratch = scratch_database()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", interactive=False, verbosity=0)

    from articles.demo.generator import generate_stories
    from articles.models import Article

    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); media in {scratch}")
    modes = {"off": [False], "on": [True], "both": [False, True]}[args.page_cache]
    results = {cached: {} for cached in modes}
    for size in sizes:
        missing = size - Article.objects.count()
        if missing > 0:
            report = generate_stories(missing, seed=args.seed + size, progress=lambda line: print(f"  {line}"))
            print(f"\n{size:,} stories: generated {report.created:,} in {report.seconds:.1f} s")
        connection.close()  # gunicorn's workers have the database to themselves while wrk runs
        pages = pages_to_measure()
        for cached in modes:
            results[cached][size] = measure(pages, args, scratch, cached=cached)
            print_table(size, cached, results[cached][size])
    if len(sizes) > 1:
        for cached in modes:
            print_drift(sizes[0], sizes[-1], cached, results[cached])


def pages_to_measure():
    """Each page's address at the database's current size, and the article page's size for the bare page."""
    from django.db.models import Count
    from django.urls import reverse
    from taggit.models import Tag

    from articles.listings import PAGE_SIZE
    from articles.models import Article, Section

    public = Article.objects.published()
    story = public.filter(language="en").exclude(lead_image=None).latest_first().first()
    section = Section.objects.annotate(stories=Count("articles")).order_by("-stories").first()
    in_section = public.filter(section=section).latest_first()
    # Page DEEP_PAGE (or the last there is) is "older than" the story ending the page before it.
    pages = max(1, min(DEEP_PAGE, -(-in_section.count() // PAGE_SIZE)))
    deep = f"?before={in_section.values_list('pk', flat=True)[(pages - 1) * PAGE_SIZE - 1]}" if pages > 1 else ""
    per_reader_prompt()
    tags = Tag.objects.annotate(uses=Count("taggit_taggeditem_items")).filter(uses__gt=0)
    tag, small_tag = tags.order_by("-uses").first(), tags.order_by("uses", "pk").first()
    return {
        "prompt decision": f"{reverse('paywall:decide', args=[story.pk])}?slots=top_banner,article_end&ref=t.co",
        "home": "/",
        "article": story.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
        "small tag": reverse("articles:tag", kwargs={"slug": small_tag.slug}),
        "deep section": f"{section.get_absolute_url()}{deep}",
        "search": f"{reverse('articles:search')}?q={SEARCH_WORD}",
        "RSS latest": reverse("articles:feed_latest_rss"),
    }


def per_reader_prompt():
    """A prompt decided for each reader (once a day, A/B tested), so the decision endpoint does its real work."""
    from paywall.models import Frequency, Placement, Prompt, PromptVariant

    if Prompt.objects.filter(name="Benchmark prompt").exists():
        return
    prompt = Prompt.objects.create(
        name="Benchmark prompt",
        headline="Support our reporting",
        message="<p>Subscribe for the whole story.</p>",
        cta_url="/account/",
        placement=Placement.ARTICLE_END,
        frequency=Frequency.ONCE_PER_DAY,
    )
    PromptVariant.objects.create(prompt=prompt, name="B", headline="Read it all", weight=1)


def measure(pages, args, scratch, *, cached):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, scratch, cached=cached)
    try:
        wait_until_up(base, server)
        article_bytes = len(fetch(base + pages["article"])[1])
        pages = {"bare Django": f"/__bare__/?bytes={article_bytes}", **pages}
        figures = {}
        for name, address in pages.items():
            status, body = fetch(base + address)
            for _ in range(4):  # each worker compiles its templates before the clock starts
                fetch(base + address)
            rate, errors = wrk(base + address, args)
            figures[name] = (address, status, len(body), rate, errors)
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_gunicorn(port, scratch, *, cached):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.bare_settings",
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "y" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": scratch,
        "PYTHONPATH": str(ROOT),
        "PAGE_CACHE": "1" if cached else "0",
    }
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "newsroom.wsgi", "--workers", "2", "--bind",
               f"127.0.0.1:{port}", "--log-level", "warning"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(base, server, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}")
        try:
            fetch(base + "/")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wrk(url, args):
    # A slow page must count as slow, not as a timeout: wrk leaves out of Requests/sec what passes --timeout.
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "60s"]
    output = subprocess.run(
        [*command, "-H", f"User-Agent: {BROWSER}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def print_table(size, cached, figures):
    bare = figures["bare Django"][3]
    print(f"\n{size:,} stories, page cache {'on (hits)' if cached else 'off'}")
    print(f"{'page':<18} {'status':>6} {'bytes':>8} {'req/s':>9} {'÷ bare':>7}  address")
    for name, (address, status, length, rate, errors) in figures.items():
        note = f"  ({errors:,} non-2xx)" if errors else ""
        print(f"{name:<18} {status:>6} {length:>8,} {rate:>9.1f} {rate / bare:>7.3f}  {address}{note}")


def print_drift(small, large, cached, results):
    print(
        f"\nRatio to bare, {small:,} → {large:,} stories, page cache {'on' if cached else 'off'} "
        "(drift 1.00 = the page costs what it did)"
    )
    small_bare, large_bare = results[small]["bare Django"][3], results[large]["bare Django"][3]
    for (name, first), last in zip(results[small].items(), results[large].values(), strict=True):
        if name == "bare Django":
            continue
        before, after = first[3] / small_bare, last[3] / large_bare
        print(f"{name:<18} {before:>6.3f} → {after:>6.3f}   drift {after / before:>5.2f}")


if __name__ == "__main__":
    main()
