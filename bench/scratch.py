"""
A fresh, throwaway database for a benchmark: SQLite in a temporary folder, or
the (recreated, so empty) database `DATABASE_URL` names. Production settings:
DEBUG off (no query log), a throwaway key.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def scratch_database():
    """Set Django up on an empty, migrated database; returns the scratch folder (also MEDIA_ROOT)."""
    scratch = tempfile.mkdtemp(prefix="newsroom-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["MEDIA_ROOT"] = scratch
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        _recreate_postgres_database(connection)
    call_command("migrate", verbosity=0)
    return scratch


def _recreate_postgres_database(connection):
    """Start PostgreSQL runs from an empty database, so figures are comparable."""
    import psycopg

    settings = connection.settings_dict
    name = settings["NAME"]
    admin = psycopg.connect(
        host=settings["HOST"] or "localhost", port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    connection.close()
