"""Bounces and complaints reported by the mail provider: POST /alerts/bounce/ with
`Authorization: Bearer <ALERTS_WEBHOOK_SECRET>` and a JSON body
`{"email": "...", "type": "bounce" | "complaint", "detail": "..."}` (or `"email_hash"`
instead of the address). The address is suppressed: never written to again. Without a
secret configured the endpoint does not exist (404)."""

from __future__ import annotations

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import Suppression, address_hash
from .sending import suppress

logger = logging.getLogger("alerts.webhooks")
MAX_BODY = 64 * 1024


@csrf_exempt
@require_POST
def bounce(request: HttpRequest) -> HttpResponse:
    secret = settings.ALERTS_WEBHOOK_SECRET
    if not secret:
        return HttpResponse(status=404)
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "unauthorised"}, status=401)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "the body must be JSON"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    key = _key(payload)
    if key is None:
        return JsonResponse({"error": "give 'email' or 'email_hash'"}, status=400)
    kind = payload.get("type", "bounce")
    reason = Suppression.Reason.COMPLAINT if kind == "complaint" else Suppression.Reason.BOUNCE
    suppress(key, reason, str(payload.get("detail", ""))[:300])
    logger.info("suppressed %s… (%s, webhook)", key[:12], reason)
    return HttpResponse(status=204)


def _key(payload: dict[str, object]) -> str | None:
    email = payload.get("email")
    if isinstance(email, str) and "@" in email and len(email) <= 254:
        return address_hash(email)
    given = payload.get("email_hash")
    if isinstance(given, str) and len(given) == 64 and all(c in "0123456789abcdef" for c in given):
        return given
    return None
