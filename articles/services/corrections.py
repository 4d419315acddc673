from django.db import transaction

from .. import page_cache
from ..models import Article, Correction
from .audit import log_action


@transaction.atomic
def add_correction(*, article, kind, text, user):
    """Append a dated correction or update to a story; readers see it as a change (dateModified)."""
    correction = Correction.objects.create(article=article, kind=kind, text=text.strip(), created_by=user)
    Article.objects.filter(pk=article.pk).update(modified_at=correction.created_at)
    page_cache.reader_pages_changed(article)
    log_action(article, f"articles.{kind}_added", user=user, note=correction.text)
    return correction
