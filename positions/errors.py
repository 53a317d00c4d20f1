"""The site's own "not found" answer (Django's handler404), with DEBUG on or off: the styled
page for people (an unknown URL, a position that is gone), a JSON error under /api/."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

_POSITION_PATH = re.compile(r"^/positions/[^/]+/")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": "Not found.", "detail": {}}, status=404)
    context = {
        "page_title": "Page not found",
        "missing_position": bool(_POSITION_PATH.match(request.path)),
    }
    return HttpResponse(render_to_string("404.html", context, request=request), status=404)
