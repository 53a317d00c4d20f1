"""Public pages: the search, a position, its calendar file, robots.txt. Views stay thin:
they call selectors and render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import cache as search_cache
from .feeds import calendar_response
from .filters import SORT_CHOICES
from .selectors import country_name, position_get, position_search, position_similar
from .serializers import is_closed, job_posting, stipend_text

PUBLIC_PAGE_MAX_AGE = 60


@require_safe
@cache_control(public=True, max_age=PUBLIC_PAGE_MAX_AGE)
def search(request: HttpRequest) -> HttpResponse:
    return search_cache.cached_page(request, "search", lambda: _search_page(request))


def _search_page(request: HttpRequest) -> HttpResponse:
    result = position_search(request.GET)
    context = {
        "result": result,
        "values": result.values,
        "sort_choices": [
            choice for choice in SORT_CHOICES if choice[0] != "relevance" or result.query_text
        ],
        "today": timezone.localdate(),
        "page_title": f"“{result.query_text}” · PhD positions"
        if result.query_text
        else "PhD positions",
    }
    template = "positions/search.html"
    if request.headers.get("X-Requested-With") == "fetch":
        # The progressive-enhancement script swaps these regions in place.
        template = "positions/_search_regions.html"
    response = render(request, template, context)
    # One URL, two bodies: caches must keep the script's fragment apart from the page.
    patch_vary_headers(response, ["X-Requested-With"])
    return response


@require_safe
@cache_control(public=True, max_age=300)
def detail(request: HttpRequest, position_id: int) -> HttpResponse:
    return search_cache.cached_page(request, "detail", lambda: _detail_page(request, position_id))


def _detail_page(request: HttpRequest, position_id: int) -> HttpResponse:
    position = position_get(position_id=position_id)
    if position is None:
        raise Http404("No such position.")
    closed = is_closed(position)
    listings = list(position.listings.all())
    context = {
        "position": position,
        "closed": closed,
        "listings": listings,
        "topics": list(position.topics.all()),
        "stipend": stipend_text(position),
        "country": country_name(position.country) if position.country else "",
        "similar": position_similar(position=position),
        "json_ld": None if closed else job_posting(position),
        "page_title": position.title,
        "canonical_url": settings.SITE_URL + reverse("position_detail", args=[position.pk]),
    }
    return render(request, "positions/detail.html", context)


@require_safe
@cache_control(public=True, max_age=300)
def deadline_calendar(request: HttpRequest, position_id: int) -> HttpResponse:
    position = position_get(position_id=position_id)
    if position is None:
        raise Http404("No such position.")
    return calendar_response(
        [position], filename=f"phd-position-{position.pk}.ics", calendar_name=position.title
    )


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /api/",
        "Disallow: /feeds/",
        "Disallow: /positions/*/deadline.ics",
        "Disallow: /shortlist/",
        # Facet combinations are endless: crawl positions through the sitemap instead.
        "Disallow: /?*",
        "Allow: /$",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
