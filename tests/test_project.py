"""Promises about the project itself: configuration and self-containment."""

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR


def _start(env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "django-insecure-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS must list"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, message):
    """With DEBUG off, a missing secret key or host list stops start-up with a clear reason."""
    result = _start(env)
    assert result.returncode != 0 and message in result.stderr


def test_production_starts_when_configured():
    """With a real key and hosts, start-up succeeds."""
    assert _start({"DEBUG": "0", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "news.example"}).returncode == 0


def test_debug_starts_with_no_configuration():
    """A newcomer's DEBUG=1 needs nothing else."""
    assert _start({"DEBUG": "1"}).returncode == 0


def test_nothing_reads_the_shared_folder():
    """No code, test, template or Makefile reaches outside the project for fixtures."""
    needle = "../" + "shared"
    offenders = []
    for path in PROJECT_DIR.rglob("*"):
        if any(part in {".venv", ".git", "var", "node_modules", "__pycache__"} for part in path.parts):
            continue
        readable = path.is_file() and path.suffix in {".py", ".html", ".txt", ".toml", ".cfg", ".js", ""}
        if readable and needle in path.read_text(encoding="utf-8", errors="ignore"):
            offenders.append(str(path.relative_to(PROJECT_DIR)))
    assert offenders == []


def test_migrations_match_the_models(db):
    """Every model change has its migration."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
