"""A search's page on top of its counts: its positions in order (relevance over a bounded
candidate set), the total as the page bears it out, and loading the page's rows with
their topics and listings in one query."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..facet_options import FacetOption, _walk_options
from ..filters import PositionFilter
from ..models import Listing, Position, Topic, closed_last, listing_source_model
from ..reads import read_connection
from .counts import _Counts, _exact_where_known, _facet_counts
from .fulltext import build_search_query
from .query import _matching
from .sampling import _checked_total, _in_buckets_below, relevance_sample_bound


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
            page_sampled=sort == "relevance" and relevance_sample_bound(total) is not None,
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
        if offset >= settings.SEARCH_RELEVANCE_CANDIDATES:
            return []
        # Rank a bounded candidate set, never every match of a common word: for a broad
        # search, a uniform sample of a little more than SEARCH_RELEVANCE_CANDIDATES of its
        # matches (the GIN index hands them over without building the bitmap of every
        # match), capped at that many. They are ranked as they are read, in one
        # scan; only the page's positions are loaded (a join of every candidate's whole
        # row cost a third of the query, issue 7).
        pool = filtered
        buckets = relevance_sample_bound(matches)
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
            .values("id", "relevance", "deadline", "status")[: settings.SEARCH_RELEVANCE_CANDIDATES]
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
            with read_connection().cursor() as cursor:
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
