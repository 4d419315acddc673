"""Two-factor sign-in for the desk (django-otp): who must, setting it up, codes and recovery codes."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.twofactor import devices

ENROL = "/admin/two-factor/set-up/"
VERIFY = "/admin/two-factor/"
RECOVERY_CODES = "/admin/two-factor/recovery-codes/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.DESK_REQUIRE_2FA = True


def code_for(device):
    """The six digits the person's app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def wrong_code_for(device):
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def with_authenticator(user):
    """Give `user` a confirmed authenticator and recovery codes, as set-up does; return both."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device, devices.new_recovery_codes(user)


def signed_in(user):
    """A fresh session after the password step only."""
    client = Client()
    client.force_login(user)
    return client


def reaches_desk(client):
    return client.get("/admin/").status_code == 200


def test_an_editor_cannot_reach_the_desk_without_setting_up_when_required(required, editor):
    """With DESK_REQUIRE_2FA, every desk page sends an editor without an authenticator to set-up."""
    client = signed_in(editor)
    for url in ("/admin/", "/admin/articles/article/", "/admin/articles/article/add/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(ENROL + "?next=")


def test_the_password_form_leads_to_set_up(client, required, editor):
    """Through the real login form: password, then the set-up page, keeping where they were going."""
    response = client.post("/admin/login/?next=/admin/articles/", {"username": "editor", "password": "pw"}, follow=True)
    assert response.redirect_chain[-1][0] == ENROL + "?next=%2Fadmin%2Farticles%2F"
    assert "otpauth://totp/" in response.text and "<svg" in response.text


def test_superusers_must_set_up_too(required):
    """Superusers hold every key, so they are held to the same rule as editors."""
    boss = User.objects.create_superuser("boss", "boss@example.com", "pw")
    assert signed_in(boss).get("/admin/").url.startswith(ENROL)


def test_setting_up_with_a_correct_code_shows_ten_recovery_codes_once(required, editor):
    """The right code turns the authenticator on, signs the editor in, and shows ten recovery codes one time."""
    client = signed_in(editor)
    page = client.get(ENROL + "?next=/admin/articles/")
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert device.config_url in page.text.replace("&amp;", "&")
    assert devices.secret_for_typing(device) in page.text

    response = client.post(ENROL, {"code": code_for(device), "next": "/admin/articles/"})
    assert response.url == RECOVERY_CODES + "?next=%2Fadmin%2Farticles%2F"
    shown = client.get(response.url)
    codes = list(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in shown.text for code in codes)
    assert 'href="/admin/articles/"' in shown.text
    assert "no-store" in shown["Cache-Control"]

    assert client.get(RECOVERY_CODES).status_code == 302  # never shown again
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert reaches_desk(client)


def test_set_up_shows_the_same_secret_until_confirmed(required, editor):
    """Reloading the set-up page does not change the secret the person just scanned."""
    client = signed_in(editor)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_a_wrong_code_does_not_turn_it_on(required, editor):
    """A wrong code is refused with a reason; the authenticator stays off and the desk stays closed."""
    client = signed_in(editor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=editor)
    response = client.post(ENROL, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "That code did not work" in response.text
    assert not TOTPDevice.objects.get(user=editor).confirmed
    assert not StaticToken.objects.exists()
    assert client.get("/admin/").url.startswith(ENROL)


def test_with_an_authenticator_the_desk_asks_for_a_code(editor):
    """Whoever set one up gives a code after the password, even with DESK_REQUIRE_2FA off."""
    device, _codes = with_authenticator(editor)
    client = signed_in(editor)
    assert client.get("/admin/articles/").url == VERIFY + "?next=%2Fadmin%2Farticles%2F"

    refused = client.post(VERIFY, {"code": wrong_code_for(device)})
    assert refused.status_code == 200 and "That code did not work" in refused.text
    assert not reaches_desk(client)

    # A wrong code makes the device wait a moment (django-otp's throttling) before the next.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/articles/"})
        assert response.url == "/admin/articles/"
        assert reaches_desk(client)


def test_a_code_cannot_be_used_twice(editor):
    """A code that signed one session in does not sign in a second one."""
    device, _codes = with_authenticator(editor)
    code = code_for(device)
    assert signed_in(editor).post(VERIFY, {"code": code}).status_code == 302
    second = signed_in(editor)
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert not reaches_desk(second)


def test_a_recovery_code_works_once_only(editor):
    """Each recovery code signs in once, typed in any case and with spaces; then it is gone."""
    _device, codes = with_authenticator(editor)
    first = signed_in(editor)
    typed = " ".join([codes[0][:4].upper(), codes[0][4:].upper()])
    assert first.post(VERIFY, {"code": typed}).status_code == 302
    assert reaches_desk(first)

    again = signed_in(editor)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert again.post(VERIFY, {"code": codes[0]}).status_code == 200
        assert not reaches_desk(again)
        assert StaticToken.objects.filter(device__user=editor).count() == 9


def test_a_password_alone_cannot_add_a_second_authenticator(editor):
    """Someone with only the password cannot set up their own app over the person's existing one."""
    with_authenticator(editor)
    client = signed_in(editor)
    assert client.get(ENROL).url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_reporters_are_not_forced_but_may_set_it_up(required, reporter):
    """Reporters reach the desk with a password alone, are offered set-up there, and may put it off."""
    client = signed_in(reporter)
    assert f'href="{ENROL}"' in client.get("/admin/").text
    page = client.get(ENROL)
    assert page.status_code == 200 and "Not now" in page.text


def test_required_set_up_cannot_be_put_off(required, editor):
    """An editor who must set it up is not offered a way round it."""
    assert "Not now" not in signed_in(editor).get(ENROL).text


def test_the_desk_stops_offering_set_up_once_it_is_on(editor):
    """A session that gave a code sees no set-up link."""
    device, _codes = with_authenticator(editor)
    client = signed_in(editor)
    client.post(VERIFY, {"code": code_for(device)})
    assert ENROL not in client.get("/admin/").text


def test_with_the_setting_off_nobody_is_forced(editor):
    """DESK_REQUIRE_2FA off (the default): editors and superusers without an app reach the desk."""
    boss = User.objects.create_superuser("boss", "boss@example.com", "pw")
    assert reaches_desk(signed_in(editor))
    assert reaches_desk(signed_in(boss))


def test_sign_in_and_sign_out_stay_open(required, editor):
    """An editor half-way through can still sign out, and the login page is not redirected."""
    client = signed_in(editor)
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/login/").status_code == 200


def test_readers_pages_are_not_guarded(required, editor, client):
    """Only the admin is guarded; the reader site is the same for a half-signed-in editor."""
    client.force_login(editor)
    assert client.get("/").status_code == 200


def test_an_offsite_next_is_ignored(editor):
    """After the code, `next` may only lead back into this site."""
    device, _codes = with_authenticator(editor)
    response = signed_in(editor).post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.url == "/admin/"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    """The two-factor pages need the password step first."""
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_readers_sign_in_is_no_way_round_the_code(client, editor):
    """An editor who signs in at the reader's /account/login/ still owes the desk their code."""
    with_authenticator(editor)
    response = client.post("/account/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 302  # signed in as a reader
    assert client.get("/admin/articles/article/").url == VERIFY + "?next=%2Fadmin%2Farticles%2Farticle%2F"
    assert not reaches_desk(client)
