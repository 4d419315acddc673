"""
Settings the paywall cannot work with, caught by `manage.py check` (and so
by `migrate`, `runserver` and every deploy) instead of by readers.
"""

from django.conf import settings
from django.core import checks

# An anonymous reader's meter lives in a cookie, and browsers drop a cookie
# over 4 KB, which would hand the reader a fresh meter: a hundred stories
# fit with room to spare (about 1 KB signed, with eight-digit story ids).
METER_FREE_ARTICLES_MAX = 100


@checks.register(checks.Tags.compatibility)
def check_paywall_settings(app_configs, **kwargs):
    errors = []
    free = settings.PAYWALL_METER_FREE_ARTICLES
    if not 0 <= free <= METER_FREE_ARTICLES_MAX:
        errors.append(
            checks.Error(
                f"PAYWALL_METER_FREE_ARTICLES is {free}; it must be 0 (off) to {METER_FREE_ARTICLES_MAX}.",
                hint="Google suggests 6 to 10 free stories a month.",
                id="paywall.E001",
            )
        )
    if settings.PREMIUM_PREVIEW_PARAGRAPHS < 0:
        errors.append(
            checks.Error(
                "PREMIUM_PREVIEW_PARAGRAPHS cannot be below 0.",
                hint="The paragraphs of a premium story everyone may read; 2 by default.",
                id="paywall.E002",
            )
        )
    return errors
