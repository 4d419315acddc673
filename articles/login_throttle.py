"""
Failed sign-ins, counted by django-axes (settings: LOGIN_FAILURE_LIMIT,
LOGIN_FAILURE_LIMIT_PER_IP, LOGIN_COOLOFF_MINUTES, CLIENT_IP_HEADER).

Axes compares one count with one limit. The desk wants two limits: a username
from one address (so nobody can lock a colleague out from elsewhere, and a
colleague's typos at the next desk lock only themselves), and a higher one for
the address whatever the username (so guessing across many usernames stops
too). `DeskLoginHandler.get_failures` folds both into the count axes compares.
An editor lifts a lock early by deleting it under "Access attempts" in the admin.
"""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _


class DeskLoginHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order:
        # [username + address, address].
        per_user, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.LOGIN_FAILURE_LIMIT_PER_IP:
            # The whole address is locked: report it as at least the per-user limit.
            return max(per_user, get_failure_limit(request, credentials))
        return per_user

    def reset_user_attempts(self, request, credentials=None):
        # After a good sign-in (AXES_RESET_ON_SUCCESS) forget that username's own
        # mistakes at this address, and only those: axes would clear the whole
        # address, letting anyone with one good password wipe a guesser's count.
        user_attempts, _address_attempts = self.filter_user_attempts(request, credentials)
        count, _by_model = user_attempts.delete()
        return count


def client_ip(request):
    """The reader's address: REMOTE_ADDR, or the proxy's header named by CLIENT_IP_HEADER."""
    if settings.CLIENT_IP_HEADER:
        # A proxy appends the address it saw to X-Forwarded-For; whatever comes
        # before it, the client could have written itself.
        forwarded = request.META.get(settings.CLIENT_IP_HEADER, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: when to try again, and who can unlock it sooner."""
    cool_off = get_cool_off(request) or timedelta(0)
    # Every attempt during a lock restarts the wait, so it ends one cool-off from now.
    retry_at = timezone.localtime(getattr(request, "axes_attempt_time", None) or timezone.now()) + cool_off
    context = {
        **admin.site.each_context(request),
        "title": _("Sign-in paused"),
        "username": get_client_username(request, credentials) or "",
        "retry_at": retry_at,
        "cool_off_minutes": max(1, round(cool_off.total_seconds() / 60)),
    }
    response = TemplateResponse(request, "desk/locked_out.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()
