"""Revisions: a snapshot of a story at every save, and restoring one."""

from django.db import transaction
from django.db.models import Max
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..models import Article, ArticleAuthor, Revision
from .audit import log_action

# The fields a revision keeps, as stored on the model (foreign keys by id).
SNAPSHOT_FIELDS = [
    "headline",
    "slug",
    "dek",
    "body",
    "credit_override",
    "wire_service_id",
    "wire_guid",
    "wire_version",
    "dateline",
    "wire_byline",
    "copyright_holder",
    "copyright_notice",
    "usage_terms",
    "section_id",
    "lead_image_id",
    "is_home_lead",
    "embargo_until",
]


def snapshot(article, *, known=None):
    """
    The story's content as plain JSON: fields, byline (in order) and tags
    (sorted). `known` may carry "author_ids" and "tags" when the caller has
    just written them, saving the queries (wire ingest, thousands at a time).
    """
    known = known or {}
    data = {field: getattr(article, field) for field in SNAPSHOT_FIELDS}
    if data["embargo_until"] is not None:
        data["embargo_until"] = data["embargo_until"].isoformat()
    if "author_ids" in known:
        data["author_ids"] = list(known["author_ids"])
    else:
        data["author_ids"] = list(article.bylines.order_by("position", "pk").values_list("author_id", flat=True))
    data["tags"] = sorted(known["tags"] if "tags" in known else article.tags.names(), key=str.casefold)
    return data


def record_revision(article, *, user=None, reason="", was_published=False, known=None, first=False):
    """Store a new numbered revision of `article` as it is now. `first`: the story was just created."""
    last = 0 if first else article.revisions.aggregate(last=Max("number"))["last"] or 0
    return Revision.objects.create(
        article=article,
        number=last + 1,
        user=user if user is not None and user.is_authenticated else None,
        reason=reason,
        was_published=was_published,
        data=snapshot(article, known=known),
    )


@transaction.atomic
def restore_revision(*, article, revision, user):
    """
    Put the story back as `revision` had it, fields, byline and tags exactly.
    Restoring is itself a save, so it makes a new revision; nothing is lost.
    """
    story = Article.objects.select_for_update().get(pk=article.pk)
    data = revision.data
    for field in SNAPSHOT_FIELDS:
        value = data.get(field)
        if field == "embargo_until" and value:
            value = parse_datetime(value)
        setattr(story, field, value)
    story.updated_by = user
    story.save()
    story.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=story, author_id=author_id, position=position)
        for position, author_id in enumerate(data.get("author_ids", []))
    )
    story.tags.set(data.get("tags", []))
    reason = _("Restored revision %(number)s") % {"number": revision.number}
    new = record_revision(story, user=user, reason=reason)
    log_action(story, "articles.revision_restored", user=user, data={"revision": revision.number, "new": new.number})
    return story
