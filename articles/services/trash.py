"""
The Trash. Deleting a story on the desk moves it here: readers lose it at once
(its address answers 410 Gone if it was ever public), while its revisions,
audit entries and corrections stay, and an editor can restore it.
`purge` removes stories for good, leaving one audit entry that outlives them.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from .. import page_cache, search
from ..models import Article, AuditEntry
from .audit import log_action


def trash_story(*, story, user):
    """Move `story` to the Trash. Its shared preview links stop working. Moving it twice changes nothing."""
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=story.pk)
        if story.trashed_at is not None:
            return story
        was_public = story.is_public
        story.trashed_at, story.trashed_by, story.preview_key = timezone.now(), user, uuid.uuid4()
        story.save(update_fields=["trashed_at", "trashed_by", "preview_key"])
        search.unindex_story(story)
        page_cache.reader_pages_changed(story)
        log_action(story, "articles.trashed", user=user, from_status=story.status, data={"was_public": was_public})
    return story


def restore_story(*, story, user):
    """Take `story` out of the Trash, in the state it had."""
    with transaction.atomic():
        story = Article.objects.select_for_update().get(pk=story.pk)
        if story.trashed_at is None:
            return story
        trashed_at = story.trashed_at
        story.trashed_at, story.trashed_by = None, None
        story.save(update_fields=["trashed_at", "trashed_by"])
        search.index_story(story)
        page_cache.reader_pages_changed(story)
        log_action(story, "articles.restored", user=user, data={"trashed_at": trashed_at.isoformat()})
    return story


def purge(*, older_than, now=None, dry_run=False):
    """
    Delete for good the stories in the Trash for longer than `older_than` (a
    timedelta), with their revisions, history and corrections. Each purge
    leaves one audit entry, not linked to the story, naming what was removed.
    Returns what each purged story was (see `_record`), oldest first.
    """
    cutoff = (now or timezone.now()) - older_than
    due = Article.objects.in_trash().filter(trashed_at__lte=cutoff).order_by("trashed_at", "pk")
    if dry_run:
        return [_record(story) for story in due]
    purged = []
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            story = Article.objects.select_for_update().filter(pk=pk, trashed_at__lte=cutoff).first()
            if story is None:  # restored, or purged by another run, meanwhile
                continue
            record = _record(story)
            AuditEntry.objects.filter(article=story).delete()
            story.delete()
            AuditEntry.objects.create(action="articles.purged", note=story.headline, data=record)
            purged.append(record)
    return purged


def _record(story):
    return {
        "article": story.pk,
        "headline": story.headline,
        "slug": story.slug,
        "status": story.status,
        "wire_guid": story.wire_guid,
        "trashed_at": story.trashed_at.isoformat(),
        "trashed_by": story.trashed_by_id,
    }
