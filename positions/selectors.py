"""Reads, as they were named before the search became a package (positions/search/): the
search behind the page, the API and the feeds; one position; similar ones. The code lives
in positions.search; this module only re-exports its public names."""

from __future__ import annotations

from .facet_options import FacetOption, country_name
from .filters import PARAMETERS, REPEATABLE
from .search.counts import FACET_LIMITS
from .search.position import (
    SIMILAR_CANDIDATES_PER_TOPIC,
    SIMILAR_FIELDS,
    SIMILAR_TOPICS,
    position_get,
    position_similar,
    positions_for_sitemap,
)
from .search.query import FEW_TEXT_MATCHES, MAX_SIMILAR_INSTITUTIONS, is_plain_words
from .search.results import SearchResult, position_search, search_warm_landing
from .search.sampling import PROBE_BUCKETS, RELEVANCE_CANDIDATES

__all__ = [
    "FACET_LIMITS",
    "FEW_TEXT_MATCHES",
    "MAX_SIMILAR_INSTITUTIONS",
    "PARAMETERS",
    "PROBE_BUCKETS",
    "RELEVANCE_CANDIDATES",
    "REPEATABLE",
    "SIMILAR_CANDIDATES_PER_TOPIC",
    "SIMILAR_FIELDS",
    "SIMILAR_TOPICS",
    "FacetOption",
    "SearchResult",
    "country_name",
    "is_plain_words",
    "position_get",
    "position_search",
    "position_similar",
    "positions_for_sitemap",
    "search_warm_landing",
]
