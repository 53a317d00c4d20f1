"""Turns a page's neutral stars on for the visitor whose shortlist cookie holds them.

Runs after the views and the page cache (positions/cache.py), which only ever see and keep
the neutral body, so nobody's stars reach another visitor through a cache. Every HTML page
varies on Cookie; a page shown with a shortlist is private and revalidated on every visit
(so the star just pressed without JavaScript shows when the browser comes back to the
page), while visitors without one keep the public, shared-cacheable answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from .shortlist import COOKIE, personalise, read_ids


class ShortlistMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        patch_vary_headers(response, ["Cookie"])
        if COOKIE not in request.COOKIES:
            return response
        ids = read_ids(request)
        if response.status_code == 200:
            response.content = personalise(response.content, ids)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        patch_cache_control(response, private=True, no_cache=True, max_age=0)
        return response
