"""Failed sign-ins at the desk's login form: locks, their page, and an editor's unlock (django-axes)."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.conftest import PROJECT_DIR

LOGIN = "/admin/login/?next=/admin/"


def sign_in(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, **headers)


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def fail(client, username, times, **headers):
    return [sign_in(client, username, "wrong", **headers) for _ in range(times)][-1]


@pytest.mark.django_db
def test_eleventh_try_is_refused_even_with_the_right_password(client, editor):
    """Ten wrong passwords lock the username at this address; the right one is then refused too."""
    assert fail(client, "editor", 9).status_code == 200  # the login form, saying the password was wrong
    tenth = sign_in(client, "editor", "wrong")
    assert tenth.status_code == 429
    assert "Too many wrong passwords" in tenth.text

    eleventh = sign_in(client, "editor", "pw")
    assert eleventh.status_code == 429
    assert not is_signed_in(client)


@pytest.mark.django_db
def test_lockout_page_says_when_and_who_can_help(client, editor):
    """The lockout page gives the time to try again and points to an editor, in the desk's look."""
    with time_machine.travel(timezone.now(), tick=False):
        response = fail(client, "editor", 10)
        retry_at = timezone.localtime() + timedelta(minutes=15)
    assert response["Retry-After"] == str(15 * 60)
    assert f"after {retry_at:%H:%M}" in response.text
    assert "Ask an editor to unlock it" in response.text
    assert "editorial desk" in response.text  # the admin's header: the desk's own look


@pytest.mark.django_db
def test_a_locked_user_does_not_lock_a_colleague_at_the_same_address(client, editor, reporter):
    """Locks are per username and address: the reporter at the next desk still signs in."""
    fail(client, "editor", 11)
    colleague = Client()
    assert sign_in(colleague, "reporter", "pw").status_code == 302
    assert is_signed_in(colleague)
    # ...and the colleague's good sign-in does not lift the editor's lock.
    assert sign_in(client, "editor", "pw").status_code == 429


@pytest.mark.django_db
def test_an_address_guessing_many_usernames_is_locked_for_everyone(client, reporter, settings):
    """Past LOGIN_FAILURE_LIMIT_PER_IP failures from one address, every username is refused there."""
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 25
    for username in ("alice", "bob", "carol"):
        fail(client, username, 8)
    assert sign_in(client, "reporter", "pw").status_code == 302  # 24 failures: not yet
    sign_in(client, "dave", "wrong")
    assert sign_in(Client(), "reporter", "pw").status_code == 429


@pytest.mark.django_db
def test_a_lock_lifts_after_the_cool_off(client, editor):
    """LOGIN_COOLOFF_MINUTES after the last failure, the right password works again."""
    fail(client, "editor", 10)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert sign_in(client, "editor", "pw").status_code == 302


@pytest.mark.django_db
def test_a_good_sign_in_forgets_earlier_mistakes(client, editor):
    """Nine typos, a success, then nine more typos: still not locked."""
    fail(client, "editor", 9)
    assert sign_in(client, "editor", "pw").status_code == 302
    client.post("/admin/logout/")
    assert fail(client, "editor", 9).status_code == 200


@pytest.mark.django_db
def test_an_editor_unlocks_a_colleague_in_the_admin(client, reporter, editor_client):
    """Editors see locks under Access attempts and lift one by deleting it."""
    fail(client, "reporter", 10)
    attempt = AccessAttempt.objects.get(username="reporter")

    listing = editor_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "reporter" in listing.text
    response = editor_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "reporter", "pw").status_code == 302


@pytest.mark.django_db
def test_reporters_cannot_see_or_lift_locks(client, reporter):
    """Only editors (and superusers) hold the access-attempt permissions."""
    client.force_login(reporter)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


@pytest.mark.django_db
def test_behind_a_proxy_the_forwarded_address_counts(client, editor, settings):
    """With CLIENT_IP_HEADER set, each reader's own address (the proxy's last entry) is counted, not the proxy's."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    fail(client, "editor", 10, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.1"
    # The same username from another reader's address, through the same proxy, is not locked.
    assert sign_in(Client(), "editor", "pw", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 302


@pytest.mark.django_db
def test_test_client_login_still_works(client, editor):
    """`Client.login()` (no request for axes to count) still signs in, for tests that want it."""
    assert client.login(username="editor", password="pw")
    assert is_signed_in(client)


def test_limits_come_from_the_environment():
    """LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT_PER_IP and LOGIN_COOLOFF_MINUTES set the locks."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "1",
        "LOGIN_FAILURE_LIMIT": "4",
        "LOGIN_FAILURE_LIMIT_PER_IP": "40",
        "LOGIN_COOLOFF_MINUTES": "2.5",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.LOGIN_FAILURE_LIMIT_PER_IP, int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["4", "40", "150"]
