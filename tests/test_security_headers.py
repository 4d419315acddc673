"""Deployment hardening: `check --deploy`, the security headers on reader and desk pages, and their settings."""

import base64
import hashlib
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "production-like-secret-key-" + "k" * 30, "ALLOWED_HOSTS": "news.example"}
# What tests/settings.py (and the browser tests' Playwright) set for the test run; a production shell has none of it.
TEST_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_with(env, *args):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
    )


def directives(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


def test_check_deploy_is_clean_in_production():
    """`manage.py check --deploy` finds nothing to warn about with production settings."""
    result = run_with(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deployment_settings_come_from_the_environment():
    """HSTS, the HTTPS redirect, the proxy header, 2FA and the desk's session length are environment variables."""
    env = {
        **PRODUCTION,
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_HSTS_PRELOAD": "1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_SCHEME",
        "DESK_REQUIRE_2FA": "1",
        "DESK_SESSION_HOURS": "2",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER[0], "
        "s.DESK_REQUIRE_2FA, s.SESSION_COOKIE_AGE)"
    )
    result = run_with(env, "-c", code)
    assert result.stdout.split() == ["600", "True", "False", "HTTP_X_FORWARDED_SCHEME", "True", "7200"], result.stderr
    no_proxy = run_with({**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "off"}, "-c", code.replace("[0]", ""))
    assert no_proxy.stdout.split()[3] == "None"


def test_production_defaults():
    """Without overrides: a year of HSTS with subdomains, no preload, HTTPS redirect, 2FA not required, 12 hours."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.DESK_REQUIRE_2FA, s.SESSION_COOKIE_AGE)"
    )
    result = run_with(PRODUCTION, "-c", code)
    assert result.stdout.split() == ["31536000", "True", "False", "True", "True", "False", "43200"], result.stderr


@pytest.mark.django_db
def test_reader_pages_carry_the_security_headers(client, make_article):
    """A story page: strict CSP, no framing, Permissions-Policy, Referrer-Policy, nosniff."""
    response = client.get(make_article().get_absolute_url())
    assert response.status_code == 200
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert "style-src-attr" not in csp
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response  # only ever sent over HTTPS


@pytest.mark.django_db
@pytest.mark.parametrize("https", [{"secure": True}, {"HTTP_X_FORWARDED_PROTO": "https"}], ids=["tls", "proxy"])
def test_hsts_over_https(client, make_article, https):
    """Over HTTPS (directly, or as the TLS proxy says), pages carry a year of HSTS including subdomains."""
    response = client.get(make_article().get_absolute_url(), **https)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_plain_http_is_redirected_when_configured(settings, client, make_article):
    """SECURE_SSL_REDIRECT (on by default in production) sends plain HTTP to HTTPS."""
    settings.SECURE_SSL_REDIRECT = True
    url = make_article().get_absolute_url()
    response = client.get(url)
    assert response.status_code == 301 and response.url == f"https://testserver{url}"
    assert client.get(url, HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.django_db
def test_desk_pages_allow_only_the_editors_import_map(editor_client):
    """The story form: no 'unsafe-inline' script; the editor's import map is allowed by its exact hash."""
    response = editor_client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    csp = directives(response)
    assert "'unsafe-inline'" not in csp["script-src"] + csp["style-src"]
    importmap = re.search(r'<script type="importmap"[^>]*>(.*?)</script>', response.text, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(importmap.encode()).digest()).decode()
    assert csp["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert len(csp["style-src"]) == 2  # 'self' and Tiptap's stylesheet, by hash
    assert "style-src-attr" not in csp  # no inline style attributes either: pictures are sized by classes
    assert response["X-Frame-Options"] == "DENY"
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_login_page_has_the_headers_too(client):
    """The desk's login page, where passwords are typed, is covered like every other page."""
    response = client.get("/admin/login/")
    assert "default-src" in directives(response)
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_desk_sign_in_lasts_desk_session_hours(client, editor):
    """The session cookie from the desk's login form lives DESK_SESSION_HOURS (12 by default)."""
    response = client.post("/admin/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 12 * 3600
    assert response.cookies["sessionid"]["httponly"]
