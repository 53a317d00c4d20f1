"""The search cached per data version (positions.cache): the counts per search, whatever
its page and order, so paging or re-sorting a search counts nothing again; the page's ids
(and its checked total) per page. A repeated search costs the page's rows, whatever it
matches. The cache wraps the same counting and paging the uncached search runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .. import cache as search_cache
from ..filters import PositionFilter
from ..models import Position
from .counts import _Counts
from .page import _positions_in_order, _Skeleton


def cached_search(
    filterset: PositionFilter,
    values: dict[str, Any],
    today: dt.date,
    *,
    text: str,
    sort: str,
    page: int,
    per_page: int,
    with_facets: bool,
    counts_of: Callable[[], _Counts],
    page_of: Callable[[_Counts], _Skeleton],
) -> tuple[_Skeleton, list[Position]]:
    """The search's skeleton (cached ids) and its page's positions, loaded in order."""
    key_values = {
        name: value
        for name, value in values.items()
        if name not in {"q", "sort", "page", "per_page"}
    }
    key_values.update(q=text, facets=with_facets)
    counts_key = search_cache.counts_key("search-counts-v2", key_values, today=today)
    page_values = dict(key_values, sort=sort, page=page, per_page=per_page)
    skeleton = search_cache.remember(
        search_cache.counts_key("search-page-v2", page_values, today=today),
        lambda: page_of(search_cache.remember(counts_key, counts_of)),
    )
    positions = _positions_in_order(skeleton.page_ids, filterset.base_condition())
    return skeleton, positions
