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

What depends on one reader (a frequency cap, the site they came from, their
meter, their A/B variant) is never decided in the page: the page holds a
slot, and a few lines of our own JavaScript (static/paywall/paywall.js) ask
the decision endpoint (views.decide, private, never cached), which answers
with `decide` and keeps the reader's history in its own cookies
(frequency.py). Without JavaScript the slot shows the best prompt that asks
nothing of the reader (`for_page`).
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from articles import page_cache

from . import meter
from .models import AUDIENCE_READERS, Audience, Frequency, Placement, Prompt, Reader, Subscription, referrer_domains_of

CACHE_KEY = "paywall:live-prompts"
CACHE_SECONDS = 300


@dataclass(frozen=True)
class Version:
    """One text of a prompt: its own (id None) or an A/B variant's."""

    id: int | None
    name: str
    headline: str
    message: str
    cta_label: str
    weight: int


@dataclass(frozen=True)
class LivePrompt:
    id: int
    name: str
    versions: tuple  # the prompt's own text first, then its variants
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
    frequency: str = Frequency.EVERY_VIEW
    frequency_limit: int = 0
    referrer_domains: frozenset = frozenset()
    min_reads: int | None = None
    max_reads: int | None = None

    def fits(self, article):
        """Whether the prompt's targeting takes in `article` (its tags read once, only if the prompt asks)."""
        if self.section_ids and article.section_id not in self.section_ids:
            return False
        if self.agency_ids and article.wire_service_id not in self.agency_ids:
            return False
        if self.staff_only and article.wire_service_id is not None:
            return False
        if self.premium_only and not article.is_premium:
            return False
        return not self.tag_ids or bool(self.tag_ids & tag_ids_of(article))

    @property
    def uses_meter(self):
        return self.min_reads is not None or self.max_reads is not None

    @property
    def asks_about_reader(self):
        """Whether showing it depends on this reader's history or arrival: never decided in a shared page."""
        return self.frequency != Frequency.EVERY_VIEW or bool(self.referrer_domains) or self.uses_meter

    @property
    def is_personal(self):
        """Whether two anonymous readers may get different things from it (conditions, or an A/B test)."""
        return self.asks_about_reader or len(self.versions) > 1

    def version_for(self, reader_key):
        """
        The reader's A/B version: a hash of the prompt and the reader, so the
        same reader gets the same one on every page (as long as the weights
        stay), with no assignment stored anywhere.
        """
        if len(self.versions) == 1:
            return self.versions[0]
        digest = hashlib.sha256(f"{self.id}:{reader_key}".encode()).digest()
        point = int.from_bytes(digest[:8], "big") % sum(version.weight for version in self.versions)
        for version in self.versions:
            if point < version.weight:
                return version
            point -= version.weight
        return self.versions[0]

    def version(self, version_id):
        return next((version for version in self.versions if version.id == version_id), None)

    def welcomes_referrer(self, host):
        if not self.referrer_domains:
            return True
        return any(host == domain or host.endswith("." + domain) for domain in self.referrer_domains)

    def welcomes_reads(self, reads):
        if self.min_reads is not None and reads < self.min_reads:
            return False
        return self.max_reads is None or reads <= self.max_reads


def tag_ids_of(article):
    """
    A story's tag ids, read once per story object: from its prefetched tags
    on the article page, in one query in the decision endpoint (which
    fetches only what targeting needs, and tags only if a prompt asks).
    """
    ids = getattr(article, "_paywall_tag_ids", None)
    if ids is None:
        ids = article._paywall_tag_ids = frozenset(tag.pk for tag in article.tags.all())
    return ids


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


def candidates(article, reader, placement, request=None):
    """The live prompts that `reader` may get at `placement` on `article`, best first."""
    return [
        prompt
        for prompt in live_prompts(request)
        if prompt.placement == placement and reader in prompt.readers and prompt.fits(article)
    ]


def for_page(article, reader, placement, request=None):
    """
    What the page itself prints at `placement`: (prompt, per_reader).

    When the best prompt there is the same for every reader of this kind,
    it is printed as is (per_reader False). When it depends on the reader
    (a frequency cap, where they came from, their meter, an A/B test), the
    page holds a slot that the decision endpoint fills for each reader, and
    `prompt` is what a browser without JavaScript gets there instead: the
    best prompt that asks nothing of the reader, in its own text, or None.
    """
    found = candidates(article, reader, placement, request)
    if not found or not found[0].is_personal:
        return (found[0] if found else None), False
    return next((prompt for prompt in found if not prompt.asks_about_reader), None), True


# The slots a page may ask the decision endpoint to fill, and the placement
# each takes its prompts from: where a premium story stops ("gate") is the
# end of its public preview.
SLOTS = {**{placement: placement for placement in Placement.values}, "gate": Placement.ARTICLE_END}


def decide(request, article, slots, referrer_host, seen, *, robot=False):
    """
    The decision endpoint's answer for one reader: {slot: (prompt, version)}
    for each of `slots` (SLOTS) where a prompt passes its conditions on this
    reader. `seen` (frequency.SeenPrompts) is told what is shown. A robot
    gets each prompt's own text, the same every time.
    """
    reader = reader_of(request)
    reads = None
    chosen = {}
    for slot in slots:
        for prompt in candidates(article, reader, SLOTS[slot], request):
            if not seen.allows(prompt) or not prompt.welcomes_referrer(referrer_host):
                continue
            if prompt.uses_meter:
                if reads is None:
                    reads = meter.reads_with(request, reader, article.pk)
                if not prompt.welcomes_reads(reads):
                    continue
            user = request.user if reader != Reader.ANONYMOUS else None
            chosen[slot] = (prompt, prompt.versions[0] if robot else prompt.version_for(seen.reader_key(user)))
            seen.record(prompt)
            break
    return chosen


def meter_counting(request=None):
    """Whether readers' stories are counted: for the metered paywall, or for a live prompt's meter condition."""
    return meter.is_on() or any(prompt.uses_meter for prompt in live_prompts(request))


def live_prompts(request=None):
    """The live prompts, best first: one cache lookup a request (kept on the request), a query only on a miss."""
    if request is not None and hasattr(request, "_paywall_prompts"):
        return request._paywall_prompts
    prompts = cache.get(CACHE_KEY)
    if prompts is None:
        prompts, expires = _load()
        cache.set(CACHE_KEY, prompts, timeout=max(1, min(CACHE_SECONDS, int(expires - time.time()))))
    if request is not None:
        request._paywall_prompts = prompts
    return prompts


def _load():
    """The live prompts, best first, and the time the list next changes by the clock (five queries)."""
    now = timezone.now()
    active = Prompt.objects.filter(is_active=True).prefetch_related("sections", "tags", "agencies", "variants")
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
        versions=(
            Version(None, "", prompt.headline, prompt.message, prompt.cta_label, prompt.weight),
            *(
                Version(variant.pk, variant.name, variant.headline, variant.message, variant.cta_label, variant.weight)
                for variant in prompt.variants.all()
                if variant.weight > 0
            ),
        ),
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
        frequency=prompt.frequency,
        frequency_limit=prompt.frequency_limit,
        referrer_domains=referrer_domains_of(prompt.referrer_domains, strict=False),
        min_reads=prompt.min_reads,
        max_reads=prompt.max_reads,
    )


def prompts_changed(**kwargs):
    """
    Signal receiver: staff saved or deleted a prompt, or changed its targeting.
    The prompt list is dropped once the change commits, and the reader's pages
    (page cache, CDN) are renewed, as they print the prompts.
    """
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    page_cache.reader_pages_changed()
