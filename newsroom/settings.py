"""
Newsroom's settings. Every value that differs between a laptop and production
comes from an environment variable; each one is documented once, in README.md.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else int(value)


DEBUG = env_bool("DEBUG")

# Refuse to start in production with a guessable key or an open Host header,
# rather than run insecurely and let someone find out later.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
else:
    if len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "For local work, set DEBUG=1 instead."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names (comma-separated) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "taggit",
    "django_prose_editor",
    # Listed before "articles": the desk's roles (articles.roles) name their
    # permissions, which exist once these apps' post_migrate has run.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "articles",
    # After articles: it plugs into the reader's pages and the desk's roles (articles/extensions.py).
    "paywall",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # An address with %00 in it is answered 400 before any lookup (articles/request_checks.py).
    "articles.request_checks.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Reader pages only (articles/middleware.py): gzip, then ETag and 304 on the way out.
    "articles.middleware.ReaderGZipMiddleware",
    "articles.middleware.ReaderConditionalGetMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "articles.csp.DeskCSPMiddleware",
    # Before sessions and authentication, so a stored page costs no database query.
    "articles.middleware.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user verified once a one-time code was given; then the
    # desk's own guard sends unverified desk users to the two-factor pages.
    "django_otp.middleware.OTPMiddleware",
    "articles.twofactor.middleware.DeskTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Widget templates may live in templates/ beside the rest.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.newsroom",
            ],
        },
    },
]

# SQLite under var/ needs no setup; production sets DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers carry on while the desk writes; IMMEDIATE takes the
        # write lock at BEGIN, so concurrent writers wait instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# One language per site: pages declare it in <html lang>, so it is not negotiated per reader.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Swap "default" for an object-storage backend (S3, GCS) in production;
    # nothing in the code writes to the local disk directly.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# HTTPS. Production sits behind a TLS-terminating proxy or CDN that says
# which scheme the reader used in a header; SECURE_PROXY_SSL_HEADER names it
# ("off" when nothing in front sets one, so no client can claim HTTPS).
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "HTTP_X_FORWARDED_PROTO").strip()
if _proxy_ssl_header and _proxy_ssl_header.lower() not in {"0", "off", "none", "false"}:
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# HSTS: browsers refuse plain HTTP for this host (and, by default, its
# subdomains) for a year once they have seen the header over HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading is the domain owner's decision, hard to undo (months to leave the
# browsers' lists), and anyone may submit a domain that sends it; so it is off
# unless asked for, and `check --deploy` is told that this is deliberate.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links out of the paper carry no referrer beyond our own pages, so a shared
# preview link's token never reaches another site.
SECURE_REFERRER_POLICY = "same-origin"
# Nothing of ours is meant to be framed, by us or anyone else.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp). Scripts and stylesheets come only from
# our own static files: no inline code, no CDN, nothing framed. Desk pages add
# what the admin and the rich-text editor need (articles/csp.py).
_media_origin = re.match(r"^https?://[^/]+", MEDIA_URL)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *([_media_origin.group(0)] if _media_origin else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Browser features the paper never uses are switched off for every page
# (django-permissions-policy); "browsing-topics" keeps readers out of ad-topic profiling.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}

# The desk. Only staff have sessions (readers never sign in), so the session
# lifetime is the desk's: a sign-in lasts this many hours.
SESSION_COOKIE_AGE = int(float(os.environ.get("DESK_SESSION_HOURS", "12")) * 3600)
# The desk's messages stay on the server: a new push token is shown once in a
# message, and a signed cookie would carry it through the browser in the clear.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Failed sign-ins (django-axes; articles/login_throttle.py). One username from
# one address is locked after LOGIN_FAILURE_LIMIT wrong passwords, so nobody can
# lock a colleague out from elsewhere; one address is locked for everyone after
# LOGIN_FAILURE_LIMIT_PER_IP, which stops guessing across many usernames. The
# lock lifts LOGIN_COOLOFF_MINUTES after the last failure, or when an editor
# deletes it in the admin (Access attempts).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_FAILURE_LIMIT_PER_IP = env_int("LOGIN_FAILURE_LIMIT_PER_IP", 50)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "articles.login_throttle.DeskLoginHandler"
AXES_LOCKOUT_CALLABLE = "articles.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "articles.login_throttle.client_ip"
AXES_RESET_ON_SUCCESS = True
# No start-up banner. (Failures are logged with the username and address masked.)
AXES_VERBOSE = False
# Behind a proxy every request comes from the proxy's address; name the header
# it puts the reader's address in (e.g. HTTP_X_FORWARDED_FOR; its last entry is used).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Two-factor sign-in (django-otp; articles/twofactor/). Anyone on the desk may
# turn it on; with DESK_REQUIRE_2FA, editors and superusers must.
DESK_REQUIRE_2FA = env_bool("DESK_REQUIRE_2FA", False)
# Device secrets and recovery codes are never shown in the admin, even to superusers.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

TAGGIT_CASE_INSENSITIVE = True

# The newsroom itself.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "The Newsroom Daily")

# --- The reader site: metadata, search, feeds, images -------------------------
# The site's language when a story does not give its own (<html lang>, feeds, news sitemap).
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", LANGUAGE_CODE)
# The absolute address of the reader site ("https://news.example.com"), for feeds, sitemaps and
# structured data built outside a request. Empty: the request's own scheme and host are used.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# Static files (paths under STATIC_URL): the publisher's logo in structured data, and the
# picture search engines and social cards get for a story that has none of its own.
NEWSROOM_LOGO = os.environ.get("NEWSROOM_LOGO", "articles/logo.png")
NEWSROOM_DEFAULT_IMAGE = os.environ.get("NEWSROOM_DEFAULT_IMAGE", "articles/default-image.png")
# PostgreSQL's text search configuration for the reader's search ("english", "simple", …).
SEARCH_CONFIG = os.environ.get("SEARCH_CONFIG", "english")
# Picture renditions: the widths made for every library picture (WebP and JPEG each).
IMAGE_RENDITION_WIDTHS = (320, 640, 1024, 1600)
# The Google News sitemap lists stories published in this many hours.
# The metered paywall (paywall/meter.py): after this many distinct stories in 30 days, readers who
# do not subscribe get the lede and a prompt. 0 turns it off; Google suggests 6 to 10.
PAYWALL_METER_FREE_ARTICLES = int(os.environ.get("PAYWALL_METER_FREE_ARTICLES", "0"))
# A premium story's public preview: this many opening paragraphs (the paywall app decides who reads on).
PREMIUM_PREVIEW_PARAGRAPHS = int(os.environ.get("PREMIUM_PREVIEW_PARAGRAPHS", "2"))
NEWS_SITEMAP_HOURS = 48
# Authenticator apps list the desk's entry under the paper's name.
OTP_TOTP_ISSUER = NEWSROOM_NAME
# Uploads larger than this, in bytes or pixels, are refused before decoding.
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", 20 * 1024 * 1024))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 50_000_000))

# --- Page cache and HTTP caching ---
# articles/page_cache.py and articles/middleware.py.
# Anonymous readers' Cache-Control: seconds browsers (max-age) and shared caches and CDNs
# (s-maxage) may keep a page; 404, 410 and redirects get READER_ERROR_MAX_AGE for both.
READER_MAX_AGE = env_int("READER_MAX_AGE", 60)
READER_SHARED_MAX_AGE = env_int("READER_SHARED_MAX_AGE", 300)
READER_ERROR_MAX_AGE = env_int("READER_ERROR_MAX_AGE", 30)
# Whole reader pages kept in the cache (Redis with REDIS_URL) for anonymous readers, at most
# this many seconds; any change readers can see empties it at once.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The CDN's purge address, "{path}" standing for the page's path
# ("https://cdn.example/purge{path}"); empty: no purging. One request per page, after commit.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_METHOD = os.environ.get("CDN_PURGE_METHOD", "PURGE")
CDN_PURGE_TIMEOUT = float(os.environ.get("CDN_PURGE_TIMEOUT", "2"))

# Shared preview links stop working after this many hours (and can be revoked sooner).
PREVIEW_LINK_MAX_AGE = int(float(os.environ.get("PREVIEW_LINK_HOURS", "48")) * 3600)
# Opening a story someone else opened within this many minutes shows a notice.
EDITING_NOTICE_MINUTES = int(os.environ.get("EDITING_NOTICE_MINUTES", "5"))

# Wire files larger than this are refused (and kept, truncated, with the reason).
WIRE_MAX_BYTES = int(os.environ.get("WIRE_MAX_BYTES", 5 * 1024 * 1024))
# A zip package may hold this many files and folders, expanding to this many bytes in all.
WIRE_PACKAGE_MAX_FILES = int(os.environ.get("WIRE_PACKAGE_MAX_FILES", 200))
WIRE_PACKAGE_MAX_BYTES = int(os.environ.get("WIRE_PACKAGE_MAX_BYTES", 20 * 1024 * 1024))
# Agencies' remote pictures are recorded, not fetched, unless their host is listed here.
WIRE_FETCH_IMAGES_FROM = env_list("WIRE_FETCH_IMAGES_FROM")
WIRE_FETCH_TIMEOUT = float(os.environ.get("WIRE_FETCH_TIMEOUT", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
