"""The search behind the page, the API and the feeds: `position_search(params)`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from ..facet_options import FacetOption
from ..filters import DEFAULT_PER_PAGE, PositionFilter, clean_params
from ..models import Position
from .cache import cached_search
from .counts import _search_counts
from .page import _search_skeleton


@dataclass
class SearchResult:
    positions: list[Position]
    total: int | None
    page: int
    per_page: int
    sort: str
    query_text: str
    values: dict[str, Any]
    facets: dict[str, list[FacetOption]]
    errors: dict[str, list[str]]
    typo_tolerant: bool = False
    # With typo tolerance: how many matched the text as typed (at most FEW_TEXT_MATCHES),
    # and the text with its misspelt words corrected ("did you mean"), or "".
    exact_matches: int | None = None
    suggestion: str = ""
    # True when some facet counts were estimated from a sample (they are then rounded to
    # two significant digits, and each such option says so); total_estimated, when the
    # total was too. The page is found without the sample, so it can make a sampled total
    # exact (_checked_total), and with it the counts of what it holds (_exact_where_known).
    estimated: bool = False
    total_estimated: bool = False

    @property
    def num_pages(self) -> int:
        if not self.total:
            return 1
        countable = self.total
        if self.sort == "relevance":
            countable = min(countable, settings.SEARCH_RELEVANCE_CANDIDATES)
        return max(1, math.ceil(countable / self.per_page))

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def similar_too(self) -> bool:
        """The results hold similar matches besides the exact ones (the notice says so)."""
        return (
            self.typo_tolerant
            and self.total is not None
            and self.exact_matches is not None
            and self.total > self.exact_matches
        )

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def past_end(self) -> bool:
        """A page beyond the last (`?page=99` of three): it holds nothing, page 1 never is."""
        return self.page > 1 and not self.positions


def position_search(
    params: Mapping[str, Any] | QueryDict,
    *,
    with_facets: bool = True,
    today: dt.date | None = None,
    per_page: int | None = None,
) -> SearchResult:
    """Search open (or, if asked, all) published positions; invalid parameters are dropped
    and reported in `errors` (the API turns them into a 400, the page into a notice)."""
    today = today or timezone.localdate()
    filterset = PositionFilter(clean_params(params), queryset=Position.objects.all(), today=today)
    values = filterset.values
    errors = {
        name: [str(message) for message in messages] for name, messages in filterset.errors.items()
    }
    text = filterset.query_text
    sort = values.get("sort") or ("relevance" if text else "deadline")
    if sort == "relevance" and not text:
        sort = "deadline"
    page = values.get("page") or 1
    # Feeds and calendars ask for more than a page's worth; the query string cannot.
    per_page = per_page or values.get("per_page") or DEFAULT_PER_PAGE

    counts_of = partial(_search_counts, filterset, today, with_facets=with_facets)
    page_of = partial(
        _search_skeleton,
        filterset,
        values,
        today,
        sort=sort,
        text=text,
        page=page,
        per_page=per_page,
        include_closed=bool(values.get("include_closed")),
    )
    if settings.SEARCH_CACHE:
        skeleton, positions = cached_search(
            filterset,
            values,
            today,
            text=text,
            sort=sort,
            page=page,
            per_page=per_page,
            with_facets=with_facets,
            counts_of=counts_of,
            page_of=page_of,
        )
    else:
        skeleton = page_of(counts_of(), load_page=True)
        positions = skeleton.positions
    total, facets, typo_tolerant = skeleton.total, skeleton.facets, skeleton.typo_tolerant
    return SearchResult(
        estimated=skeleton.estimated,
        total_estimated=skeleton.total_estimated,
        positions=positions,
        total=total,
        page=page,
        per_page=per_page,
        sort=sort,
        query_text=text,
        values=values,
        facets=facets,
        errors=errors,
        typo_tolerant=typo_tolerant,
        exact_matches=skeleton.exact_matches,
        suggestion=skeleton.suggestion or "",
    )


def search_warm_landing() -> None:
    """Count the landing search (no parameters) into the cache now, so after a scrape or a
    housekeeping pass the next visitor finds the counts ready (issue 7: counts refreshed
    after ingest). Facet-only filters are cached by the first request that asks."""
    if settings.SEARCH_CACHE:
        position_search({})
