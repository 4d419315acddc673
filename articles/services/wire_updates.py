"""
Agency updates the desk has not taken yet: a newer version of a story the
desk had already edited waits on the story ("update available") until an
editor reads the difference and applies it.
"""

from dataclasses import fields as dataclass_fields

from django.db import transaction
from django.utils.translation import gettext as _

from ..diff import compare
from ..ingest.dates import parse_wire_datetime
from ..ingest.mapping import Mapper
from ..ingest.story import DATETIME_FIELDS, WireImage, WireStory
from ..models import Article, WireItem
from . import stories
from .ingest import WireRejected, body_html, fill_article, strip_lede_dateline


def apply_update(*, article, user):
    """Apply a flagged agency update over the desk's edits (the old text stays in the revisions)."""
    item = article.pending_update
    if item is None:
        raise WireRejected(_("There is no agency update waiting for this story."))
    story = story_from_data(item.data)  # the kept parse is replayed; the file is not read again
    mapper = Mapper()
    with transaction.atomic():
        fill_article(article, story)
        stories.save_story(
            story=article,
            user=user,
            tags=[*article.tags.names(), *mapper.tags_for(story)],
            expected_version=article.lock_version,
            reason=_("Agency update v%(version)s applied") % {"version": story.version},
            action="articles.wire_update_applied",
            data={"version": story.version},
        )
        Article.objects.filter(pk=article.pk).update(pending_update=None)
        WireItem.objects.filter(pk=item.pk).update(outcome=WireItem.Outcome.UPDATED)
    return article


def update_changes(article):
    """(label, diff) rows: what applying the waiting agency update would change in the desk's text."""
    story = story_from_data(article.pending_update.data)
    current = {"headline": article.headline, "dek": article.dek, "body": article.body}
    incoming = {"headline": story.headline, "dek": story.dek, "body": strip_lede_dateline(body_html(story))[0]}
    labels = {name: Article._meta.get_field(name).verbose_name.capitalize() for name in current}
    return [(label, diff) for label, _before, _after, diff in compare(current, incoming, labels)]


def story_from_data(data):
    """A WireStory back from the JSON kept on its WireItem."""
    known = {field.name for field in dataclass_fields(WireStory)}
    fields = {key: value for key, value in data.items() if key in known}  # kept by an older release: no new keys
    for key in DATETIME_FIELDS:
        fields[key] = parse_wire_datetime(fields.get(key) or "")
    fields["subjects"] = [tuple(pair) for pair in fields.get("subjects", [])]
    fields["images"] = [WireImage(**image) for image in fields.get("images", [])]
    return WireStory(**fields)
