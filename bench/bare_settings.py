"""
The site's own settings, plus one page that does no work (`/__bare__/`): the
page benchmark's yardstick for what Django and gunicorn cost before any query.
Loaded only by bench/pages_benchmark.py's gunicorn.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
