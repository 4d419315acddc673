"""
Subscription prompts, the readers' subscriptions, and the prompts' daily counts.

A Prompt is what staff write to ask readers to subscribe, with where it
appears (placement), to whom (audience) and on which stories (targeting),
and when (schedule, active switch, priority). Which prompt a reader sees is
decided in decisions.py; counting is in stats.py.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.fields import BodyField
from articles.models import Article, Section, WireService


class Placement(models.TextChoices):
    ARTICLE_END = "article_end", _("End of article")
    INLINE = "inline", _("Inline, after paragraph N")
    TOP_BANNER = "top_banner", _("Top banner")
    OVERLAY = "overlay", _("Overlay the reader can dismiss")


class Audience(models.TextChoices):
    NON_SUBSCRIBERS = "non_subscribers", _("Everyone who is not a subscriber")
    ANONYMOUS = "anonymous", _("Anonymous readers")
    REGISTERED = "registered", _("Registered readers who do not subscribe")
    SUBSCRIBERS = "subscribers", _("Subscribers")


class Reader(models.TextChoices):
    """What the paywall knows of a reader: the audience a prompt is matched against."""

    ANONYMOUS = "anonymous", _("Anonymous")
    REGISTERED = "registered", _("Registered, no subscription")
    SUBSCRIBER = "subscriber", _("Subscriber")


# Which readers each audience takes in.
AUDIENCE_READERS = {
    Audience.NON_SUBSCRIBERS: {Reader.ANONYMOUS, Reader.REGISTERED},
    Audience.ANONYMOUS: {Reader.ANONYMOUS},
    Audience.REGISTERED: {Reader.REGISTERED},
    Audience.SUBSCRIBERS: {Reader.SUBSCRIBER},
}


class Style(models.TextChoices):
    PLAIN = "plain", _("Plain")
    HIGHLIGHTED = "highlighted", _("Highlighted box")
    COMPACT = "compact", _("Compact bar")


def check_cta_url(value):
    """A call to action goes to this site (a path) or to an http(s) address: never `javascript:` or `//host`."""
    parts = urlsplit(value)
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return
    if parts.scheme in ("http", "https") and parts.netloc:
        return
    raise ValidationError(_("Give an address on this site (/subscribe/) or a full http(s) address."))


class Frequency(models.TextChoices):
    EVERY_VIEW = "every_view", _("Every view")
    ONCE_PER_SESSION = "session", _("Once per browser session")
    ONCE_PER_DAY = "day", _("Once per day")
    AT_MOST = "at_most", _("At most N times in all")


# The meter keeps at most this many stories per reader (METER_DAYS days), so
# a meter condition can ask about up to this many.
METER_CONDITION_MAX = 50

# What "search" and "social" stand for in a prompt's referrer domains.
REFERRER_GROUPS = {
    "search": (
        "google.com",
        "google.co.jp",
        "google.co.uk",
        "bing.com",
        "duckduckgo.com",
        "search.yahoo.com",
        "search.yahoo.co.jp",
        "yandex.ru",
        "baidu.com",
        "ecosia.org",
        "qwant.com",
        "search.brave.com",
    ),
    "social": (
        "facebook.com",
        "t.co",
        "x.com",
        "twitter.com",
        "instagram.com",
        "linkedin.com",
        "lnkd.in",
        "reddit.com",
        "threads.net",
        "bsky.app",
        "mastodon.social",
        "line.me",
        "news.yahoo.co.jp",
        "t.me",
        "whatsapp.com",
        "youtube.com",
        "tiktok.com",
    ),
}
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def referrer_domains_of(text, *, strict=True):
    """
    A prompt's referrer field as a set of domains: one per line (or comma),
    "search" and "social" standing for REFERRER_GROUPS. Raises
    ValidationError naming the entries that are not domains (`strict`), or
    leaves them out.
    """
    domains, wrong = set(), []
    for entry in re.split(r"[\s,]+", (text or "").lower()):
        entry = entry.strip().strip(".")
        entry = entry.removeprefix("https://").removeprefix("http://").split("/")[0].removeprefix("www.")
        if not entry:
            continue
        if entry in REFERRER_GROUPS:
            domains.update(REFERRER_GROUPS[entry])
        elif _HOST.match(ascii_host := _punycode(entry)):
            domains.add(ascii_host)
        else:
            wrong.append(entry)
    if wrong and strict:
        raise ValidationError(
            _("Not a domain: %(entries)s. Give one per line, like news.google.com, or “search” or “social”."),
            params={"entries": ", ".join(wrong[:5])},
        )
    return frozenset(domains)


def referrer_host(value):
    """The host a reader arrived from, as paywall.js reports it, matched like the domains staff type; "" if none."""
    host = (value or "").strip().lower().removeprefix("www.")
    return host if _HOST.match(host) else ""


def _punycode(host):
    """A domain as browsers report it (`URL.hostname`): "例え.jp" is "xn--r8jz45g.jp"; "" if it cannot be one."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return ""


class PromptQuerySet(models.QuerySet):
    def live(self, at=None):
        """Switched on and inside their schedule."""
        at = at or timezone.now()
        return self.filter(is_active=True).filter(
            models.Q(starts_at__isnull=True) | models.Q(starts_at__lte=at),
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at),
        )


class Prompt(models.Model):
    name = models.CharField(_("name"), max_length=200, help_text=_("For staff only; readers never see it."))
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    message = BodyField(_("message"), blank=True)
    cta_label = models.CharField(_("button label"), max_length=60, default=_("Subscribe"))
    cta_url = models.CharField(
        _("button address"),
        max_length=500,
        validators=[check_cta_url],
        help_text=_("Where the button goes: a path on this site or a full http(s) address."),
    )
    show_login_link = models.BooleanField(_("offer “Log in”"), default=False)
    style = models.CharField(_("style"), max_length=20, choices=Style.choices, default=Style.PLAIN)

    placement = models.CharField(_("placement"), max_length=20, choices=Placement.choices)
    after_paragraph = models.PositiveSmallIntegerField(
        _("after paragraph"),
        default=3,
        help_text=_("For an inline prompt: after this paragraph (at the end of a shorter story)."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.NON_SUBSCRIBERS
    )

    sections = models.ManyToManyField(
        Section, blank=True, verbose_name=_("sections"), help_text=_("Only on these sections' stories; none: any.")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, verbose_name=_("tags"), help_text=_("Only on stories with one of these tags; none: any.")
    )
    agencies = models.ManyToManyField(
        WireService, blank=True, verbose_name=_("agencies"), help_text=_("Only on these agencies' stories.")
    )
    staff_only = models.BooleanField(_("staff stories only"), default=False)
    premium_only = models.BooleanField(
        _("premium stories only"),
        default=False,
        help_text=_("Shown where a premium story stops for readers who do not subscribe."),
    )

    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=100, help_text=_("Where two prompts would share a place, the higher number shows.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    # Conditions on the reader, decided per reader by the decision endpoint (decisions.py).
    frequency = models.CharField(_("how often"), max_length=20, choices=Frequency.choices, default=Frequency.EVERY_VIEW)
    frequency_limit = models.PositiveSmallIntegerField(
        _("at most N times"), default=3, help_text=_("For “at most N times”: how many times a reader sees it.")
    )
    referrer_domains = models.TextField(
        _("arriving from"),
        blank=True,
        help_text=_(
            "Only readers who arrive from these sites: one domain per line (news.google.com; a domain takes in "
            "its subdomains), or “search” for the main search engines, “social” for the main social networks. "
            "Empty: wherever they come from."
        ),
    )
    min_reads = models.PositiveSmallIntegerField(
        _("read at least"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(METER_CONDITION_MAX)],
        help_text=_("Stories in the last 30 days, this one included."),
    )
    max_reads = models.PositiveSmallIntegerField(
        _("read at most"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(METER_CONDITION_MAX)],
        help_text=_("Stories in the last 30 days, this one included."),
    )
    weight = models.PositiveSmallIntegerField(
        _("weight of this text"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("With variants: how often this text is shown beside theirs (1 and 1: half each)."),
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = PromptQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "name"]
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The end comes before the start.")
        if self.min_reads is not None and self.max_reads is not None and self.max_reads < self.min_reads:
            errors["max_reads"] = _("“Read at most” is below “read at least”: no reader would get it.")
        if self.frequency == Frequency.AT_MOST and not self.frequency_limit:
            errors["frequency_limit"] = _("Give how many times (1 or more).")
        try:
            referrer_domains_of(self.referrer_domains)
        except ValidationError as error:
            errors["referrer_domains"] = error
        if errors:
            raise ValidationError(errors)

    def shown_to(self, reader):
        return reader in AUDIENCE_READERS[Audience(self.audience)]


class PromptVariant(models.Model):
    """
    Another text for a prompt, for an A/B test: readers are shared between the
    prompt's own text and its variants by weight, and each reader keeps theirs.
    Where it goes, to whom and when stay the prompt's.
    """

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=60, help_text=_("For the figures, like “B: shorter message”."))
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    message = BodyField(_("message"), blank=True)
    cta_label = models.CharField(_("button label"), max_length=60, default=_("Subscribe"))
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        help_text=_("0 stops showing it and keeps its figures (a counted variant cannot be deleted)."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants (A/B test)")

    def __str__(self):
        return self.name


class SubscriptionQuerySet(models.QuerySet):
    def current(self, at=None):
        at = at or timezone.now()
        return self.filter(status=Subscription.Status.ACTIVE).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=at)
        )


class Subscription(models.Model):
    """A reader's subscription. Payment is not ours: staff record what the payment service says."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription", verbose_name=_("reader")
    )
    plan = models.CharField(_("plan"), max_length=100, default=_("Digital"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return f"{self.user} ({self.get_status_display()})"

    @property
    def is_current(self):
        return self.status == self.Status.ACTIVE and (self.valid_until is None or self.valid_until > timezone.now())


class MeterRead(models.Model):
    """A registered reader read this story on this day: the meter counts the last 30 days' distinct stories."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    read_on = models.DateField(_("read on"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="meter_read_unique")]
        indexes = [models.Index(fields=["user", "read_on"], name="meter_read_recent")]

    def __str__(self):
        return f"{self.user} {self.article_id} {self.read_on}"


class PromptDay(models.Model):
    """
    A prompt's impressions and clicks on one day, for its own text (no
    variant) or one variant: counters, incremented in place, never a row per view.
    """

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="days")
    # A counted variant is not deleted with its figures (weight 0 retires it);
    # deleting the whole prompt still takes them all (RESTRICT, not PROTECT).
    variant = models.ForeignKey(PromptVariant, on_delete=models.RESTRICT, null=True, blank=True, related_name="days")
    day = models.DateField(_("day"))
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("day's figures")
        verbose_name_plural = _("daily figures")
        # Two partial constraints, as NULLs are distinct to a plain one.
        constraints = [
            models.UniqueConstraint(
                fields=["prompt", "day"], condition=models.Q(variant__isnull=True), name="prompt_day_unique"
            ),
            models.UniqueConstraint(
                fields=["variant", "day"], condition=models.Q(variant__isnull=False), name="prompt_variant_day_unique"
            ),
        ]
        ordering = ["-day"]

    def __str__(self):
        return f"{self.prompt} {self.day}"
