"""
The two-factor pages, under /admin/two-factor/: the code after the password
(verify), setting up an authenticator app (enrol), and the new recovery codes,
shown once (recovery_codes). They look like the admin's login page.
"""

from functools import partial

import django_otp
import segno
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import devices, policy
from .forms import CodeForm
from .policy import step_url

# Recovery codes wait here between the set-up form and the page that shows them, once.
RECOVERY_CODES_SESSION_KEY = "desk_two_factor_recovery_codes"


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return url if safe else reverse("admin:index")


def _page(request, template, **context):
    context = {**admin.site.each_context(request), "next": _next_url(request), **context}
    return TemplateResponse(request, template, context)


def _complete_sign_in(request, device):
    # A new session key at the moment the sign-in is complete, as Django does at login.
    request.session.cycle_key()
    django_otp.login(request, device)


@sensitive_post_parameters("code")
@never_cache
@staff_member_required
def verify(request):
    step = policy.next_step(request.user)
    if step != "verify":
        return redirect(step_url(step, _next_url(request)) if step else _next_url(request))
    form = CodeForm(request.POST or None, check=partial(devices.verify_code, request.user))
    if request.method == "POST" and form.is_valid():
        _complete_sign_in(request, form.result)
        return redirect(_next_url(request))
    return _page(request, "desk/two_factor/verify.html", form=form, title=_("Two-factor sign-in"))


@sensitive_post_parameters("code")
@never_cache
@staff_member_required
def enrol(request):
    user = request.user
    if policy.has_authenticator(user):
        # Already set up: changing it takes a superuser deleting the old one in the admin.
        return redirect(_next_url(request) if user.is_verified() else step_url("verify", _next_url(request)))
    device = devices.pending_authenticator(user)
    form = CodeForm(request.POST or None, check=partial(devices.confirm_authenticator, device))
    if request.method == "POST" and form.is_valid():
        _complete_sign_in(request, device)
        request.session[RECOVERY_CODES_SESSION_KEY] = form.result
        return redirect(step_url("recovery_codes", _next_url(request)))
    uri = device.config_url
    qr = segno.make(uri, error="m").svg_inline(scale=4, title=_("QR code for your authenticator app"))
    return _page(
        request,
        "desk/two_factor/enrol.html",
        form=form,
        uri=uri,
        secret=devices.secret_for_typing(device),
        optional=not policy.must_use_two_factor(user),
        qr_svg=mark_safe(qr),  # segno's own SVG markup, from the URI above; nothing user-typed
        title=_("Set up two-factor sign-in"),
    )


@never_cache
@staff_member_required
def recovery_codes(request):
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return _page(request, "desk/two_factor/recovery_codes.html", codes=codes, title=_("Your recovery codes"))
