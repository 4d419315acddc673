"""
Which prompt a reader sees, where.

The live prompts are read from the database once and kept in the cache as
plain data (`LivePrompt`), so choosing costs one cache lookup on a warm
cache and no query. Saving or deleting a prompt drops that entry once the
transaction commits; the entry also expires at the next moment a prompt's
schedule starts or ends, so a scheduled prompt appears on time in pages
drawn from then on. A page already in the page cache keeps the prompt it
was drawn with until it expires (PAGE_CACHE_SECONDS): the page cache's clock
knows the stories' schedules, not the prompts'.

The page decides with what it knows of the reader: anonymous, registered or
subscriber (`reader_of`). An anonymous reader's page is the same for every
anonymous reader, so it stays in the page cache; a signed-in reader's page
is private already (the session makes it so).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles import page_cache

from . import meter
from .models import AUDIENCE_READERS, Audience, Prompt, Reader, Subscription

CACHE_KEY = "paywall:live-prompts"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class LivePrompt:
    id: int
    name: str
    headline: str
    message: str
    cta_label: str
    cta_url: str
    show_login_link: bool
    style: str
    placement: str
    after_paragraph: int
    readers: frozenset
    section_ids: frozenset
    tag_ids: frozenset
    agency_ids: frozenset
    staff_only: bool
    premium_only: bool
    priority: int

    def fits(self, article):
        """Whether the prompt's targeting takes in `article` (its tags prefetched)."""
        if self.section_ids and article.section_id not in self.section_ids:
            return False
        if self.agency_ids and article.wire_service_id not in self.agency_ids:
            return False
        if self.staff_only and article.wire_service_id is not None:
            return False
        if self.premium_only and not article.is_premium:
            return False
        return not self.tag_ids or bool(self.tag_ids & {tag.pk for tag in article.tags.all()})


def reader_of(request):
    """
    Anonymous, registered or subscriber. Without a session cookie the reader
    is anonymous and the session is never opened: opening it would add
    `Vary: Cookie` and keep the page out of shared caches.
    """
    if request is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return Reader.ANONYMOUS
    if not hasattr(request, "_paywall_reader"):  # asked once a request, whatever the slots
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            request._paywall_reader = Reader.ANONYMOUS
        elif Subscription.objects.current().filter(user=user).exists():
            request._paywall_reader = Reader.SUBSCRIBER
        else:
            request._paywall_reader = Reader.REGISTERED
    return request._paywall_reader


def entitled(request, article):
    """
    An `articles.extensions` entitlement: premium stories are for subscribers,
    and others for everyone until the metered paywall's free stories are used up.
    """
    reader = reader_of(request)
    if reader == Reader.SUBSCRIBER:
        return True
    if article.is_premium:
        return False
    return not meter.used_up_for(request, article, reader)


def choose(article, reader, placement):
    """The prompt `reader` sees at `placement` on `article`, or None: the highest priority that fits."""
    for prompt in live_prompts():
        if prompt.placement == placement and reader in prompt.readers and prompt.fits(article):
            return prompt
    return None


def live_prompts():
    prompts = cache.get(CACHE_KEY)
    if prompts is None:
        prompts, expires = _load()
        cache.set(CACHE_KEY, prompts, timeout=max(1, min(CACHE_SECONDS, int(expires - time.time()))))
    return prompts


def _load():
    """The live prompts, best first, and the time the list next changes by the clock (four queries)."""
    now = timezone.now()
    active = Prompt.objects.filter(is_active=True).prefetch_related("sections", "tags", "agencies")
    prompts, moments = [], []
    for prompt in active.order_by("-priority", "pk"):
        if prompt.starts_at and prompt.starts_at > now:
            moments.append(prompt.starts_at)
        elif prompt.ends_at and prompt.ends_at <= now:
            continue
        else:
            prompts.append(as_live(prompt))
            if prompt.ends_at:
                moments.append(prompt.ends_at)
    expires = min(moments).timestamp() if moments else time.time() + CACHE_SECONDS
    return prompts, expires


def as_live(prompt):
    """A Prompt as the plain data pages choose from."""
    return LivePrompt(
        id=prompt.pk,
        name=prompt.name,
        headline=prompt.headline,
        message=prompt.message,
        cta_label=prompt.cta_label,
        cta_url=prompt.cta_url,
        show_login_link=prompt.show_login_link,
        style=prompt.style,
        placement=prompt.placement,
        after_paragraph=prompt.after_paragraph,
        readers=frozenset(AUDIENCE_READERS[Audience(prompt.audience)]),
        section_ids=frozenset(section.pk for section in prompt.sections.all()),
        tag_ids=frozenset(tag.pk for tag in prompt.tags.all()),
        agency_ids=frozenset(agency.pk for agency in prompt.agencies.all()),
        staff_only=prompt.staff_only,
        premium_only=prompt.premium_only,
        priority=prompt.priority,
    )


def prompts_changed(**kwargs):
    """
    Signal receiver: staff saved or deleted a prompt, or changed its targeting.
    The prompt list is dropped once the change commits, and the reader's pages
    (page cache, CDN) are renewed, as they print the prompts.
    """
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    page_cache.reader_pages_changed()
