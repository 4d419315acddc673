from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from ..credit import build_credit_line
from ..fields import BodyField
from ..html import sanitize_body, with_dateline
from ..querysets import ArticleQuerySet


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    READY = "ready", _("Ready")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    KILLED = "killed", _("Killed")

    @classmethod
    def visible(cls):
        """States whose stories readers see once the publish time has passed."""
        return [cls.SCHEDULED, cls.PUBLISHED]


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
    wire_guid = models.CharField(
        _("wire GUID"), max_length=255, blank=True, help_text=_("The agency's identifier for this story.")
    )
    wire_version = models.CharField(_("wire version"), max_length=64, blank=True)
    dateline = models.CharField(
        _("dateline"), max_length=100, blank=True, help_text=_("Where the story was filed, e.g. “NEW YORK”.")
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
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_home_lead = models.BooleanField(
        _("lead story on the home page"),
        default=False,
        help_text=_("The newest published story with this ticked leads the home page."),
    )

    # Publishing.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("Readers see the story from this time on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
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
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published"),
            models.Index(fields=["section", "published_at"], name="article_section_published"),
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
        return (
            self.status in Status.visible()
            and self.published_at is not None
            and self.published_at <= timezone.now()
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
        return problems

    def clean(self):
        if self.status in Status.visible():
            if self.status == Status.PUBLISHED and not self.published_at:
                self.published_at = timezone.now()
            if not self.published_at:
                raise ValidationError({"published_at": _("A scheduled story needs a publish time.")})
            problems = self.publishing_problems()
            if problems:
                raise ValidationError(problems)

    @property
    def body_html(self):
        """The body as a page prints it, dateline included. Safe: the body is sanitized on save."""
        return with_dateline(self.body, self.dateline)

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
