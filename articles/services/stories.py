"""
Saving a story: the one door for every write to a story's content.

The admin's story form, wire ingest, agency updates, revision restore and the
bulk workflow actions all call `save_story`. In one transaction it:

1. claims the version the caller read, as a conditional
   `UPDATE … SET lock_version = n + 1 WHERE lock_version = n`, so a save over
   somebody else's newer save is refused whoever the caller is;
2. saves the content fields, the byline and the tags;
3. keeps the old address of a published story whose slug or section changed;
4. writes a revision and one audit entry;
5. then carries out the workflow step the user pressed, if any, through
   `publishing.perform`.

Workflow state (status, publish time, notice) is never written here: that is
`perform`'s job, so a content save cannot undo a state change made meanwhile,
and a state change never counts as somebody's edit. `user=None` is the system
(wire ingest): it is recorded as no one, never as a person.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from .. import extensions, page_cache, search
from ..models import Article, ArticleAuthor, OldURL, Revision, Status
from ..workflow import TransitionError, can_edit
from . import publishing
from .audit import log_action
from .revisions import record_revision


@dataclass(frozen=True)
class Step:
    """A workflow step pressed with a save ("Save and: Publish now")."""

    name: str
    note: str = ""
    publish_at: datetime | None = None


@dataclass
class Saved:
    story: Article
    revision: Revision | None
    # The step was refused; the content is saved all the same.
    step_error: Exception | None = None
    # Text that was not the story's own (a paper's subscription prompt), removed from the body.
    removed_text: list = field(default_factory=list)


class StaleStory(Exception):
    """Someone saved the story after the caller read it. `current` is the story as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(str(self))

    def __str__(self):
        who = self.current.updated_by
        name = (who.get_full_name() or who.get_username()) if who else _("The wire desk")
        when = formats.date_format(timezone.localtime(self.current.updated_at), "DATETIME_FORMAT")
        return _("%(who)s saved this story at %(when)s, after you opened it.") % {"who": name, "when": when}


def content_field_names():
    return [field.name for field in Article.content_fields()]


def check_save(*, story, user, expected_version=None, step=None):
    """
    Everything `save_story` would refuse, asked before anything is written, so
    a form can show the refusal with the user's input intact. Locks the
    story's row for the rest of the caller's transaction, so the answer holds
    until the save. Raises StaleStory, PermissionDenied, TransitionError or
    ValidationError.
    """
    before = None
    if story.pk:
        before = Article.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=story.pk)
        if expected_version is not None and before.lock_version != expected_version:
            raise StaleStory(before)
    _check_content(before=before, story=story, user=user)
    if step is not None:
        publishing.validate(
            story=story,
            transition=publishing.get_transition(step.name),
            user=user,
            note=step.note,
            publish_at=step.publish_at,
        )


def save_story(
    *,
    story,
    user,
    changed_fields=None,
    bylines=None,
    tags=None,
    expected_version=None,
    step=None,
    reason="",
    action="",
    data=None,
):
    """
    Save `story` (a new or existing Article, with its new values set in memory).

    - `changed_fields`: the content fields to write; None writes them all, and
      an empty list writes none (a bulk action that only takes a step).
    - `bylines`: the authors in byline order, or None to leave the byline.
    - `tags`: every tag the story should have (names or Tag objects), or None.
    - `expected_version`: the `lock_version` the caller read; None skips the check.
    - `step`: a `Step` to take after the save.
    - `reason`, `action`, `data`: the revision's reason and the audit entry's
      action ("articles.edited" by default) and data.

    Returns `Saved`. Raises StaleStory, PermissionDenied or ValidationError and
    writes nothing; a refused step is reported on `Saved.step_error` instead.
    """
    creating = story.pk is None
    names = content_field_names()
    fields = names if changed_fields is None else [name for name in changed_fields if name in names]
    writes_content = creating or fields or bylines is not None or tags is not None
    removed = []
    if creating or "body" in fields:
        story.body, removed = extensions.clean_story_text(story.body)

    with transaction.atomic():
        revision = None
        if writes_content:
            revision = _write(story, user, fields, bylines, tags, expected_version, reason, action, data, creating)
        saved = Saved(story=story, revision=revision, removed_text=removed)
        if step is not None:
            try:
                with transaction.atomic():
                    saved.story = publishing.perform(
                        article=story, name=step.name, user=user, note=step.note, publish_at=step.publish_at
                    )
            except (ValidationError, PermissionDenied, TransitionError) as error:
                saved.step_error = error
    return saved


def _write(story, user, fields, bylines, tags, expected_version, reason, action, data, creating):
    before = None
    if creating:
        if user is not None and not user.has_perm("articles.add_article"):
            raise PermissionDenied(_("You may not add stories."))
        story.created_by = user
        story.lock_version = 1
    else:
        # 1. Claim the version: whoever saved in between made this match nothing.
        claimed = Article.objects.filter(pk=story.pk, **_version_filter(expected_version))
        if not claimed.update(lock_version=F("lock_version") + 1):
            raise StaleStory(Article.objects.select_related("updated_by").get(pk=story.pk))
        before = Article.objects.select_related("section").get(pk=story.pk)
        story.lock_version = before.lock_version
    _check_content(before=before, story=story, user=user)

    # 2. The content, byline and tags.
    story.updated_by = user
    if creating:
        story.save()
    else:
        story.save(update_fields=[*fields, "updated_by", "updated_at", "lock_version"])
    author_ids = _set_bylines(story, bylines, creating) if bylines is not None else None
    tag_names = _set_tags(story, tags, creating) if tags is not None else None

    # 3. A published story's address is permanent.
    if before is not None:
        _keep_old_url(before, story)

    # 4. The record.
    known = {key: value for key, value in {"author_ids": author_ids, "tags": tag_names}.items() if value is not None}
    revision = record_revision(
        story, user=user, reason=reason or (_("Created") if creating else _("Edited")), known=known, first=creating
    )
    log_action(
        story,
        action or ("articles.created" if creating else "articles.edited"),
        user=user,
        data={"fields": sorted(fields), "revision": revision.number, **(data or {})},
    )
    search.index_story(story)
    page_cache.reader_pages_changed(story, previous=before)
    return revision


def _version_filter(expected_version):
    return {} if expected_version is None else {"lock_version": expected_version}


def _check_content(*, before, story, user):
    """The rules for any content save, whoever makes it."""
    if before is not None:
        if before.trashed_at is not None:
            raise PermissionDenied(_("This story is in the Trash. Restore it before editing."))
        if user is not None and not can_edit(user, before):
            raise PermissionDenied(_("You may not edit this story."))
    # An embargo put on a live story would hide it from readers with no
    # workflow step on record; pulling a story is what Withdraw is for.
    if before is None or not before.is_public:
        return
    embargo = story.embargo_until
    if embargo and embargo > timezone.now() and embargo != before.embargo_until:
        raise ValidationError(
            {
                "embargo_until": _(
                    "This story is live: an embargo would hide it from readers. Withdraw it instead, "
                    "or leave the embargo empty."
                )
            }
        )


def _set_bylines(story, authors, creating):
    """Replace the byline when it differs; returns the author ids in order."""
    author_ids = list(dict.fromkeys(getattr(author, "pk", author) for author in authors))
    if creating and not author_ids:  # wire copy: the agency's credit, no staff byline
        return author_ids
    if not creating:
        current = list(story.bylines.order_by("position", "pk").values_list("author_id", flat=True))
        if current == author_ids:
            return author_ids
        story.bylines.all().delete()
    ArticleAuthor.objects.bulk_create(
        ArticleAuthor(article=story, author_id=author_id, position=position)
        for position, author_id in enumerate(author_ids)
    )
    return author_ids


def _set_tags(story, tags, creating):
    """Give the story exactly these tags; returns their names."""
    if creating and tags and all(isinstance(tag, Tag) for tag in tags):
        # A new story has no taggings to compare with: one insert (wire ingest's
        # hot path, whose Mapper hands over Tag objects it has already looked up).
        content_type = ContentType.objects.get_for_model(Article)  # cached by Django
        unique = {tag.pk: tag for tag in tags}.values()
        TaggedItem.objects.bulk_create(
            TaggedItem(tag=tag, content_type=content_type, object_id=story.pk) for tag in unique
        )
    elif creating:
        if tags:
            story.tags.add(*tags)
    else:
        story.tags.set(list(tags))
    return [getattr(tag, "name", tag) for tag in tags]


def _keep_old_url(before, story):
    """Once readers have had a story's address it stays: a changed slug or section leaves a redirect."""
    if before.status not in [*Status.visible(), *Status.gone()] or not before.published_at:
        return
    story.published_at = before.published_at  # the URL's date is the first publish time, never this save's
    old, new = before.get_absolute_url(), story.get_absolute_url()
    if old and old != new:
        OldURL.objects.update_or_create(path=old, defaults={"article": story})
        OldURL.objects.filter(path=new).delete()
