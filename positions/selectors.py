"""Reads, as they were named before the search became a package (positions/search/): the
search behind the page, the API and the feeds; one position; similar ones. The code lives
in positions.search; this module only re-exports its public names. Tests reach the search
through these names alone (tests/perf/ reads its statements' plans through
`position_search`), so the package's modules can be rearranged without touching them.

Bounded counting's arithmetic is public, as the rule the estimates follow:
`sample_bound(probe_count)` is the sample_bucket bound a search's counts are taken below
(None: exact), `scaled_count(count, scale)` a sampled count as shown, and
`relevance_sample_bound(matches)` the bound of relevance's candidate pool (None: every
match is ranked). settings.SEARCH_PROBE_BUCKETS and SEARCH_RELEVANCE_CANDIDATES size the
probe and the pool."""

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
from .search.sampling import relevance_sample_bound, sample_bound, scaled_count

__all__ = [
    "FACET_LIMITS",
    "FEW_TEXT_MATCHES",
    "MAX_SIMILAR_INSTITUTIONS",
    "PARAMETERS",
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
    "relevance_sample_bound",
    "sample_bound",
    "scaled_count",
    "search_warm_landing",
]
