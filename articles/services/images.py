"""
Changing a picture in the library.

A picture shows on every story whose lead image it is, so a change to it is a
change to those stories: it is recorded in each one's audit log. Once a
published story shows a picture, only editors may change it (file, alt text,
caption, credit or agency); reporters keep the pictures no published story uses.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import page_cache
from ..models import Article, Image
from .audit import log_action

# The permission that lets a person change what readers already see.
EDIT_PUBLISHED = "articles.edit_any_article"


def stories_showing(images):
    """Every story whose lead image is one of `images` (a queryset or list), in any state, the Trash included."""
    # The base manager: whatever the default manager comes to hide, a story in the Trash still shows the picture.
    return Article._base_manager.filter(lead_image__in=images)


def on_published_story(image):
    """Does a story readers can see now show `image`?"""
    return image.pk is not None and Article.objects.published().filter(lead_image=image).exists()


def can_change_image(user, image):
    """May `user` change `image`? Anyone with the image permission, unless a published story shows it."""
    if not user.has_perm("articles.change_image"):
        return False
    return image is None or user.has_perm(EDIT_PUBLISHED) or not on_published_story(image)


@transaction.atomic
def update_image(*, image, changed_fields, user):
    """
    Save `image`, whose `changed_fields` were edited, and write an audit entry
    on every story that shows it: "articles.image_replaced" when the file
    changed (old and new file names in the data), else "articles.image_changed".
    The old file stays in storage, so the history can still point at it.
    """
    before = Image.objects.select_for_update().get(pk=image.pk)
    if user is not None and not can_change_image(user, before):
        raise PermissionDenied(_("A published story shows this picture; only an editor may change it."))
    image.save()
    if on_published_story(image):
        page_cache.reader_pages_changed()  # the picture, caption or credit readers see
    fields = [Image._meta.get_field(name) for name in changed_fields]
    if not fields:
        return image
    data = {"image": image.pk, "fields": [field.name for field in fields]}
    if "file" in data["fields"]:
        action = "articles.image_replaced"
        data.update(old_file=before.file.name, new_file=image.file.name)
        note = _("Lead image replaced: %(old)s → %(new)s") % {"old": before.file.name, "new": image.file.name}
    else:
        action = "articles.image_changed"
        data["changes"] = {
            field.name: [getattr(before, field.attname), getattr(image, field.attname)] for field in fields
        }
        note = _("Lead image changed: %(fields)s") % {"fields": ", ".join(str(field.verbose_name) for field in fields)}
    for story in stories_showing([image]).order_by("pk"):
        log_action(story, action, user=user, note=note, data=data)
    return image
