"""
The HTTP push door for agencies: POST /wire/push/<agency>/ with the agency's
token. It answers 202 with what became of the story, 400 with the reason, 401
without a token, 403 with a wrong one, 413 when the file is too large.
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import WireItem, WireService
from ..services.ingest import receive


# Agencies' servers hold no session or CSRF cookie; the per-agency token is the
# credential instead, so this one view is exempt from CSRF.
@csrf_exempt
@require_POST
def push(request, agency):
    service = get_object_or_404(WireService, slug=agency)
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not service.accepts_push:
        return JsonResponse({"error": "Send the agency's token as “Authorization: Bearer <token>”."}, status=401)
    # Only the token's SHA-256 is stored; check_push_token compares hashes in constant time.
    if not service.check_push_token(header.removeprefix("Bearer ").strip()):
        return JsonResponse({"error": "Wrong token for this agency."}, status=403)
    length = int(request.headers.get("Content-Length") or 0)
    if length > settings.WIRE_MAX_BYTES:
        return JsonResponse({"error": f"The file is larger than {settings.WIRE_MAX_BYTES} bytes."}, status=413)
    data = request.body
    name = request.headers.get("X-Filename", "") or request.GET.get("filename", "")
    items = receive(data, filename=name, source=f"push:{service.slug}")
    results = [
        {"item": item.pk, "outcome": item.outcome, "article": item.article_id, "error": item.error} for item in items
    ]
    if all(item.outcome == WireItem.Outcome.REJECTED for item in items):
        return JsonResponse({"error": items[0].error, "items": results}, status=400)
    return JsonResponse({"item": items[0].pk, "items": results}, status=202)
