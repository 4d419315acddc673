"""
Revisions: a snapshot of a story at every save, and restoring one.

What a snapshot holds is read from the model (`Article.content_fields()`),
so a field added to the story is kept, compared and restored with no change
here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Article, Author, Revision

# Besides the fields: the byline (author ids, in order) and the tags (sorted).
EXTRA_LABELS = {"author_ids": gettext_lazy("Authors"), "tags": gettext_lazy("Tags")}


def field_labels():
    """{snapshot key: label} for every snapshot entry, in the form's order."""
    labels = {field.attname: capfirst(field.verbose_name) for field in Article.content_fields()}
    return {**labels, **EXTRA_LABELS}


def related_models():
    """{snapshot key: model} for the snapshot's foreign keys, so a diff can show names."""
    return {field.attname: field.related_model for field in Article.content_fields() if field.is_relation}


def snapshot(article, *, known=None):
    """
    The story's content as plain JSON: fields, byline (in order) and tags
    (sorted). `known` may carry "author_ids" and "tags" when the caller has
    just written them, saving the queries (wire ingest, thousands at a time).
    """
    known = known or {}
    data = {}
    for field in Article.content_fields():
        value = getattr(article, field.attname)
        data[field.attname] = value.isoformat() if hasattr(value, "isoformat") else value
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
    Raises ValidationError, with a reason for the desk, when the revision
    points at something that has gone (a deleted picture, section or author)
    or its slug is now another story's.
    """
    from . import stories

    story = Article.objects.select_for_update().get(pk=article.pk)
    data = revision.data
    problems = _missing_references(data, story)
    if problems:
        raise ValidationError(problems)
    changed = []
    for field in Article.content_fields():
        if field.attname not in data:  # a field added after this revision was taken
            continue
        value = field.to_python(data[field.attname])
        if getattr(story, field.attname) != value:
            setattr(story, field.attname, value)
            changed.append(field.name)
    return stories.save_story(
        story=story,
        user=user,
        changed_fields=changed,
        bylines=data.get("author_ids", []),
        tags=data.get("tags", []),
        expected_version=story.lock_version,
        reason=_("Restored revision %(number)s") % {"number": revision.number},
        action="articles.revision_restored",
        data={"restored": revision.number},
    ).story


def _missing_references(data, story):
    """What in the revision can no longer be put back, by field, in words for the desk."""
    problems = []
    for key, model in related_models().items():
        pk = data.get(key)
        if pk is not None and not model._default_manager.filter(pk=pk).exists():
            problems.append(
                _("Its %(field)s has been deleted since; choose another and save instead of restoring.")
                % {"field": field_labels()[key].lower()}
            )
    author_ids = data.get("author_ids") or []
    if Author.objects.filter(pk__in=author_ids).count() != len(set(author_ids)):
        problems.append(_("An author in its byline has been deleted since."))
    slug = data.get("slug")
    if slug and Article.objects.filter(slug=slug).exclude(pk=story.pk).exists():
        problems.append(
            _("Its slug “%(slug)s” is now another story's. Restore is not possible; edit the story instead.")
            % {"slug": slug}
        )
    return problems
