"""
The meter: how many distinct stories a reader has read in the last
METER_DAYS days, and the metered paywall built on it
(PAYWALL_METER_FREE_ARTICLES free stories, then the lede and a prompt).
Stories are counted while the metered paywall is on or a live prompt has a
meter condition ("read at least / at most N"), up to what either asks.

Counting happens in the meter pixel (`views.meter`), never in the page, so
the article page stays the same for everyone and keeps its place in the
page cache and the CDN:
- a registered reader's reads are rows (`MeterRead`), one per story;
- an anonymous reader's are in a signed cookie (METER_COOKIE). Editing it
  breaks the signature, and a broken meter counts as used up: tampering
  never resets the count. Deleting it does, as on every metered site; only
  an account closes that door.
When an anonymous reader has used up the free stories, the pixel also sets
GATE_COOKIE. A request carrying it is private (never answered from the page
cache; a CDN must be told to pass it through, see the README), and only then
does the article view read the meter.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import METER_CONDITION_MAX, MeterRead, Reader

METER_COOKIE = "nr_meter"
GATE_COOKIE = "nr_gate"
METER_DAYS = 30
_SALT = "paywall.meter"
_USED_UP = object()  # a meter that cannot be read: treated as full


def free_articles():
    return settings.PAYWALL_METER_FREE_ARTICLES


def is_on():
    """Whether the metered paywall is on. Stories are also counted for prompts' meter conditions (decisions)."""
    return free_articles() > 0


def _keeps():
    """How many stories a meter holds: enough for the paywall and for any prompt's condition."""
    return max(free_articles(), METER_CONDITION_MAX + 1)


# Anonymous readers: the signed cookie.


def cookie_reads(request):
    """{story id: day read (ordinal)} within METER_DAYS, {} without a cookie, _USED_UP if it was tampered with."""
    value = request.COOKIES.get(METER_COOKIE)
    if value is None:
        return {}
    try:
        reads = signing.loads(value, salt=_SALT, max_age=METER_DAYS * 86400)
        oldest = timezone.localdate().toordinal() - METER_DAYS
        return {int(pk): int(day) for pk, day in reads.items() if int(day) > oldest}
    except (signing.BadSignature, AttributeError, TypeError, ValueError):
        return _USED_UP


def count_in_cookie(request, response, article_id):
    """Add `article_id` to an anonymous reader's meter and set the cookies on `response`."""
    reads = cookie_reads(request)
    if reads is _USED_UP:
        _set(response, GATE_COOKIE, "1")
        return
    if article_id not in reads and len(reads) < _keeps():
        reads[article_id] = timezone.localdate().toordinal()
    _set(response, METER_COOKIE, signing.dumps({str(pk): day for pk, day in reads.items()}, salt=_SALT, compress=True))
    if is_on() and len(reads) >= free_articles():
        _set(response, GATE_COOKIE, "1")


def _set(response, name, value):
    response.set_cookie(
        name,
        value,
        max_age=METER_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# Registered readers: rows.


def count_for_user(user, article_id):
    if MeterRead.objects.filter(user=user, article_id=article_id, read_on__gte=_window_start()).exists():
        return
    if _user_reads(user).count() >= _keeps():
        return
    MeterRead.objects.update_or_create(user=user, article_id=article_id, defaults={"read_on": timezone.localdate()})


def _window_start():
    return timezone.localdate() - datetime.timedelta(days=METER_DAYS - 1)


def _user_reads(user):
    return MeterRead.objects.filter(user=user, read_on__gte=_window_start())


# The paywall's questions.


def reads_with(request, reader, article_id):
    """
    How many distinct stories the reader has read in the window, counting
    this one: what a prompt's meter condition asks. A tampered cookie reads
    as more than any condition, as it does for the metered paywall.
    """
    if reader == Reader.ANONYMOUS:
        reads = cookie_reads(request)
        if reads is _USED_UP:
            return _keeps()
        return len(reads) + (article_id not in reads)
    read_ids = set(_user_reads(request.user).values_list("article_id", flat=True)[: _keeps()])
    return len(read_ids) + (article_id not in read_ids)


def stops_at(article):
    """An `articles.extensions` metering check: with the metered paywall on, every free story is metered."""
    return is_on()


def used_up_request(request):
    """An `articles.extensions` private-request check: this anonymous reader's free stories are used up."""
    return is_on() and GATE_COOKIE in request.COOKIES


def used_up_for(request, article, reader):
    """Whether the metered paywall stops this reader at this story (already-read stories stay free)."""
    if not is_on() or reader == Reader.SUBSCRIBER:
        return False
    if reader == Reader.REGISTERED:
        reads = _user_reads(request.user)
        return not reads.filter(article_id=article.pk).exists() and reads.count() >= free_articles()
    if GATE_COOKIE not in request.COOKIES:
        return False  # the shared page: only a request marked private may be stopped
    reads = cookie_reads(request)
    return reads is _USED_UP or (article.pk not in reads and len(reads) >= free_articles())
