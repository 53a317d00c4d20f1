"""The open, read-only JSON API: `/api/positions/`, `/api/positions/<id>/`, the OpenAPI
schema at `/api/openapi.json` and interactive docs at `/api/docs/` (Swagger UI served from
our own static files, no CDN).

The query string is the search page's (positions.filters). The response shape is fixed:
{"count", "next", "previous", "results": [...], "facets": {...}}; a result carries the
normaliser's record keys plus `id`, `detail_url` (our page), `api_url` and `sources`
(`url` is the advert's own page, as in the normaliser's record). Bad parameters give a
400 with {"error", "detail": {parameter: [messages]}}; page and per_page are clamped
(per_page at most 100), and a page past the last is a 400 naming the last page.

The schemas below document the shape; the endpoints return JsonResponse built by
positions.serializers, so serving a page costs no validation pass.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI, Query, Schema
from ninja.errors import ValidationError as NinjaValidationError

from . import cache as search_cache
from .selectors import FacetOption, SearchResult, position_get, position_search
from .serializers import position_record

api = NinjaAPI(
    title="PhD positions API",
    version="1.0.0",
    description=(
        "Search open PhD positions with the same query string as the search page. "
        "Facet parameters may repeat: values of one facet combine with OR, facets with AND. "
        "Each facet entry names the `param` and `value` that select it. "
        "`url` is the advert's own page; `detail_url` is ours."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/openapi.json",
)


class StipendOut(Schema):
    amount: float | None
    currency: str | None
    period: str | None
    amount_max: float | None = None
    pay_scale: str | None = None
    fte_percent: int | None = None
    yearly_eur: int | None = None
    rate_date: str | None = None


class SourceOut(Schema):
    name: str
    url: str | None
    last_checked: str | None
    state: str


class PositionOut(Schema):
    id: int
    title: str
    institution: str | None
    country: str | None
    city: str | None
    deadline: str | None
    deadline_kind: str
    start_date: str | None
    duration_months: int | None
    funding: str
    eligibility: list[str]
    open_to: list[str]
    stipend: StipendOut | None
    supervisors: list[str]
    contact_emails: list[str]
    topics: list[str]
    degree: str | None
    apply_url: str | None
    url: str | None
    department: str | None
    deadline_time: str | None
    deadline_timezone: str | None
    start_text: str | None
    contract: str
    fees_covered: str
    teaching_duty: bool | None
    tags: list[str]
    region: str | None
    schedule: str | None
    programme: str | None
    researcher_level: str | None
    contradictions: list[dict[str, Any]]
    evidence: dict[str, Any]
    status: str
    days_left: int | None
    first_seen: str | None
    detail_url: str
    api_url: str
    sources: list[SourceOut]


class PositionDetailOut(PositionOut):
    description_html: str
    description_text: str


class FacetValueOut(Schema):
    """One facet value; `?{param}={value}` selects it (every facet key is its parameter)."""

    param: str
    value: str
    label: str
    count: int
    children: list[FacetValueOut] | None = None


class FacetsOut(Schema):
    funding: list[FacetValueOut]
    deadline_kind: list[FacetValueOut]
    deadline_within: list[FacetValueOut]
    country: list[FacetValueOut]
    topic: list[FacetValueOut]
    eligibility: list[FacetValueOut]
    institution: list[FacetValueOut]
    contract: list[FacetValueOut]
    start: list[FacetValueOut]
    schedule: list[FacetValueOut]
    programme: list[FacetValueOut]
    level: list[FacetValueOut]
    region: list[FacetValueOut]
    city: list[FacetValueOut]
    stipend: list[FacetValueOut]


class PositionListOut(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[PositionOut]
    facets: FacetsOut


class ErrorOut(Schema):
    error: str
    detail: dict[str, list[str]]


class SearchParameters(Schema):
    """Documented for the schema; the selector parses the raw query string itself."""

    q: str | None = None
    funding: list[str] | None = None
    deadline_kind: list[str] | None = None
    deadline_within: str | None = None
    deadline_after: str | None = None
    deadline_before: str | None = None
    eligibility: list[str] | None = None
    topic: list[str] | None = None
    country: list[str] | None = None
    institution: list[str] | None = None
    start: list[str] | None = None
    start_after: str | None = None
    start_before: str | None = None
    contract: list[str] | None = None
    schedule: list[str] | None = None
    programme: list[str] | None = None
    level: list[str] | None = None
    region: list[str] | None = None
    city: list[str] | None = None
    stipend: list[str] | None = None
    sort: str | None = None
    page: str | None = None
    per_page: str | None = None
    include_closed: str | None = None


FACET_KEYS = (
    "funding",
    "deadline_kind",
    "deadline_within",
    "country",
    "topic",
    "eligibility",
    "institution",
    "contract",
    "start",
    "schedule",
    "programme",
    "level",
    "region",
    "city",
    "stipend",
)


def _page_url(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _cached(response: HttpResponse, max_age: int) -> HttpResponse:
    if response.status_code == 200 and "Warning" not in response:  # a stale copy: no-store
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _bad_request(errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"error": "Invalid query parameters.", "detail": errors}, status=400)


ESTIMATE_HEADER = "X-Count-Estimated"


def _facet_entry(param: str, option: FacetOption) -> dict[str, Any]:
    """A facet value with the query parameter that selects it (its children too)."""
    entry: dict[str, Any] = {"param": param, **option.as_json()}
    if option.children:
        entry["children"] = [_facet_entry(param, child) for child in option.children]
    return entry


def search_payload(request: HttpRequest, result: SearchResult) -> dict[str, Any]:
    return {
        "count": result.total or 0,
        "next": _page_url(request, result.page + 1) if result.has_next else None,
        "previous": _page_url(request, result.page - 1) if result.has_previous else None,
        "results": [position_record(position) for position in result.positions],
        "facets": {
            key: [_facet_entry(key, option) for option in result.facets.get(key, [])]
            for key in FACET_KEYS
        },
    }


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> JsonResponse:
    return _bad_request({"parameters": [str(error.get("msg", error)) for error in exc.errors]})


@api.get(
    "/positions/",
    response={200: PositionListOut, 400: ErrorOut},
    url_name="positions",
    summary="Search positions",
)
def list_positions(request: HttpRequest, filters: Query[SearchParameters]) -> HttpResponse:
    return _cached(search_cache.cached_page(request, "api", lambda: _search_answer(request)), 60)


def _search_answer(request: HttpRequest) -> JsonResponse:
    result = position_search(request.GET)
    if result.errors:
        return _bad_request(result.errors)
    if result.past_end:
        last = result.num_pages
        return JsonResponse(
            {
                "error": f"Page {result.page} is past the end of the results.",
                "detail": {"page": [f"The last page is {last}: {_page_url(request, last)}"]},
            },
            status=400,
        )
    response = JsonResponse(search_payload(request, result))
    # Above SEARCH_EXACT_COUNTS_UP_TO matches, count and the facet counts are estimates
    # from a sample; the body keeps its documented keys and the header says so.
    response[ESTIMATE_HEADER] = "true" if result.estimated else "false"
    return response


@api.get(
    "/positions/{position_id}/",
    response={200: PositionDetailOut, 404: ErrorOut},
    url_name="position",
    summary="One position",
)
def get_position(request: HttpRequest, position_id: str) -> HttpResponse:
    return _cached(
        search_cache.cached_page(request, "api-detail", lambda: _position_answer(position_id)), 300
    )


def _position_answer(position_id: str) -> JsonResponse:
    # The id is taken as text so that a malformed or huge one is a 404, not a 422.
    position = (
        position_get(position_id=int(position_id))
        if position_id.isdigit() and len(position_id) < 19
        else None
    )
    if position is None:
        return JsonResponse({"error": "No such position.", "detail": {}}, status=404)
    return JsonResponse(position_record(position, with_description=True))
