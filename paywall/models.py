"""
Subscription prompts, the readers' subscriptions, and the prompts' daily counts.

A Prompt is what staff write to ask readers to subscribe, with where it
appears (placement), to whom (audience) and on which stories (targeting),
and when (schedule, active switch, priority). Which prompt a reader sees is
decided in decisions.py; counting is in stats.py.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
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
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end comes before the start.")})

    def shown_to(self, reader):
        return reader in AUDIENCE_READERS[Audience(self.audience)]


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
    """A prompt's impressions and clicks on one day: counters, incremented in place, never a row per view."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    clicks = models.PositiveIntegerField(_("clicks"), default=0)

    class Meta:
        verbose_name = _("day's figures")
        verbose_name_plural = _("daily figures")
        constraints = [models.UniqueConstraint(fields=["prompt", "day"], name="prompt_day_unique")]
        ordering = ["-day"]

    def __str__(self):
        return f"{self.prompt} {self.day}"
