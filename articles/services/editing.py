"""
The soft lock: who has a story open. It only warns (saves are guarded by the
story's lock_version); these writes use update() so they never count as edits.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Article


def open_for_editing(*, article, user):
    """
    Note that `user` opened `article`. Returns (who, since) if someone else
    opened it within EDITING_NOTICE_MINUTES, in which case they keep it; else None.
    """
    recent = timezone.now() - timedelta(minutes=settings.EDITING_NOTICE_MINUTES)
    if article.editing_by_id not in (None, user.pk) and article.editing_since and article.editing_since >= recent:
        return article.editing_by, article.editing_since
    take_over(article=article, user=user)
    return None


def take_over(*, article, user):
    Article.objects.filter(pk=article.pk).update(editing_by=user, editing_since=timezone.now())
