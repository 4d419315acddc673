import functools
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from ..credit import build_credit_line
from ..fields import BodyField
from ..html import opening, sanitize_body, split_opening, with_dateline
from ..querysets import ArticleQuerySet, matches, public_rule
from ..status import Status


class Article(models.Model):
    # The story.
    headline = models.CharField(
        _("headline"),
        max_length=300,
        blank=True,
        help_text=_("Wire copy may arrive without one; a story cannot publish until the desk writes it."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        blank=True,
        help_text=_("The words in the story's URL. Filled in from the headline."),
    )
    dek = models.TextField(_("dek"), blank=True, help_text=_("The standfirst under the headline."))
    body = BodyField(_("body"), blank=True)

    # Who gets the credit.
    authors = models.ManyToManyField(
        "articles.Author",
        through="articles.ArticleAuthor",
        verbose_name=_("authors"),
        related_name="articles",
        blank=True,
    )
    credit_override = models.CharField(
        _("credit line override"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to build the credit from the authors and the agency."),
    )
    wire_service = models.ForeignKey(
        "articles.WireService",
        verbose_name=_("wire service"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    wire_source = models.CharField(
        _("agency as named in the file"),
        max_length=200,
        blank=True,
        help_text=_(
            "Set when the agency was not recognised. Map this name under Wire mappings and every waiting draft "
            "from it gets the agency."
        ),
    )
    wire_guid = models.CharField(
        _("wire GUID"), max_length=255, blank=True, help_text=_("The agency's identifier for this story.")
    )
    wire_version = models.CharField(_("wire version"), max_length=64, blank=True)
    dateline = models.CharField(
        _("dateline"), max_length=100, blank=True, help_text=_("Where the story was filed, e.g. “NEW YORK”.")
    )
    dateline_date = models.DateTimeField(_("filed at"), null=True, blank=True, help_text=_("When it was filed there."))
    # What the agency sent about the rights, kept apart from our own credit line.
    wire_byline = models.CharField(_("agency byline"), max_length=300, blank=True)
    copyright_holder = models.CharField(_("copyright holder"), max_length=200, blank=True)
    copyright_notice = models.CharField(_("copyright notice"), max_length=500, blank=True)
    usage_terms = models.TextField(_("usage terms"), blank=True)
    pending_update = models.ForeignKey(
        "articles.WireItem",
        verbose_name=_("agency update available"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("A newer agency version that was not applied because the desk had edited the story."),
    )

    # Where it appears.
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    tags = TaggableManager(_("tags"), blank=True, help_text=_("Comma-separated: people, places, topics."))
    lead_image = models.ForeignKey(
        "articles.Image",
        verbose_name=_("lead image"),
        # An image a story shows cannot be deleted; the desk is told which stories use it.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        blank=True,
        help_text=_("The story's language (e.g. “en”, “ja”), if not the site's."),
    )
    is_home_lead = models.BooleanField(
        _("lead story on the home page"),
        default=False,
        help_text=_("The newest published story with this ticked leads the home page."),
    )
    is_premium = models.BooleanField(
        _("premium (subscribers only)"),
        default=False,
        help_text=_(
            "Readers who do not subscribe get the headline, the dek and the first paragraphs "
            "(PREMIUM_PREVIEW_PARAGRAPHS), then a prompt. The rest is never sent to them."
        ),
    )

    # Publishing.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("Readers see the story from this time on."),
    )
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The agency's “not before” time. Nothing publishes or is scheduled before it."),
    )
    modified_at = models.DateTimeField(
        _("publicly modified"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a correction or update was last added; readers see it as “Updated”."),
    )
    notice = models.TextField(
        _("public notice"),
        blank=True,
        editable=False,
        help_text=_("Shown at the story's address after it is withdrawn or killed."),
    )
    # The Trash: a deleted story is kept, with its history, until purge_trash removes it.
    trashed_at = models.DateTimeField(_("moved to the trash"), null=True, blank=True, editable=False)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved to the trash by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Bumped by every save of the content (services.stories.save_story), never by
    # a change of state. A caller passes the number it read, so a save over
    # someone else's newer save is refused instead of overwriting it.
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    # A soft lock: who last opened the story for editing, and when.
    editing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    editing_since = models.DateTimeField(null=True, blank=True, editable=False)
    # Rotating this key revokes every shared preview link at once.
    preview_key = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # Spelled out so SQLite and PostgreSQL agree on where unpublished stories go.
        ordering = [models.F("published_at").desc(nulls_last=True), "-updated_at"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("submit_article", _("Can submit stories for review")),
            ("review_article", _("Can approve stories or send them back")),
            ("publish_article", _("Can publish, schedule and republish stories")),
            ("withdraw_article", _("Can withdraw published stories")),
            ("kill_article", _("Can kill stories")),
            ("edit_any_article", _("Can edit any story in any state")),
        ]
        indexes = [
            models.Index(fields=["section", "published_at"], name="article_section_published"),
            # Reader lists run newest first over stories of two statuses (published, scheduled).
            # An index led by status cannot give that order (SQLite then sorted every public
            # story), so there is none: these let the newest come off the index.
            models.Index(fields=["published_at", "id"], name="article_published"),
            models.Index(fields=["wire_service", "published_at", "id"], name="article_agency_published"),
            # Wire ingest looks every delivery up by its GUID (whichever agency has it, to refuse a
            # channel claiming another agency's story); the unique constraint's partial index cannot
            # serve a parameterised lookup on SQLite.
            models.Index(fields=["wire_guid", "wire_service"], name="article_guid_agency"),
            # The desk's story list, latest change first, outside the Trash. The status rides
            # along so that the status filter is checked in the index, not row by row. (An index
            # led by status would tempt SQLite away from article_published for reader lists.)
            models.Index(
                fields=["updated_at", "id", "status"],
                condition=models.Q(trashed_at__isnull=True),
                name="article_desk_updated",
            ),
            # The desk's section and agency filters, in the list's order.
            models.Index(fields=["section", "updated_at", "id"], name="article_section_updated"),
            models.Index(fields=["wire_service", "updated_at", "id"], name="article_agency_updated"),
            models.Index(fields=["trashed_at"], condition=models.Q(trashed_at__isnull=False), name="article_trash"),
            # "Needs headline" (headline = ''), and the list sorted by headline.
            models.Index(fields=["headline"], name="article_headline"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=~Q(slug=""),
                name="article_unique_slug",
                violation_error_message=_("Another story already uses this slug. Change it a little."),
            ),
            models.UniqueConstraint(
                fields=["wire_service", "wire_guid"],
                condition=~Q(wire_guid=""),
                name="article_unique_wire_guid",
                violation_error_message=_("A story with this agency GUID already exists."),
            ),
        ]

    def __str__(self):
        return self.headline or str(_("(no headline yet)"))

    def get_absolute_url(self):
        if not (self.section_id and self.slug and self.published_at):
            return ""
        day = timezone.localtime(self.published_at)
        return reverse(
            "articles:detail",
            kwargs={
                "section": self.section.slug,
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def is_gone(self):
        """Whether the story's address answers 410 Gone: `ArticleQuerySet.gone()`, for one story."""
        if self.published_at is None:
            return False
        if self.status in Status.gone():
            return True
        return self.in_trash and self.status in Status.visible() and self.published_at <= self.trashed_at

    @property
    def is_embargoed(self):
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def byline_authors(self):
        """Authors in byline order; uses the prefetch from `with_credit()` when present."""
        return [byline.author for byline in self.bylines.all()]

    @property
    def credit_line(self):
        return build_credit_line(
            author_names=[author.name for author in self.byline_authors],
            agency_credit=self.wire_service.credit if self.wire_service_id else "",
            override=self.credit_override,
        )

    @property
    def is_public(self):
        """Whether readers see the story now: `Article.objects.published()`'s rule, read off this instance."""
        return matches(self, public_rule(timezone.now()))

    @property
    def in_trash(self):
        return self.trashed_at is not None

    # What the desk edits. Revisions, diffs, forms and the save service all
    # read these lists, so a new field needs adding in one place: here.
    WORKFLOW_FIELDS = frozenset({"status", "published_at"})

    @classmethod
    @functools.cache
    def content_fields(cls):
        """
        The story's own editable fields (text, credit, placement), not its workflow
        state. Read once: every save, snapshot and wire delivery asks for them.
        """
        return tuple(
            field
            for field in cls._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in cls.WORKFLOW_FIELDS
        )

    def publishing_problems(self):
        """
        What stops this story from going before readers, by field name.
        A published story without these would have no URL or no credit.
        """
        problems = {}
        if not self.headline.strip():
            problems["headline"] = _("Write a headline before publishing.")
        if not self.slug:
            problems["slug"] = _("A published story needs a slug for its URL.")
        if not self.section_id:
            problems["section"] = _("Choose a section before publishing.")
        if not sanitize_body(self.body):
            problems["body"] = _("The body is empty.")
        if self.lead_image_id and not self.lead_image.alt_text.strip():
            problems["lead_image"] = _("The lead image needs alt text.")
        if self.pk and not self.credit_line:
            problems["credit_override"] = _("Credit the story: add an author or a wire service.")
        return problems

    @property
    def body_html(self):
        """The body as a page prints it, dateline included. Safe: the body is sanitized on save."""
        return with_dateline(self.body, self.dateline)

    def public_body(self):
        """
        The body anyone may be sent: all of it, or for a premium story only its
        public preview. Search, descriptions and the gated page read this.
        """
        if not self.is_premium:
            return self.body
        return opening(self.body, settings.PREMIUM_PREVIEW_PARAGRAPHS)

    @property
    def public_body_html(self):
        return with_dateline(self.public_body(), self.dateline)

    @property
    def preview_body_html(self):
        """The opening a reader gets where the rest is not for them (premium, or a used-up meter)."""
        return with_dateline(opening(self.body, settings.PREMIUM_PREVIEW_PARAGRAPHS), self.dateline)

    @property
    def withheld_body_html(self):
        """What a premium story's public preview leaves out (for subscribers' pages only)."""
        return split_opening(self.body, settings.PREMIUM_PREVIEW_PARAGRAPHS)[1] if self.is_premium else ""


class ArticleAuthor(models.Model):
    """An author's place in a story's byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        "articles.Author", verbose_name=_("author"), on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("byline")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return self.author.name
