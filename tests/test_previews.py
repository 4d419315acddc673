"""Previews: the desk sees any story as readers will; shared links expire, can be revoked, and are not indexed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles.models import Status
from articles.services.publishing import perform


def test_admin_preview_shows_a_draft_as_the_page_will(editor_client, make_article, client):
    """Preview renders the public template for a draft, marked noindex; readers still get 404."""
    article = make_article(status=Status.DRAFT, headline="Unpublished scoop", published_at=None)
    response = editor_client.get(f"/admin/articles/article/{article.pk}/preview/")
    html = response.content.decode()
    assert response.status_code == 200 and "Unpublished scoop" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and '<meta name="robots" content="noindex' in html
    assert 'class="headline"' in html  # the article template, not an admin page
    anonymous = Client()
    assert anonymous.get(f"/admin/articles/article/{article.pk}/preview/").status_code == 302  # to the login


def _share(editor_client, article):
    response = editor_client.post(f"/admin/articles/article/{article.pk}/share-preview/", follow=True)
    return re.search(r'class="share-link">(http[^<]+)<', response.content.decode()).group(1)


def test_shared_preview_works_without_login_then_expires(editor_client, make_article, settings):
    """A shared link opens with no login, is noindex, and stops working after its lifetime."""
    article = make_article(status=Status.DRAFT, headline="Shared draft", published_at=None)
    link = _share(editor_client, article).replace("http://testserver", "")
    reader = Client()
    response = reader.get(link)
    assert response.status_code == 200 and "Shared draft" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PREVIEW_LINK_MAX_AGE + 60)):
        response = reader.get(link)
        assert response.status_code == 404 and "Shared draft" not in response.content.decode()


def test_revoked_preview_links_stop_working(editor_client, make_article):
    """Revoking kills every link shared so far; a new one works."""
    article = make_article(status=Status.DRAFT, published_at=None)
    old = _share(editor_client, article).replace("http://testserver", "")
    editor_client.post(f"/admin/articles/article/{article.pk}/revoke-previews/")
    assert Client().get(old).status_code == 404
    new = _share(editor_client, article).replace("http://testserver", "")
    assert Client().get(new).status_code == 200


def test_tampered_link_is_refused(client, db):
    """A made-up or altered token shows the expired-link page, not a story."""
    assert client.get("/preview/not-a-real-token/").status_code == 404


def test_paywall_manager_cannot_share_previews(client, paywall_manager, make_article):
    """Sharing needs the right to edit the story; no story is there at all for a paywall manager."""
    draft = make_article(status=Status.DRAFT, published_at=None)
    published = make_article()
    client.force_login(paywall_manager)
    assert client.post(f"/admin/articles/article/{draft.pk}/share-preview/").status_code == 404
    assert client.post(f"/admin/articles/article/{published.pk}/share-preview/").status_code == 404


@pytest.mark.parametrize(("status", "step"), [(Status.PUBLISHED, "withdraw"), (Status.DRAFT, "kill")])
def test_withdrawing_or_killing_revokes_shared_previews(editor_client, editor, make_article, status, step):
    """A preview link shared before a story was withdrawn or killed stops working at once."""
    article = make_article(status=status, credit_override="Staff")
    link = _share(editor_client, article).replace("http://testserver", "")
    assert Client().get(link).status_code == 200
    perform(article=article, name=step, user=editor, note="Pulled.")
    assert Client().get(link).status_code == 404
