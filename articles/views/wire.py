"""
The HTTP push door for agencies: POST /wire/push/<agency>/ with the agency's
token. It answers 202 with what became of the story, 400 with the reason, 401
without a token, 403 with a wrong one, 411 without a Content-Length (Django reads
no chunked body), 413 when the file is too large.

An agency that does not exist, or has pushing off, answers exactly as a wrong
token does (401 without a token, 403 with one), so nobody can probe which
agencies exist. The body is read here, up to WIRE_MAX_BYTES, rather than
through `request.body`, which Django caps at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
for every other view.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import WireItem, WireService
from ..services.ingest import receive


# Agencies' servers hold no session or CSRF cookie; the per-agency token is the
# credential instead, so this one view is exempt from CSRF.
@csrf_exempt
@require_POST
def push(request, agency):
    token = _bearer_token(request)
    if not token:
        return _error(_("Send the agency's token as “Authorization: Bearer <token>”."), 401)
    service = WireService.objects.filter(slug=agency).first()
    # Only the token's SHA-256 is stored; check_push_token compares hashes in constant time.
    if service is None or not service.check_push_token(token):
        return _error(_("Wrong token for this agency."), 403)
    if "Content-Length" not in request.headers:
        return _error(_("Send the file's size in a Content-Length header."), 411)
    length = _content_length(request)
    if length is None:
        return _error(_("The Content-Length header must be a whole number of bytes."), 400)
    if length > settings.WIRE_MAX_BYTES:
        return _error(_("The file is larger than %(limit)d bytes.") % {"limit": settings.WIRE_MAX_BYTES}, 413)
    data = request.read(length)
    name = request.headers.get("X-Filename", "") or request.GET.get("filename", "")
    items = receive(data, filename=name, source=f"push:{service.slug}", channel=service)
    results = [
        {"item": item.pk, "outcome": item.outcome, "article": item.article_id, "error": item.error} for item in items
    ]
    # A zip's own item (kept beside its stories) says nothing about whether they were taken.
    stories = [item for item in items if item.kind != WireItem.Kind.PACKAGE] or items
    if all(item.outcome == WireItem.Outcome.REJECTED for item in stories):
        return JsonResponse({"error": stories[0].error, "items": results}, status=400)
    return JsonResponse({"item": stories[0].pk, "items": results}, status=202)


def _bearer_token(request):
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme == "Bearer" else ""


def _content_length(request):
    """The declared body size, or None when it is not a count of bytes ("abc", "-5", "")."""
    value = request.headers["Content-Length"].strip()
    if not (value.isascii() and value.isdigit()):
        return None
    # int() refuses over 4,300 digits; any count that long is too large anyway.
    digits = value.lstrip("0") or "0"
    return int(digits) if len(digits) <= 18 else settings.WIRE_MAX_BYTES + 1


def _error(message, status):
    return JsonResponse({"error": message}, status=status)
