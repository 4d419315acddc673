"""
The user's authenticator app (a TOTP device) and recovery codes (a static
device), and checking a code against them.
"""

from base64 import b32encode

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = _("Authenticator app")
RECOVERY_CODES_NAME = _("Recovery codes")


def pending_authenticator(user):
    """
    The authenticator being set up: the same secret on every visit until it is
    confirmed, so a page reload does not invalidate what was just scanned.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=str(AUTHENTICATOR_NAME), confirmed=False)


def secret_for_typing(device):
    """The secret in base32, in groups of four, for apps where it is typed in."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_authenticator(device, code):
    """Confirm a pending authenticator with a code from it; return fresh recovery codes, or None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(normalize(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per person: an older one (say, a lost phone's) stops working.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return new_recovery_codes(device.user)


def new_recovery_codes(user):
    """Replace the user's recovery codes with ten new ones, returned once for display."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=str(RECOVERY_CODES_NAME), confirmed=True)
    codes = [StaticToken.random_token() for _position in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def verify_code(user, code):
    """
    The device that accepts `code`: six digits are checked against the
    authenticator, anything else against the recovery codes (each works once).
    Both kinds slow down after wrong codes (django-otp's throttling).
    """
    code = normalize(code)
    model = TOTPDevice if code.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(code):
            return device
    return None


def normalize(code):
    # People type codes with spaces or dashes, and recovery codes in capitals.
    return "".join(code.split()).replace("-", "").lower()
