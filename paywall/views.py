"""
The paywall's own addresses: the impression pixel, the click redirect, and
the reader's sign-in, sign-out and account page.
"""

import base64

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache

from articles.models import Article

from . import meter, stats
from .decisions import reader_of
from .models import Prompt, Reader, Subscription, check_cta_url

# The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
def seen(request, prompt_id):
    """The prompt was drawn for a reader: count an impression (not for robots, not for unknown prompts)."""
    if request.method == "GET" and not stats.is_robot(request) and Prompt.objects.filter(pk=prompt_id).exists():
        stats.count(prompt_id, "impressions")
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
def go(request, prompt_id):
    """
    The prompt's button: count the click, then go to that prompt's own
    address. Nothing in the request names where to go, so this cannot be
    used to send anyone elsewhere (not an open redirect).
    """
    prompt = get_object_or_404(Prompt, pk=prompt_id)
    try:
        check_cta_url(prompt.cta_url)  # the form checks it; a row written another way is checked here too
    except ValidationError:
        raise Http404 from None
    if not stats.is_robot(request):
        stats.count(prompt.pk, "clicks")
    return redirect(prompt.cta_url)


@never_cache
def meter_pixel(request, article_id):
    """
    A story was shown to a reader: count it on their meter (paywall/meter.py).
    Robots, subscribers and stories readers cannot see count nothing.
    """
    response = HttpResponse(PIXEL, content_type="image/gif")
    if request.method != "GET" or not meter.is_on() or stats.is_robot(request):
        return response
    reader = reader_of(request)
    if reader == Reader.SUBSCRIBER or not Article.objects.published().filter(pk=article_id, is_premium=False).exists():
        return response
    if reader == Reader.REGISTERED:
        meter.count_for_user(request.user, article_id)
    else:
        meter.count_in_cookie(request, response, article_id)
    return response


class LoginView(auth_views.LoginView):
    template_name = "paywall/login.html"
    redirect_authenticated_user = True
    next_page = reverse_lazy("paywall:account")


class LogoutView(auth_views.LogoutView):
    next_page = "/"


@login_required(login_url=reverse_lazy("paywall:login"))
@never_cache
def account(request):
    subscription = Subscription.objects.filter(user=request.user).first()
    return render(request, "paywall/account.html", {"subscription": subscription})
