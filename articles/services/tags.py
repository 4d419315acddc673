"""
The desk's tag vocabulary: renaming, merging and deleting tags.

A tag is part of every story that carries it, so each operation here is one
transaction that also records, on every published story it changes, a new
revision (whose snapshot shows the tags as they now are) and an audit entry.
Stories readers cannot see change silently, as any other tag edit would.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from .. import page_cache
from ..models import Article, ArticleAuthor, Revision
from .audit import log_action
from .revisions import record_revision

REASON_LENGTH = Revision._meta.get_field("reason").max_length
NAME_LENGTH = Tag._meta.get_field("name").max_length
SLUG_LENGTH = Tag._meta.get_field("slug").max_length


def tag_named(name, *, exclude=()):
    """The tag called `name`, as taggit compares names (TAGGIT_CASE_INSENSITIVE), or None."""
    return Tag.objects.filter(name__iexact=name.strip()).exclude(pk__in=[tag.pk for tag in exclude]).first()


@transaction.atomic
def rename_tag(*, tag, name, user):
    """
    Call `tag` `name`; its slug (the tag page's address) follows the new name.
    Refuses, with a ValidationError, a name another tag already has: merge them instead.
    """
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    name = _checked_name(name)
    old_name = tag.name
    if name == old_name:
        return tag
    if tag_named(name, exclude=[tag]):
        raise ValidationError(
            _("Another tag is already called “%(name)s”. To make them one tag, merge them.") % {"name": name},
            code="duplicate",
        )
    _claim_stories([tag], user)
    tag.name = name
    tag.slug = _free_slug(tag, name)
    tag.save()
    page_cache.reader_pages_changed()  # tag pages, links and feeds carry the name
    reason = _("Tag “%(old)s” renamed to “%(new)s”") % {"old": old_name, "new": name}
    _record(
        _published_with([tag]),
        "articles.tag_renamed",
        user=user,
        reason=reason,
        data={"tag": tag.pk, "old_name": old_name, "new_name": name},
    )
    return tag


@transaction.atomic
def merge_tags(*, tags, into, user):
    """
    Make `tags` one tag. `into` is the tag to keep (one of `tags` or any
    other), or a name: the tag of that name if there is one, else a new tag.
    Every story that carried any of them carries the kept tag, once; the
    others are deleted. Returns the kept tag.
    """
    if isinstance(into, str):
        name = _checked_name(into)
        into = tag_named(name) or Tag.objects.create(name=name)
    into = Tag.objects.select_for_update().get(pk=into.pk)
    merged = list(Tag.objects.select_for_update().filter(pk__in=[tag.pk for tag in tags]).exclude(pk=into.pk))
    if not merged:
        return into
    stories = _published_with(merged)  # read before the tags go
    _claim_stories(merged, user)

    # Move each tagging to the kept tag, unless the object already has it (or got it from an earlier one).
    seen = set(TaggedItem.objects.filter(tag=into).values_list("content_type_id", "object_id"))
    moved = []
    for pk, content_type_id, object_id in (
        TaggedItem.objects.filter(tag__in=merged).order_by("pk").values_list("pk", "content_type_id", "object_id")
    ):
        if (content_type_id, object_id) not in seen:
            seen.add((content_type_id, object_id))
            moved.append(pk)
    TaggedItem.objects.filter(pk__in=moved).update(tag=into)
    Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()  # and the taggings left behind

    names = [tag.name for tag in merged]
    page_cache.reader_pages_changed()
    reason = _("Tags %(tags)s merged into “%(into)s”") % {"tags": _quoted(names), "into": into.name}
    _record(
        stories,
        "articles.tags_merged",
        user=user,
        reason=reason,
        data={"tags": names, "into": into.name, "into_id": into.pk},
    )
    return into


def delete_tag(*, tag, user):
    """Delete `tag`, taking it off every story that carries it."""
    delete_tags(tags=[tag], user=user)


@transaction.atomic
def delete_tags(*, tags, user):
    """Delete `tags` at once: a story carrying several of them gets one revision, not one each."""
    tags = list(Tag.objects.select_for_update().filter(pk__in=[tag.pk for tag in tags]))
    if not tags:
        return
    stories = _published_with(tags)
    _claim_stories(tags, user)
    names_by_story = {}
    for article_id, name in TaggedItem.objects.filter(
        tag__in=tags,
        content_type=ContentType.objects.get_for_model(Article),
        object_id__in=[story.pk for story in stories],
    ).values_list("object_id", "tag__name"):
        names_by_story.setdefault(article_id, []).append(name)
    Tag.objects.filter(pk__in=[tag.pk for tag in tags]).delete()
    page_cache.reader_pages_changed()
    for story in stories:
        names = sorted(names_by_story.get(story.pk, []), key=str.casefold)
        if len(names) == 1:
            reason = _("Tag “%(tag)s” deleted") % {"tag": names[0]}
        else:
            reason = _("Tags %(tags)s deleted") % {"tags": _quoted(names)}
        _record([story], "articles.tag_deleted", user=user, reason=reason, data={"tags": names})


# Helpers.


def _claim_stories(tags, user):
    """
    A tag change is an edit of every story that carries the tag, in any state:
    bump their lock versions, so a story form opened before it is refused on
    save (naming this editor) instead of putting the old tag back.
    """
    ids = Article.objects.filter(tags__in=tags).values("pk")
    Article.objects.filter(pk__in=ids).update(
        lock_version=F("lock_version") + 1, updated_by=user, updated_at=timezone.now()
    )


def _published_with(tags):
    """The published stories carrying any of `tags`, each once, locked for this transaction."""
    ids = Article.objects.published().filter(tags__in=tags).values("pk")
    return list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _record(stories, action, *, user, reason, data):
    """A revision and an audit entry on each of `stories`, as they are now."""
    reason = Truncator(reason).chars(REASON_LENGTH)
    # A tag may be on thousands of stories: read every story's tags and byline in two queries, not two each.
    ids = [story.pk for story in stories]
    tags, author_ids = {pk: [] for pk in ids}, {pk: [] for pk in ids}
    for pk, name in TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_id__in=ids
    ).values_list("object_id", "tag__name"):
        tags[pk].append(name)
    for pk, author_id in (
        ArticleAuthor.objects.filter(article_id__in=ids)
        .order_by("position", "pk")
        .values_list("article_id", "author_id")
    ):
        author_ids[pk].append(author_id)
    for story in stories:
        known = {"tags": tags[story.pk], "author_ids": author_ids[story.pk]}
        record_revision(story, user=user, reason=reason, known=known)
        log_action(story, action, user=user, note=reason, data=data)


def _free_slug(tag, name):
    """taggit's slug for `name`, made unique as taggit does when it creates a tag (“tokyo”, “tokyo_1”…)."""
    base = tag.slugify(name)[:SLUG_LENGTH]
    slug, number = base, 0
    while Tag.objects.filter(slug=slug).exclude(pk=tag.pk).exists():
        number += 1
        suffix = f"_{number}"
        slug = base[: SLUG_LENGTH - len(suffix)] + suffix
    return slug


def _checked_name(name):
    """`name` as a tag may be called, stripped, or a ValidationError."""
    name = name.strip()
    if not name:
        raise ValidationError(_("A tag needs a name."), code="required")
    if len(name) > NAME_LENGTH:
        raise ValidationError(
            _("A tag's name can be at most %(limit)d characters.") % {"limit": NAME_LENGTH}, code="max_length"
        )
    return name


def _quoted(names):
    return ", ".join(f"“{name}”" for name in names)
