import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def hash_push_token(token: str) -> str:
    """What is stored of a push token: its SHA-256, in hex (why this is enough: see `push_token_hash`)."""
    return hashlib.sha256(token.encode()).hexdigest()


class WireService(models.Model):
    """A news agency whose copy the paper runs: Kyodo, AP, Reuters…"""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("e.g. “Kyodo News”."))
    credit = models.CharField(
        _("credit as printed"),
        max_length=100,
        help_text=_("How stories from this agency are credited on the page, e.g. “Kyodo”."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    website = models.URLField(_("website"), blank=True)
    usage_terms = models.TextField(
        _("usage terms"),
        blank=True,
        help_text=_("A note for the desk on what the contract allows (embargo rules, image use…)."),
    )
    boilerplate = models.TextField(
        _("boilerplate lines"),
        blank=True,
        help_text=_("Lines to strip from this agency's plain-text copy, one per line (footers, promotions)."),
    )
    # Only a hash of the agency's token is kept, so no one who can read this row (reporters
    # see agencies in the admin, backups travel) learns a working credential. Plain SHA-256
    # is enough because the tokens are 256 random bits from `secrets`: nobody can guess
    # one, so a slow, salted password hash (PBKDF2, Argon2) would protect nothing more and
    # would cost CPU on every push. Tokens carried over from before hashing were chosen by
    # people and may be weak: set new ones.
    distributes = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        verbose_name=_("may deliver stories of"),
        help_text=_(
            "Agencies whose stories this agency's channel may carry under their own credit, e.g. Kyodo "
            "distributing Jiji. A file on this channel naming any other agency is refused and kept."
        ),
    )
    push_token_hash = models.CharField(
        _("push token (SHA-256)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Hash of the secret the agency sends as “Authorization: Bearer …” to POST stories to "
                    "/wire/push/<slug>/. Empty turns pushing off."),
    )  # fmt: skip

    class Meta:
        ordering = ["name"]
        verbose_name = _("wire service")
        verbose_name_plural = _("wire services")

    def __str__(self):
        return self.name

    def boilerplate_lines(self):
        return [line.strip() for line in self.boilerplate.splitlines() if line.strip()]

    @property
    def accepts_push(self):
        return bool(self.push_token_hash)

    def set_push_token(self) -> str:
        """Give the agency a new push token, replacing any old one, and return it: it is stored only as a hash."""
        token = secrets.token_urlsafe(32)
        self.push_token_hash = hash_push_token(token)
        self.save(update_fields=["push_token_hash"])
        return token

    def clear_push_token(self):
        """Turn pushing off: no token works any more."""
        self.push_token_hash = ""
        self.save(update_fields=["push_token_hash"])

    def check_push_token(self, token: str) -> bool:
        """Whether `token` is this agency's push token (in constant time)."""
        if not self.push_token_hash or not token:
            return False
        return hmac.compare_digest(hash_push_token(token), self.push_token_hash)


class WireMapping(models.Model):
    """
    How the names and codes agencies use map to our agencies and tags. Agency
    codes ("nprov:REUTERS", "AP", "共同通信") point at a WireService; subject codes
    and keywords ("medtop:20000523", "GSOMIA") point at a tag name. Codes without
    a mapping stay on the wire item and create no tags.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Agency name or code")
        SUBJECT = "subject", _("Subject code or keyword")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=200, help_text=_("As it appears in the files; case is ignored."))
    wire_service = models.ForeignKey(
        WireService,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mappings",
        help_text=_("For agency codes."),
    )
    tag = models.CharField(
        _("tag"), max_length=100, blank=True, help_text=_("For subject codes and keywords: the tag to give the story.")
    )

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("wire mapping")
        verbose_name_plural = _("wire mappings")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("code"), "kind", name="wiremapping_unique_code",
                violation_error_message=_("This code is already mapped."),
            ),
        ]  # fmt: skip

    def __str__(self):
        target = self.wire_service if self.kind == self.Kind.AGENCY else self.tag or _("(no tag)")
        return f"{self.code} → {target}"

    def clean(self):
        if self.kind == self.Kind.AGENCY and not self.wire_service_id:
            raise ValidationError({"wire_service": _("Choose the agency this code stands for.")})


class WireItem(models.Model):
    """
    One story as received from an agency, kept with its raw file whatever
    happened to it, so nothing is ever lost and any failure can be retried.
    """

    class Outcome(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        UPDATE_AVAILABLE = "update_available", _("Update available")
        DUPLICATE = "duplicate", _("Duplicate")
        STALE = "stale", _("Older version")
        KILLED = "killed", _("Killed")
        PICTURE = "picture", _("Added to the picture library")
        KEPT = "kept", _("Kept (not a story)")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        PICTURE = "picture", _("Picture")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        PACKAGE = "package", _("Package")

    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Upload, drop folder or push."))
    filename = models.CharField(_("file name"), max_length=300, blank=True)
    raw = models.BinaryField(_("raw file"))
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=20, blank=True)
    channel = models.ForeignKey(
        WireService,
        verbose_name=_("channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The agency whose channel delivered it (push address, drop folder or upload choice)."),
    )
    wire_service = models.ForeignKey(
        WireService, verbose_name=_("agency"), on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT, db_index=True)
    guid = models.CharField(_("GUID"), max_length=255, blank=True, db_index=True)
    guid_derived = models.BooleanField(
        _("GUID made here"),
        default=False,
        help_text=_("The file had no identifier: this one is a hash of agency, headline and first-created time."),
    )
    version = models.CharField(_("version"), max_length=64, blank=True)
    headline = models.CharField(_("headline"), max_length=300, blank=True)
    slugline = models.CharField(_("slugline"), max_length=200, blank=True, db_index=True)
    priority = models.CharField(_("priority"), max_length=20, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=20, blank=True)
    first_created = models.DateTimeField(_("first created"), null=True, blank=True)
    place = models.CharField(_("agency's place"), max_length=200, blank=True)
    ed_note = models.TextField(
        _("editor's note"), blank=True, help_text=_("The agency's note to the desk; never shown to readers.")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, db_index=True)
    error = models.TextField(_("reason"), blank=True)
    removed_text = models.TextField(
        _("text removed"),
        blank=True,
        help_text=_(
            "Text the delivery carried that is not the story's own (the paper's subscription prompt), left out."
        ),
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    data = models.JSONField(_("parsed story"), default=dict, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("wire item")
        verbose_name_plural = _("wire desk")

    def __str__(self):
        return self.headline or self.guid or self.filename or f"#{self.pk}"
