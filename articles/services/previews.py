"""
Shareable preview links: signed, expiring, revocable, and needing no login.
The signature carries the story's id and its current preview key; rotating
the key (revoke) invalidates every link handed out so far.
"""

import uuid

from django.conf import settings
from django.core import signing
from django.urls import reverse

from ..models import Article
from .audit import log_action

SALT = "articles.preview"


def share_link(*, article, user):
    token = signing.dumps({"id": article.pk, "key": article.preview_key.hex}, salt=SALT, compress=True)
    log_action(article, "articles.preview_shared", user=user)
    return reverse("articles:shared_preview", kwargs={"token": token})


def article_from_link(token):
    """The story a preview token points at, or None if the link is bad, expired or revoked."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_LINK_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    article = Article.objects.for_page().filter(pk=data.get("id")).first()
    if article is None or article.preview_key.hex != data.get("key"):
        return None
    return article


def revoke_links(*, article, user):
    # update(), not save(): revoking must not count as an edit of the story.
    Article.objects.filter(pk=article.pk).update(preview_key=uuid.uuid4())
    log_action(article, "articles.preview_revoked", user=user)
