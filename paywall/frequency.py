"""
What the decision endpoint remembers of a reader's browser, in two signed
cookies it sets (never the page, which stays the same for every anonymous
reader):

- FREQUENCY_COOKIE (a year): a random reader key, which keeps an anonymous
  reader in the same A/B variant, and for each prompt shown, how many times
  and on which day it was last shown, for the "once per day" and "at most N
  times" caps;
- SESSION_COOKIE (until the browser closes): the prompts shown in this
  browser session, for "once per session".

A signed-in reader's key is their account, so their variant follows them
from one browser to the next. A cookie that was edited is ignored as if it
were missing: the caps only spare readers prompts, so no one gains by it.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Frequency

FREQUENCY_COOKIE = "nr_prompts"
SESSION_COOKIE = "nr_prompts_session"
_SALT = "paywall.frequency"
_KEEP = 100  # prompts remembered per browser, the most recently shown kept


class SeenPrompts:
    """A reader's prompt history, read from the request and written back on the response."""

    def __init__(self, request):
        stored = _load(request, FREQUENCY_COOKIE, {})
        self.key = stored.get("r") if isinstance(stored.get("r"), str) else None
        self.counts = {}
        for pk, value in (stored.get("p") or {}).items() if isinstance(stored.get("p"), dict) else ():
            if str(pk).isdigit() and isinstance(value, list) and len(value) == 2:
                self.counts[int(pk)] = (int(value[0]), int(value[1]))
        session = _load(request, SESSION_COOKIE, [])
        self.this_session = {int(pk) for pk in session if isinstance(pk, int)} if isinstance(session, list) else set()
        self.changed = self.key is None
        self.key = self.key or secrets.token_urlsafe(12)

    def reader_key(self, user=None):
        """Who the reader is for A/B variants: their account when signed in, else this browser."""
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"browser:{self.key}"

    def allows(self, prompt):
        """Whether the prompt's frequency cap lets it be shown again."""
        if prompt.frequency == Frequency.EVERY_VIEW:
            return True
        if prompt.frequency == Frequency.ONCE_PER_SESSION:
            return prompt.id not in self.this_session
        times, last_day = self.counts.get(prompt.id, (0, 0))
        if prompt.frequency == Frequency.ONCE_PER_DAY:
            return last_day != timezone.localdate().toordinal()
        return times < prompt.frequency_limit

    def record(self, prompt):
        times, _ = self.counts.pop(prompt.id, (0, 0))
        self.counts[prompt.id] = (times + 1, timezone.localdate().toordinal())
        self.this_session.add(prompt.id)
        self.changed = True

    def save(self, response):
        if not self.changed:
            return
        newest = sorted(self.counts.items(), key=lambda item: item[1][1])[-_KEEP:]
        stored = {"r": self.key, "p": {str(pk): list(value) for pk, value in newest}}
        _set(response, FREQUENCY_COOKIE, signing.dumps(stored, salt=_SALT, compress=True), max_age=365 * 86400)
        session = sorted(self.this_session)[-_KEEP:]
        _set(response, SESSION_COOKIE, signing.dumps(session, salt=_SALT, compress=True), max_age=None)


def _load(request, name, empty):
    value = request.COOKIES.get(name)
    if not value:
        return empty
    try:
        return signing.loads(value, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return empty


def _set(response, name, value, *, max_age):
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )
