"""
Test settings: production settings (DEBUG off) with a throwaway secret, so
the suite exercises the same configuration a newsroom runs.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from newsroom.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The hashed-manifest storage needs collectstatic first; tests read app static files directly.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Lets the test client's login() past django-axes, which wants a request (tests/login_backend.py).
AUTHENTICATION_BACKENDS = ["tests.login_backend.ClientLoginAxesBackend", *AUTHENTICATION_BACKENDS[1:]]  # noqa: F405

# On SQLite the test database lives on disk, so tests that start other
# processes (publish_scheduled running twice at once) can share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # NEWSROOM_TEST_DB lets two test runs on one machine keep apart.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.environ.get("NEWSROOM_TEST_DB") or str(VAR_DIR / "test-newsroom.sqlite3")  # noqa: F405
    }

# Tests write stories straight to the database, past the services' cache hook, and expect
# the next request to show them; the page cache's own tests (tests/test_page_cache.py) turn it on.
PAGE_CACHE = False
