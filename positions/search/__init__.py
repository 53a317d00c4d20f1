"""Search: the search behind the page, the API and the feeds; one position; similar ones.

`position_search(params)` parses the query string with PositionFilter and runs, whatever
the page size, a constant number of queries:
  1. how many match, about (the probe: counts), and with text: does full-text search find
     enough? If not, titles and institutions are also matched by trigram similarity (typo
     tolerance; one more query finds the institutions);
  2. one pass for the total and every facet's counts (GROUPING SETS over a materialised
     candidate set; each facet's counts leave out its own condition: disjunctive faceting).
     Counting is bounded: query 1 counts the matches in a small fixed sample (1/256 of
     the positions, by Position.sample_bucket). When that says more than
     SEARCH_EXACT_COUNTS_UP_TO positions match, the counts are taken over a uniform sample
     of between half that many and that many and scaled up, and the result says they are
     estimates ("about 53,000"); below it every count is exact. The sample is the open
     positions in the buckets below a level with a full-text index of its own
     (models.SAMPLE_LEVELS), so a sample of a common word's matches costs its own rows,
     not every match;
  3. the page of positions, with their topics and listings (JSON arrays in the same query).

The modules, in the order a search runs them:
- `query`: the positions a search's visibility and text select; when typos are forgiven;
- `counts`: the probe, typo tolerance's lookup, and the one statement for the total and
  every facet's counts;
- `sampling`: bounded counting (the probe, the facets' sample, relevance's candidates);
- `page`: the page on top of the counts, the total as the page bears it out, and the
  loading of a page's rows;
- `cache`: the counts and pages cached per data version (positions.cache), wrapping the
  same counting and paging;
- `results`: `position_search(params) -> SearchResult`, the entry point;
- `position`: one position, its similar ones, the sitemap's;
- `fulltext`: the search document, the query language and the field's synonyms (its
  names are re-exported here, as `positions.search` held them before the package).

`positions.selectors` re-exports the public names.
"""

from .fulltext import (
    MAX_DESCRIPTION_CHARS,
    MAX_QUERY_CHARS,
    SEARCH_CONFIG,
    SYNONYMS,
    ExpandedSearchQuery,
    build_search_query,
    clean_query_text,
    search_document_sql,
    synonym_rewrites,
)

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "MAX_QUERY_CHARS",
    "SEARCH_CONFIG",
    "SYNONYMS",
    "ExpandedSearchQuery",
    "build_search_query",
    "clean_query_text",
    "search_document_sql",
    "synonym_rewrites",
]
