"""Who must sign in with a second factor, who has one, and where each still has to go."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..roles import EDITOR


def has_authenticator(user):
    """True once the user has confirmed an authenticator app."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def must_use_two_factor(user):
    """Editors and superusers, when DESK_REQUIRE_2FA is on."""
    if not settings.DESK_REQUIRE_2FA:
        return False
    return user.is_superuser or user.groups.filter(name=EDITOR).exists()


def next_step(user):
    """What a signed-in desk user still has to do before the desk: "verify", "enrol" or None."""
    if user.is_verified():
        return None
    if has_authenticator(user):
        return "verify"
    if must_use_two_factor(user):
        return "enrol"
    return None


def step_url(step, next_url):
    """The page for `step` ("verify", "enrol", "recovery_codes"), carrying where to go afterwards."""
    return f"{reverse(f'two_factor:{step}')}?{urlencode({'next': next_url})}"
