"""
The paywall's own addresses: the decision endpoint, the impression and
meter pixels, the click redirect, and the reader's sign-in, sign-out and
account page.
"""

import base64

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles.models import Article
from articles.params import whole_number

from . import decisions, meter, stats
from .decisions import reader_of
from .frequency import SeenPrompts
from .models import Prompt, PromptVariant, Reader, Subscription, check_cta_url, referrer_host
from .slots import render_gate_offer, render_placed

# The smallest transparent GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@require_GET
@never_cache
def decide(request, article_id):
    """
    The prompts for one reader on one story, for the slots paywall.js names
    (`?slots=top_banner,inline,article_end,overlay,gate`), given the host the
    reader arrived from (`?ref=`): JSON {"slots": {placement: html}}, never
    cached anywhere (never_cache), an impression counted for each prompt
    shown, and the reader's frequency cookies set here (never by the page).
    """
    # Only what targeting asks about; the tags are read only if a prompt targets tags (decisions.tag_ids_of).
    targeting = Article.objects.published().only("pk", "section_id", "wire_service_id", "is_premium")
    article = get_object_or_404(targeting, pk=article_id)
    wanted = [name for name in dict.fromkeys(request.GET.get("slots", "").split(",")) if name in decisions.SLOTS]
    referrer = referrer_host(request.GET.get("ref", ""))
    seen = SeenPrompts(request)
    robot = stats.is_robot(request)
    chosen = decisions.decide(request, article, wanted, referrer, seen, robot=robot)
    reader = reader_of(request)
    answer = {}
    for slot, (prompt, version) in chosen.items():
        answer[slot] = render_placed(prompt, version, request=request, reader=reader, count=False)
        if not robot:
            stats.count(prompt.id, "impressions", version.id)
    if "gate" in wanted and "gate" not in answer:
        answer["gate"] = render_gate_offer(request, reader)  # a gate always offers something
    response = JsonResponse({"slots": answer})
    if not robot:
        seen.save(response)
    return response


def _variant_of(request, prompt_id):
    """The variant a pixel or button names (`?v=`), if it is this prompt's; None for the prompt's own text."""
    pk = whole_number(request.GET.get("v", ""))
    if pk is None:
        return None
    return PromptVariant.objects.filter(pk=pk, prompt_id=prompt_id).values_list("pk", flat=True).first()


@never_cache
def seen(request, prompt_id):
    """The prompt was drawn for a reader: count an impression (not for robots, not for unknown prompts)."""
    if request.method == "GET" and not stats.is_robot(request) and Prompt.objects.filter(pk=prompt_id).exists():
        stats.count(prompt_id, "impressions", _variant_of(request, prompt_id))
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
    if request.method == "GET" and not stats.is_robot(request):  # a HEAD (a link checker) is no click
        stats.count(prompt.pk, "clicks", _variant_of(request, prompt.pk))
    return redirect(prompt.cta_url)


@never_cache
def meter_pixel(request, article_id):
    """
    A story was shown to a reader: count it on their meter (paywall/meter.py).
    Robots, subscribers and stories readers cannot see count nothing.
    """
    response = HttpResponse(PIXEL, content_type="image/gif")
    if request.method != "GET" or not decisions.meter_counting(request) or stats.is_robot(request):
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
