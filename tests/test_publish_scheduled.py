"""`publish_scheduled`: safe from cron every minute, and with two copies running at once."""

import io
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import AuditEntry, Status
from tests.conftest import PROJECT_DIR

WORKER = """
import os, time, django
django.setup()
from django.core.management import call_command
time.sleep(max(0.0, float(os.environ["START_AT"]) - time.time()))
call_command("publish_scheduled")
"""


def database_url():
    """The test database's URL, for processes started from a test."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_transition_each_story_exactly_once(make_article):
    """Two publish_scheduled processes started together record each due story once, no more, no less."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a test database on disk")
    due = [
        make_article(
            status=Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1), credit_override="Staff"
        )
        for _ in range(40)
    ]
    not_yet = make_article(
        status=Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1), credit_override="Staff"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "START_AT": str(time.time() + 3),
    }
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    counts = [int(out.strip().splitlines()[-1].split()[0]) for out, _err in outputs]
    assert sum(counts) == 40
    for article in due:
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert AuditEntry.objects.filter(article=article, action="articles.go_live").count() == 1
    not_yet.refresh_from_db()
    assert not_yet.status == Status.SCHEDULED


def test_dry_run_lists_and_changes_nothing(make_article):
    """--dry-run names the due stories and leaves them scheduled."""
    article = make_article(
        status=Status.SCHEDULED,
        published_at=timezone.now() - timedelta(minutes=5),
        credit_override="Staff",
        headline="Due story",
    )
    out = io.StringIO()
    call_command("publish_scheduled", "--dry-run", stdout=out)
    assert "Due: Due story" in out.getvalue() and "1 due" in out.getvalue()
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED


def test_incomplete_or_embargoed_story_is_skipped_with_reason(make_article):
    """A due story that may not go out is reported, not published, and the run carries on."""
    make_article(
        status=Status.SCHEDULED,
        published_at=timezone.now() - timedelta(minutes=5),
        credit_override="Staff",
        embargo_until=timezone.now() + timedelta(hours=1),
    )
    good = make_article(
        status=Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=5), credit_override="Staff"
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("publish_scheduled", stdout=out, stderr=err)
    assert "embargoed until" in err.getvalue()
    assert "1 published, 1 skipped" in out.getvalue()
    good.refresh_from_db()
    assert good.status == Status.PUBLISHED
