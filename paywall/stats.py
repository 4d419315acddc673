"""
Impressions and clicks: one counter row per prompt per day, incremented in
place by the database (UPDATE … SET n = n + 1), so concurrent readers are
each counted once and no row is written per view.

Known robots are not counted: crawlers, link previews and monitors say who
they are in their User-Agent, and a prompt is for people.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import PromptDay

ROBOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|pingdom|"
    r"lighthouse|curl/|wget/|python-requests|httpx|go-http-client|java/|okhttp|headless",
    re.IGNORECASE,
)


def is_robot(request):
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(ROBOTS.search(agent))


def count(prompt_id, what, variant_id=None):
    """Add one impression or click (`what`) to today's row for the prompt's own text, or one variant's."""
    day = timezone.localdate()
    rows = PromptDay.objects.filter(prompt_id=prompt_id, variant_id=variant_id, day=day)
    if rows.update(**{what: F(what) + 1}):
        return
    try:
        with transaction.atomic():
            PromptDay.objects.create(prompt_id=prompt_id, variant_id=variant_id, day=day, **{what: 1})
    except IntegrityError:  # another request made today's row first
        rows.update(**{what: F(what) + 1})
