"""Agencies' push tokens: stored only as a hash, shown once when set, set and cleared only by editors."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import WireItem, WireService
from tests.ingest.conftest import read

PUSH = "/wire/push/ap/"


def change_page(service):
    return f"/admin/articles/wireservice/{service.pk}/change/"


def new_token_url(service):
    return f"/admin/articles/wireservice/{service.pk}/push-token/new/"


def push_off_url(service):
    return f"/admin/articles/wireservice/{service.pk}/push-token/off/"


def push(client, token):
    return client.post(PUSH, read("nitf/harbor-ferry.xml"), content_type="application/xml",
                       HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip


@pytest.fixture
def token(ap):
    """The AP's current push token, as the agency holds it."""
    return ap.set_push_token()


def test_only_the_hash_is_stored(ap, token):
    """The database holds the token's SHA-256, never the token."""
    ap.refresh_from_db()
    assert ap.push_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(WireService.objects.filter(pk=ap.pk).values().get())
    assert ap.check_push_token(token) and not ap.check_push_token(token + "x") and not ap.check_push_token("")


def test_reporter_never_sees_the_token(client, reporter, ap, token):
    """A reporter may not open agencies at all: the token and its hash appear on none of their pages."""
    client.force_login(reporter)
    ap.refresh_from_db()
    for url in [change_page(ap), "/admin/articles/wireservice/", f"/admin/articles/wireservice/{ap.pk}/history/"]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert token not in html and ap.push_token_hash not in html, url
        assert new_token_url(ap) not in html and push_off_url(ap) not in html, url


def test_editor_change_page_never_shows_the_token(editor_client, ap, token):
    """The editor's form offers the buttons, but shows neither the token nor its hash."""
    ap.refresh_from_db()
    html = editor_client.get(change_page(ap)).content.decode()
    assert token not in html and ap.push_token_hash not in html
    assert f'action="{new_token_url(ap)}"' in html and f'action="{push_off_url(ap)}"' in html
    assert 'form="new-push-token-form"' in html and 'form="push-off-form"' in html


def test_new_token_is_shown_once_and_replaces_the_old_one(editor_client, ap, token):
    """The editor's POST shows the new token once; it works at the push door and the old one is refused."""
    response = editor_client.post(new_token_url(ap), follow=True)
    assert response.redirect_chain == [(change_page(ap), 302)]
    [message] = [str(message) for message in response.context["messages"]]
    new = message.split('<code class="push-token">')[1].split("</code>")[0]
    assert len(new) >= 43 and new != token and "will not be shown again" in message
    assert response.content.decode().count(new) == 1

    assert new not in editor_client.get(change_page(ap)).content.decode()  # never again
    assert push(editor_client, token).status_code == 403
    assert push(editor_client, new).status_code == 202
    assert WireItem.objects.get().source == "push:ap"


def test_first_token_turns_pushing_on(editor_client, ap):
    """An agency without a token cannot push until an editor sets one."""
    assert not ap.accepts_push
    editor_client.post(new_token_url(ap))
    ap.refresh_from_db()
    assert ap.accepts_push


def test_turning_pushing_off(editor_client, ap, token):
    """Turning pushing off clears the hash: the token no longer works, and the list says push is off."""
    editor_client.post(push_off_url(ap))
    ap.refresh_from_db()
    assert ap.push_token_hash == ""
    assert push(editor_client, token).status_code == 403  # as any wrong token: nothing tells pushing is off
    assert not editor_client.get("/admin/articles/wireservice/").context["cl"].result_list[0].accepts_push


@pytest.mark.parametrize("url", [new_token_url, push_off_url])
def test_reporters_may_not_set_or_clear_tokens(client, reporter, ap, token, url):
    """A reporter's POST to either token view is refused and changes nothing."""
    before = WireService.objects.get(pk=ap.pk).push_token_hash
    client.force_login(reporter)
    response = client.post(url(ap))
    assert response.status_code == 403
    assert WireService.objects.get(pk=ap.pk).push_token_hash == before
    assert push(client, token).status_code == 202


def test_get_changes_nothing(editor_client, ap, token):
    """Only a POST sets or clears a token; a GET just goes back to the agency."""
    before = WireService.objects.get(pk=ap.pk).push_token_hash
    assert editor_client.get(new_token_url(ap)).status_code == 302
    assert editor_client.get(push_off_url(ap)).status_code == 302
    assert WireService.objects.get(pk=ap.pk).push_token_hash == before


def test_saving_the_agency_form_keeps_its_token(editor_client, ap, token):
    """The form has no token field, so saving other changes leaves pushing as it was."""
    form = {"name": ap.name, "credit": ap.credit, "slug": ap.slug, "website": "", "usage_terms": "New terms.",
            "boilerplate": ""}  # fmt: skip
    assert editor_client.post(change_page(ap), form).status_code == 302
    assert push(editor_client, token).status_code == 202


def test_changelist_cannot_be_filtered_on_the_hash(editor_client, ap, token):
    """The admin's URL filters would let anyone guess the hash character by character: refused."""
    ap.refresh_from_db()
    response = editor_client.get(
        "/admin/articles/wireservice/", {"push_token_hash__startswith": ap.push_token_hash[:1]}
    )
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)
def test_migration_turns_existing_tokens_into_hashes():
    """Agencies that pushed with a plaintext token keep pushing with it; the plaintext is gone."""
    before, after = (
        [("articles", "0005_trash_and_protected_images")],
        [("articles", "0006_wireservice_push_token_hash")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("articles", "WireService")
    old.objects.create(name="AP", credit="AP", slug="ap", push_token="legacy-token")
    old.objects.create(name="Kyodo", credit="Kyodo", slug="kyodo")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert "push_token" not in [field.name for field in connection.introspection.get_table_description(
        connection.cursor(), "articles_wireservice")]  # fmt: skip
    ap, kyodo = WireService.objects.get(slug="ap"), WireService.objects.get(slug="kyodo")
    assert ap.push_token_hash == hashlib.sha256(b"legacy-token").hexdigest() and ap.check_push_token("legacy-token")
    assert not kyodo.accepts_push
