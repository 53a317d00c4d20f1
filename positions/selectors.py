"""Reads: the search behind the page, the API and the feeds; one position; similar ones.

`position_search(params)` parses the query string with PositionFilter and runs, whatever
the page size, a constant number of queries:
  1. how many match, about (the probe below), and with text: does full-text search find
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
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    SmallIntegerField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.lookups import LessThan
from django.http import QueryDict
from django.utils import timezone

from . import cache as search_cache
from .facet_kinds import (
    CANDIDATE_COLUMNS_SQL,
    KIND_COLUMNS,
    KIND_FILTERED_COUNTS,
    KIND_GROUP_OF,
    KIND_LIMITS,
    KIND_SCALAR_FACETS,
)
from .facet_options import (  # FacetOption and country_name: part of the selectors' interface
    _BY_COUNT,
    _ELIGIBILITY_ORDER,
    DEADLINE_WINDOWS,
    _by_count,
    _walk_options,
    facet_options,
)
from .facet_options import (
    FacetOption as FacetOption,
)
from .facet_options import (
    country_name as country_name,
)
from .filters import (
    DEFAULT_PER_PAGE,
    FACET_GROUPS,
    PARAMETERS,  # noqa: F401 - part of the selectors' interface
    REPEATABLE,  # noqa: F401
    PositionFilter,
    clean_params,
)
from .models import (
    SAMPLE_BUCKETS,
    SAMPLE_LEVELS,
    Listing,
    Position,
    Topic,
    closed_last,
    listing_source_model,
)
from .search import build_search_query
from .words import typo_lookup

# Below this many full-text matches, trigram similarity joins in (typo tolerance).
FEW_TEXT_MATCHES = 5
MAX_SIMILAR_INSTITUTIONS = 50
# Relevance is ranked over at most this many matches; beyond that ts_rank costs more
# than any reader gains (issue 7). The rest of a huge result set is not ranked.
RELEVANCE_CANDIDATES = 500
FACET_LIMITS = {"institution": 30, "country": 80}
# The probe sample: buckets below this (1/256 of the positions) estimate how many match.
# A sample level, so an index of its own serves it.
PROBE_BUCKETS = 4
assert PROBE_BUCKETS in SAMPLE_LEVELS


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
            countable = min(countable, RELEVANCE_CANDIDATES)
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


def is_plain_words(text: str) -> bool:
    """Typo tolerance is for plain words: a phrase, `or` or `-word` asks for exactness."""
    lowered = f" {text.lower()} "
    return '"' not in text and " or " not in lowered and " -" not in lowered


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
        # Cached per data version (positions.cache): the counts per search, whatever its
        # page and order, so paging or re-sorting a search counts nothing again; the
        # page's ids (and its checked total) per page. A repeated search costs the page's
        # rows, whatever it matches.
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


@dataclass
class _Counts:
    """What a search counts, the same for each of its pages and orders; cached as is."""

    total: int | None
    facets: dict[str, list[FacetOption]]
    typo_tolerant: bool
    # With typo tolerance: the institutions whose names look like the text.
    similar_institutions: list[int] | None
    # The sample bucket bound the counts were taken below (None: every match counted).
    sample: int | None
    # With typo tolerance: how many matched the text as typed (up to FEW_TEXT_MATCHES),
    # and the text with its misspelt words corrected from the vocabulary (or None).
    exact_matches: int | None = None
    suggestion: str | None = None


@dataclass
class _Skeleton:
    """What a search computes before loading its page; cached as is (ids, not rows)."""

    total: int | None
    facets: dict[str, list[FacetOption]]
    typo_tolerant: bool
    page_ids: list[int]
    positions: list[Position] = field(default_factory=list)
    estimated: bool = False
    total_estimated: bool = False
    exact_matches: int | None = None
    suggestion: str | None = None


def _matching(
    filterset: PositionFilter,
    similar_institutions: list[int] | None = None,
    corrected_text: str | None = None,
) -> QuerySet[Position]:
    """The positions the search's visibility and text select (its facet filters aside);
    with `similar_institutions` and `corrected_text`, typo-tolerantly
    (filters.PositionFilter.text_condition)."""
    base = Position.objects.filter(filterset.base_condition())
    text_condition = filterset.text_condition(
        similar_institutions=similar_institutions, corrected_text=corrected_text
    )
    return base if text_condition is None else base.filter(text_condition)


def _search_counts(filterset: PositionFilter, today: dt.date, *, with_facets: bool) -> _Counts:
    values = filterset.values
    typo_tolerant = False
    institution_ids: list[int] | None = None
    check_typos = bool(filterset.query_text) and is_plain_words(filterset.query_text)
    probed = base = _matching(filterset)
    # One query answers "how many match, about?" (the probe sample) and "does full-text
    # search find enough?"; only when it does not, a second asks which institutions look
    # like the text (trigram similarity over every institution is not free).
    parts: list[str] = []
    params: list[Any] = []
    if with_facets or check_typos:
        probe = probed.filter(sample_bucket__lt=_bucket_bound(PROBE_BUCKETS)).order_by()
        probe_sql, probe_params = probe.values("id").query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({probe_sql}) p)")  # noqa: S608 (Django's SQL)
        params += probe_params
    if check_typos:
        # Enough matches in the probe's sample answer it: the count of every match is
        # only run when the sample holds fewer, so when the text is rare. It then reads
        # the matches through the full-text index: a MATERIALIZED CTE is planned for all
        # its rows (their bitmap: 3.5 ms for "machine learning" at 1M, far less for a rare
        # text). Under a plain LIMIT the planner could instead scan the table until it met
        # five, testing every row's search document: it did at 100k while the indexes'
        # pending lists were long (the GIN cost estimate counts their pages), 40-135 ms
        # for "zebrafish" or "Teichmüller" instead of ~1 ms.
        matches_sql, matches_params = probed.order_by().values("id").query.sql_with_params()
        few = (
            f"(WITH m AS MATERIALIZED ({matches_sql})"  # noqa: S608 (Django's SQL)
            " SELECT count(*) FROM (SELECT 1 FROM m LIMIT %s) f)"
        )
        parts = [
            f"p.n, CASE WHEN p.n >= %s THEN %s ELSE {few} END"
            # OFFSET 0 keeps the probe a subquery, counted once (not pulled up into both
            # places that read it).
            f" FROM (SELECT {parts[0]} AS n OFFSET 0) p"
        ]
        params = [FEW_TEXT_MATCHES, FEW_TEXT_MATCHES, *matches_params, FEW_TEXT_MATCHES, *params]
    probe_count = None
    exact_matches: int | None = None
    suggestion: str | None = None
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(parts)}", params)
            row = list(cursor.fetchone())
        probe_count = row.pop(0)
        if check_typos and row[0] < FEW_TEXT_MATCHES:
            typo_tolerant = True
            exact_matches = row[0]
            # Which institutions look like the text, and the text with its misspelt words
            # corrected from the adverts' vocabulary (positions.words): one query.
            institution_ids, suggestion = typo_lookup(
                filterset.query_text, max_institutions=MAX_SIMILAR_INSTITUTIONS
            )
            base = _matching(filterset, institution_ids, suggestion)

    total: int | None = None
    facets: dict[str, list[FacetOption]] = {}
    sample = None if typo_tolerant or probe_count is None else _sample_bound(probe_count)
    if with_facets:
        counted = base if sample is None else base.filter(sample_bucket__lt=_bucket_bound(sample))
        scale = 1.0 if sample is None else SAMPLE_BUCKETS / sample
        total, facets = _facet_counts(counted, filterset.conditions(), values, today, scale=scale)
    return _Counts(total, facets, typo_tolerant, institution_ids, sample, exact_matches, suggestion)


def _search_skeleton(
    filterset: PositionFilter,
    values: dict[str, Any],
    today: dt.date,
    counts: _Counts,
    *,
    sort: str,
    text: str,
    page: int,
    per_page: int,
    include_closed: bool,
    load_page: bool = False,
) -> _Skeleton:
    """The search's page (its ids, or its rows with `load_page`) on top of its counts, and
    the total as the page bears it out."""
    conditions = filterset.conditions()
    total, facets, typo_tolerant = counts.total, counts.facets, counts.typo_tolerant

    filtered = _matching(filterset, counts.similar_institutions, counts.suggestion)
    for condition in conditions.values():
        filtered = filtered.filter(condition)
    page_rows = _page_of_positions(
        filtered,
        sort=sort,
        text=text,
        typo_tolerant=typo_tolerant,
        corrected_text=counts.suggestion,
        include_closed=include_closed,
        page=page,
        per_page=per_page,
        load=load_page,
        matches=total,
    )
    estimated = total_estimated = counts.sample is not None
    if estimated and total is not None:
        total, total_estimated = _checked_total(
            total,
            len(page_rows),
            page=page,
            per_page=per_page,
            sort=sort,
            page_sampled=sort == "relevance" and _relevance_buckets(total) is not None,
        )
        if not total_estimated and facets and total <= settings.SEARCH_EXACT_COUNTS_UP_TO:
            # Every match is on the pages so far, and few: count what they hold, exactly.
            # (Corrected in a copy: the counts are shared by every page of the search.)
            _exact_total, exact = _facet_counts(filtered, {}, values, today)
            facets = _exact_where_known(copy.deepcopy(facets), exact, active=set(conditions))
            estimated = any(option.estimated for option in _walk_options(facets))
    skeleton = _Skeleton(
        total,
        facets,
        typo_tolerant,
        [row.pk for row in page_rows] if load_page else list(page_rows),
        estimated=estimated,
        total_estimated=total_estimated,
        exact_matches=counts.exact_matches,
        suggestion=counts.suggestion,
    )
    if load_page:
        skeleton.positions = page_rows
    return skeleton


def _checked_total(
    estimate: int,
    shown: int,
    *,
    page: int,
    per_page: int,
    sort: str,
    page_sampled: bool,
) -> tuple[int, bool]:
    """A sampled total checked against the page: (total, still an estimate?).

    The sample is sized by how many match the text, so a narrow filter on a broad text can
    leave few or none of its matches in the sample ("about 0") while the page, found
    without the sample, lists them. A short page is the last one: the total is then
    exact. Otherwise the total is at least what the pages up to this one hold."""
    seen = (page - 1) * per_page + shown
    if page_sampled:
        return estimate, True
    last_page = shown < per_page and (shown > 0 or page == 1)
    # Relevance ranks at most RELEVANCE_CANDIDATES matches: its last page ends there.
    capped = sort == "relevance" and seen >= RELEVANCE_CANDIDATES
    if last_page and not capped:
        return seen, False
    return max(estimate, seen), True


def _exact_where_known(
    sampled: dict[str, list[FacetOption]],
    exact: dict[str, list[FacetOption]],
    *,
    active: set[str],
) -> dict[str, list[FacetOption]]:
    """The sampled facets, corrected by `exact`: the counts over every match (the search
    with all its filters), known once a short page has made the total exact.

    A facet with no filter of its own counts exactly those matches: it is taken whole. A
    facet with a filter counts its options as if that filter were not there, so only its
    selected options (whose matches all pass it) are known exactly; the others keep
    their estimate."""
    # Which condition group each facet's counts leave out (filters.FACET_GROUPS).
    group_of = (
        {name: group for name, _column, group in _SCALAR_FACETS}
        | {
            "eligibility": "eligibility",
            "topic": "topic",
            "deadline_within": "deadline",
        }
        | KIND_GROUP_OF
    )
    corrected: dict[str, list[FacetOption]] = {}
    for name, options in sampled.items():
        if group_of.get(name) not in active:
            corrected[name] = exact.get(name, [])
            continue
        counts = {
            option.value: option.count for option in _walk_options({name: exact.get(name, [])})
        }
        for option in _walk_options({name: options}):
            if option.selected:
                option.count = counts.get(option.value, 0)
                option.estimated = False
        if name in _BY_COUNT:
            options.sort(key=_by_count)
            for option in options:
                option.children.sort(key=_by_count)
        corrected[name] = options
    return corrected


def _relevance_buckets(matches: int | None) -> int | None:
    """For relevance over about `matches` positions, the sample_bucket bound giving a
    little more than RELEVANCE_CANDIDATES of them (then capped at exactly that many, so
    every relevance page up to the last is full); None: rank them all."""
    wanted = RELEVANCE_CANDIDATES * 1.25
    if not matches or matches <= wanted:
        return None
    buckets = math.ceil(SAMPLE_BUCKETS * wanted / matches)
    return buckets if buckets < SAMPLE_BUCKETS else None


def _in_buckets_below(buckets: int) -> list[Any]:
    """Conditions for the positions in the buckets below `buckets`, read through the index
    of the smallest sample level that holds them (models.SAMPLE_LEVELS). `sample_bucket <
    level` names that index; the exact bound is then tested on the rows it yields, written
    so no index can take it: Postgres would otherwise prefer the range of bucket entries
    in position_open_search_gin (5-8 ms for "machine learning" at 1M, against 0.5 ms)."""
    unindexed = ExpressionWrapper(F("sample_bucket") + 0, output_field=IntegerField())
    level = next((level for level in SAMPLE_LEVELS if level >= buckets), None)
    if level is None:
        # More than the largest level: the bound is tested on the rows the full-text index
        # yields for the text alone. As a range inside position_open_search_gin it read
        # the entries of every bucket below it: 3.9 ms of a 9.3 ms page for "deep learning"
        # at 100k (~1,100 matches, 607 in the range), against 0.25 ms for all the matches.
        return [LessThan(unindexed, buckets)]
    # Typed as the GIN indexes need: a search that includes closed positions reads the
    # level's range inside position_search_gin instead.
    return [Q(sample_bucket__lt=_bucket_bound(level)), LessThan(unindexed, buckets)]


def _bucket_bound(buckets: int) -> Cast:
    """A bound on sample_bucket typed smallint, as the GIN (btree_gin) operator class needs."""
    return Cast(Value(buckets), SmallIntegerField())


def _sample_bound(probe_count: int) -> int | None:
    """How many buckets to count over for a search whose probe sample held `probe_count`
    matches: None (all of them: exact counts) when about SEARCH_EXACT_COUNTS_UP_TO or fewer
    match, else a bound giving a sample of between half that many and that many: the
    largest sample level (models.SAMPLE_LEVELS) at or below the bound for exactly that
    many, whose own full-text index then holds the sample. (Beyond ~256 x the limit, a
    bound below the smallest level, never an empty one: the sample can then exceed it.)"""
    limit = settings.SEARCH_EXACT_COUNTS_UP_TO
    estimate = probe_count * SAMPLE_BUCKETS / PROBE_BUCKETS
    if estimate <= limit:
        return None
    exact = SAMPLE_BUCKETS * limit / estimate
    levels = [level for level in SAMPLE_LEVELS if level <= exact]
    return levels[-1] if levels else max(1, math.floor(exact))


def _positions_in_order(ids: list[int], visible: Q) -> list[Position]:
    """The cached page's positions, in order; one hidden or closed since is left out."""
    if not ids:
        return []
    found = _load_page(Position.objects.filter(visible, id__in=ids))
    by_id = {position.pk: position for position in found}
    return [by_id[pk] for pk in ids if pk in by_id]


# A list of results shows each position's topics and the sources listing it. Both come in
# the page's own query, as JSON arrays (not two prefetch queries and their model
# machinery: issue 7), and are attached as the relations' prefetched results, so
# `position.topics.all()` and `position.listings.all()` read them as usual. The order is
# that of the prefetches they replace: Topic.Meta.ordering; listings by source, then id.
_PAGE_TOPICS = RawSQL(
    """(SELECT json_agg(json_build_array(t.id, t.name, t.slug, t.parent_id, tp.name, tp.slug)
                        ORDER BY tp.name, t.name)
        FROM positions_position_topics pt
        JOIN positions_topic t ON t.id = pt.topic_id
        LEFT JOIN positions_topic tp ON tp.id = t.parent_id
        WHERE pt.position_id = positions_position.id)""",
    [],
)
_PAGE_LISTINGS = RawSQL(
    """(SELECT json_agg(json_build_array(l.id, l.url, l.state, l.first_seen, l.last_seen,
                                         s.id, s.name)
                        ORDER BY s.name, l.id)
        FROM positions_listing l
        JOIN positions_source s ON s.id = l.source_id
        WHERE l.position_id = positions_position.id AND l.state <> %s)""",
    [Listing.State.GONE],
)
_TOPIC_FIELDS = ("id", "name", "slug", "parent_id")
_LISTING_FIELDS = ("id", "source_id", "position_id", "url", "state", "first_seen", "last_seen")


def _load_page(
    queryset: QuerySet[Position, Any],
    start: int = 0,
    stop: int | None = None,
    *,
    with_description: bool = False,
) -> list[Position]:
    """The positions (`start:stop` of the queryset) with their institution, topics and
    listings, in one query. Lists never show the advert's text: without
    `with_description` the largest columns stay on disk."""
    large: tuple[str, ...] = ("search_vector", "source_values")
    if not with_description:
        large += ("description_html", "description_text")
    rows = (
        queryset.select_related("institution")
        .defer(*large)
        .annotate(page_topics=_PAGE_TOPICS, page_listings=_PAGE_LISTINGS)
    )
    db = rows.db
    positions = list(rows[start:stop])
    parents: dict[int, Topic] = {}
    sources: dict[int, Any] = {}  # scraping's Source rows, by id
    for position in positions:
        topics = []
        for topic_id, name, slug, parent_id, parent_name, parent_slug in position.page_topics or ():
            topic = Topic.from_db(db, _TOPIC_FIELDS, (topic_id, name, slug, parent_id))
            if parent_id is not None:
                parent = parents.get(parent_id)
                if parent is None:
                    parent = Topic.from_db(
                        db, _TOPIC_FIELDS, (parent_id, parent_name, parent_slug, None)
                    )
                    parents[parent_id] = parent
                topic.parent = parent
            topics.append(topic)
        listings = []
        for listing_id, url, state, first_seen, last_seen, source_id, source_name in (
            position.page_listings or ()
        ):
            # from_db takes the values in the model's field order.
            listing = Listing.from_db(
                db,
                _LISTING_FIELDS,
                (
                    listing_id,
                    source_id,
                    position.pk,
                    url,
                    state,
                    _timestamp(first_seen),
                    _timestamp(last_seen),
                ),
            )
            source: Any = sources.get(source_id)
            if source is None:
                source = sources[source_id] = listing_source_model().from_db(
                    db, ("id", "name"), (source_id, source_name)
                )
            listing.source = source
            listing.position = position
            listings.append(listing)
        _prefetched(position, "topics", Topic, topics)
        _prefetched(position, "listings", Listing, listings)
        del position.page_topics, position.page_listings
    return positions


def _timestamp(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class _Loaded(QuerySet[Any]):
    """A relation's objects loaded with the page, in the order a prefetch gives them:
    iterating, counting, indexing and first() read them. Refining them (filter, exclude,
    order_by...) queries the relation afresh, as a prefetched relation does."""

    _refine: Callable[[], QuerySet[Any]]

    @property
    def ordered(self) -> bool:
        return True

    def _chain(self) -> QuerySet[Any]:
        return self._refine().all()


def _prefetched(position: Position, name: str, model: type[Any], objects: list[Any]) -> None:
    """Store `objects` as what `position.<name>.all()` returns, as prefetch_related does."""
    queryset = _Loaded(model=model)
    queryset._result_cache = objects
    queryset._prefetch_done = True  # type: ignore[attr-defined]  # Django's own flag
    # The relation's own filter on a fresh queryset (what the manager does uncached); the
    # manager is made only if a refinement asks, not for every relation of every page.
    queryset._refine = lambda: getattr(position, name)._apply_rel_filters(
        model._default_manager.all()
    )
    position.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _page_of_positions(
    filtered: QuerySet[Position],
    *,
    sort: str,
    text: str,
    typo_tolerant: bool,
    include_closed: bool,
    page: int,
    per_page: int,
    load: bool = True,
    matches: int | None = None,
    corrected_text: str | None = None,
) -> list[Any]:
    """The page's positions with what a result shows, or only their ids (load=False).
    `matches`, the search's total (counted or estimated), lets relevance rank a uniform
    sample of the matches rather than the first ones the index yields (the oldest)."""
    offset = (page - 1) * per_page
    ordering: list[Any]
    ordered: QuerySet[Position, Any]
    if sort == "relevance":
        if offset >= RELEVANCE_CANDIDATES:
            return []
        # Rank a bounded candidate set, never every match of a common word: for a broad
        # search, a uniform sample of a little more than RELEVANCE_CANDIDATES of its
        # matches (the GIN index hands them over without building the bitmap of every
        # match), capped at RELEVANCE_CANDIDATES. They are ranked as they are read, in one
        # scan; only the page's positions are loaded (a join of every candidate's whole
        # row cost a third of the query, issue 7).
        pool = filtered
        buckets = _relevance_buckets(matches)
        if buckets is not None:
            pool = filtered.filter(*_in_buckets_below(buckets))
        rank: Any = SearchRank(F("search_vector"), build_search_query(text), cover_density=True)
        if typo_tolerant:
            rank = rank + TrigramWordSimilarity(text, "title")
        if corrected_text:
            rank = rank + SearchRank(
                F("search_vector"), build_search_query(corrected_text), cover_density=True
            )
        relevance = ExpressionWrapper(rank, output_field=FloatField())
        candidates = (
            pool.order_by()
            .annotate(relevance=relevance)
            .values("id", "relevance", "deadline", "status")[:RELEVANCE_CANDIDATES]
        )
        candidates_sql, candidates_params = candidates.query.sql_with_params()
        # Open positions first, however relevant a closed one is (with include_closed).
        ranked_sql = (
            f"SELECT c.id FROM ({candidates_sql}) c"  # noqa: S608 (Django's SQL)
            " ORDER BY c.status = 'closed', c.relevance DESC, c.deadline ASC NULLS LAST, c.id ASC"
            " LIMIT %s OFFSET %s"
        )
        ranked_params = (*candidates_params, per_page, offset)
        if not load:
            with connection.cursor() as cursor:
                cursor.execute(ranked_sql, ranked_params)
                return [row[0] for row in cursor.fetchall()]
        ordering = [closed_last(), "-relevance", F("deadline").asc(nulls_last=True), "id"]
        ranked = RawSQL(ranked_sql, ranked_params)  # noqa: S611 (Django's SQL; values are parameters)
        page_of = (
            Position.objects.filter(id__in=ranked).annotate(relevance=relevance).order_by(*ordering)
        )
        return _load_page(page_of)
    else:
        if sort == "newest":
            ordering = ["-first_seen", "-id"]
        elif sort == "stipend":
            # Highest stipend in euros a year first, unknown last (position_open_stipend).
            ordering = [F("stipend_eur_year").desc(nulls_last=True), "id"]
        else:
            ordering = [F("deadline").asc(nulls_last=True), "id"]
        if include_closed:
            ordering.insert(0, closed_last())  # the order of an index (models.py)
        ordered = filtered.order_by(*ordering)
    if not load:
        return list(ordered.values_list("id", flat=True)[offset : offset + per_page])
    return _load_page(ordered, offset, offset + per_page)


# --- facets -----------------------------------------------------------------------------

_SCALAR_FACETS = (
    # (facet name, column in the candidate set, condition group left out of its counts)
    ("funding", "funding", "funding"),
    ("contract", "contract", "contract"),
    ("country", "country", "country"),
    ("institution", "institution_id", "institution"),
    ("deadline_kind", "deadline_kind", "deadline"),
    ("start", "start_quarter", "start"),
    *KIND_SCALAR_FACETS,
)


def _facet_counts(
    base: QuerySet[Position],
    conditions: dict[str, Q],
    values: dict[str, Any],
    today: dt.date,
    *,
    scale: float = 1.0,
) -> tuple[int, dict[str, list[FacetOption]]]:
    """The total and every facet's counts over `base` (a sample when scale > 1: the counts
    are then multiplied by scale and rounded)."""
    active = [group for group in FACET_GROUPS if group in conditions]
    flags = {
        f"matches_{group}": ExpressionWrapper(conditions[group], output_field=BooleanField())
        for group in active
    }
    inner = (
        base.order_by()
        .annotate(**flags)
        .values(
            "id",
            "funding",
            "contract",
            "country",
            "institution_id",
            "eligibility",
            "deadline",
            "deadline_kind",
            "start_date",
            *KIND_COLUMNS,
            *flags,
            # Kept by triggers, not a model field (migration 0008).
            topic_ids=RawSQL('"positions_position"."topic_ids"', []),
        )
    )
    inner_sql, inner_params = inner.query.sql_with_params()

    def all_but(group: str | None) -> str:
        parts = [f"b.matches_{other}" for other in active if other != group]
        return " AND ".join(parts) or "TRUE"

    flag_columns = "".join(
        f", COALESCE(s.matches_{group}, FALSE) AS matches_{group}" for group in active
    )
    # A row failing two or more facet conditions counts in no facet: leave it out early.
    prune = ""
    if len(active) >= 2:
        failures = " + ".join(f"(NOT COALESCE(s.matches_{group}, FALSE))::int" for group in active)
        prune = f"WHERE {failures} <= 1"
    grouping = ", ".join(f"(b.{column})" for _name, column, _group in _SCALAR_FACETS)
    facet_name = " ".join(
        f"WHEN GROUPING(b.{column}) = 0 THEN '{name}'" for name, column, _group in _SCALAR_FACETS
    )
    facet_value = ", ".join(f"b.{column}::text" for _name, column, _group in _SCALAR_FACETS)
    facet_count = " ".join(
        f"WHEN GROUPING(b.{column}) = 0 THEN count(*) FILTER (WHERE {all_but(group)})"
        for _name, column, group in _SCALAR_FACETS
    )
    window_counts = ", ".join(
        f"count(*) FILTER (WHERE {all_but('deadline')} AND b.deadline >= %s"
        f" AND b.deadline <= %s::date + {int(days)}) AS within_{int(days)}"
        for days in DEADLINE_WINDOWS
    )
    eligibility_counts = ", ".join(
        f"count(*) FILTER (WHERE {all_but('eligibility')} AND '{value}' = ANY(b.eligibility))"
        f" AS eligible_{value}"
        for value in _ELIGIBILITY_ORDER
    )
    kind_counts = "".join(
        f", count(*) FILTER (WHERE {all_but(group)} AND {condition}) AS {facet}_{value}"
        for facet, value, group, condition in KIND_FILTERED_COUNTS
    )
    single_pass_rows = ", ".join(
        [f"('deadline_within', '{int(days)}', within_{int(days)})" for days in DEADLINE_WINDOWS]
        + [f"('eligibility', '{value}', eligible_{value})" for value in _ELIGIBILITY_ORDER]
        + [f"('{facet}', '{value}', {facet}_{value})" for facet, value, *_ in KIND_FILTERED_COUNTS]
    )
    limited = {**FACET_LIMITS, **KIND_LIMITS}
    # The text is built from constants and Django's compiled SQL; every value is a parameter.
    sql = f"""
        WITH b AS MATERIALIZED (
            SELECT s.id, s.funding, s.contract, s.country, s.institution_id, s.eligibility,
                   s.deadline, s.deadline_kind, s.topic_ids,
                   date_trunc('quarter', s.start_date)::date AS start_quarter
                   {CANDIDATE_COLUMNS_SQL}{flag_columns}
            FROM ({inner_sql}) s
            {prune}
        ),
        counted AS (
            SELECT CASE {facet_name} ELSE 'total' END AS facet,
                   COALESCE({facet_value}) AS value,
                   CASE {facet_count} ELSE count(*) FILTER (WHERE {all_but(None)}) END AS n
            FROM b
            GROUP BY GROUPING SETS ({grouping}, ())
            UNION ALL
            -- The deadline windows and the eligibility values in one pass over b (no
            -- cross join, no unnest): one FILTERed count each, turned into rows.
            SELECT x.facet, x.value, x.n
            FROM (
                SELECT {window_counts}, {eligibility_counts}{kind_counts}
                FROM b
            ) AS single_pass
            CROSS JOIN LATERAL (VALUES {single_pass_rows}) AS x(facet, value, n)
            UNION ALL
            -- topic_ids holds each topic and parent once: a parent counts a position
            -- once however many of its children it has.
            SELECT 'topic', nodes.node::text, count(*)
            FROM (SELECT unnest(b.topic_ids) AS node FROM b WHERE {all_but("topic")}) AS nodes
            GROUP BY nodes.node
        ),
        ranked AS (
            SELECT c.*, row_number() OVER (PARTITION BY c.facet ORDER BY c.n DESC, c.value) AS place
            FROM counted c
            WHERE (c.value IS NOT NULL AND c.n > 0) OR c.facet = 'total'
        )
        SELECT r.facet, r.value, r.n, i.name, t.name, t.slug, t.parent_id
        FROM ranked r
        LEFT JOIN positions_institution i
            ON i.id = (CASE WHEN r.facet = 'institution' THEN r.value::bigint END)
        LEFT JOIN positions_topic t
            ON t.id = (CASE WHEN r.facet = 'topic' THEN r.value::bigint END)
        WHERE {" OR ".join(f"(r.facet = '{name}' AND (r.place <= %s OR r.value = ANY(%s)))" for name in limited)}
           OR r.facet NOT IN ({", ".join(f"'{name}'" for name in limited)})
    """  # noqa: S608
    params = [
        *inner_params,
        *[today for _days in DEADLINE_WINDOWS for _bound in ("from", "to")],
    ]
    for name, limit in limited.items():
        params += [limit, [str(value) for value in values.get(name, [])]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if scale == 1.0:
        return facet_options(rows, values, today)
    rows = [(row[0], row[1], _scaled(row[2], scale), *row[3:]) for row in rows]
    total, facets = facet_options(rows, values, today)
    for option in _walk_options(facets):
        option.estimated = True
    return total, facets


def _scaled(count: int | None, scale: float) -> int:
    """A count in a sample, scaled to the whole and rounded to two significant digits."""
    if not count:
        return 0
    estimate = count * scale
    digits = max(0, math.floor(math.log10(estimate)) - 1)
    return max(1, int(round(estimate, -digits)))


# --- one position -----------------------------------------------------------------------


def position_get(*, position_id: int) -> Position | None:
    """A published position (open or closed) with what its page shows, or None."""
    if not 0 < position_id <= 2**63 - 1:
        return None
    found = _load_page(
        Position.objects.filter(moderation=Position.Moderation.PUBLISHED, id=position_id),
        with_description=True,
    )
    return found[0] if found else None


# Similar positions are looked for among the newest positions of each of its topics: a
# bounded candidate set (an index range per topic), not every position of a large field.
SIMILAR_CANDIDATES_PER_TOPIC = 100
SIMILAR_TOPICS = 5
SIMILAR_FIELDS = (
    "id",
    "title",
    "institution_name",
    "country",
    "deadline",
    "deadline_kind",
    "status",
)


def position_similar(*, position: Position, limit: int = 5) -> list[Position]:
    """Open positions sharing the most topics with this one; title similarity breaks ties
    and stands in when the position has no topics."""
    topic_ids = [topic.id for topic in position.topics.all()][:SIMILAR_TOPICS]
    queryset = (
        Position.objects.visible()
        .exclude(id=position.id)
        .filter(~Q(deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=timezone.localdate()))
    )
    if topic_ids:
        through = Position.topics.through
        windows = [
            through.objects.filter(topic_id=topic_id)
            .order_by("-position_id")
            .values("position_id")[:SIMILAR_CANDIDATES_PER_TOPIC]
            for topic_id in topic_ids
        ]
        candidates = windows[0].union(*windows[1:], all=True) if len(windows) > 1 else windows[0]
        queryset = (
            queryset.filter(id__in=candidates)
            .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids)))
            .order_by("-shared", F("deadline").asc(nulls_last=True), "id")
        )
    else:
        # The first few hundred similar titles the trigram index yields, then ranked.
        similar_titles = Position.objects.filter(title__trigram_similar=position.title)
        queryset = (
            queryset.filter(id__in=similar_titles.values("id")[:SIMILAR_CANDIDATES_PER_TOPIC])
            .annotate(similarity=TrigramWordSimilarity(position.title, "title"))
            .order_by("-similarity", "id")
        )
    # What the list of similar positions shows, and no more.
    return list(queryset.only(*SIMILAR_FIELDS)[:limit])


def positions_for_sitemap() -> QuerySet[Position]:
    today = timezone.localdate()
    return (
        Position.objects.visible()
        .filter(~Q(deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=today))
        .order_by("id")
        .only("id", "title", "updated_at")
    )
