"""What a search counts: the probe, typo tolerance's lookup, and one statement for the
total and every facet's counts (GROUPING SETS over a materialised candidate set; each
facet's counts leave out its own condition: disjunctive faceting)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.expressions import RawSQL

from ..facet_kinds import (
    CANDIDATE_COLUMNS_SQL,
    KIND_COLUMNS,
    KIND_FILTERED_COUNTS,
    KIND_GROUP_OF,
    KIND_LIMITS,
    KIND_SCALAR_FACETS,
)
from ..facet_options import (
    _BY_COUNT,
    _ELIGIBILITY_ORDER,
    DEADLINE_WINDOWS,
    FacetOption,
    _by_count,
    _walk_options,
    facet_options,
)
from ..filters import FACET_GROUPS, PositionFilter
from ..models import SAMPLE_BUCKETS, Position
from ..reads import read_connection
from ..words import typo_lookup
from .query import FEW_TEXT_MATCHES, MAX_SIMILAR_INSTITUTIONS, _matching, is_plain_words
from .sampling import _bucket_bound, sample_bound, scaled_count

FACET_LIMITS = {"institution": 30, "country": 80}


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
        probe = probed.filter(
            sample_bucket__lt=_bucket_bound(settings.SEARCH_PROBE_BUCKETS)
        ).order_by()
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
        with read_connection().cursor() as cursor:
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
    sample = None if typo_tolerant or probe_count is None else sample_bound(probe_count)
    if with_facets:
        counted = base if sample is None else base.filter(sample_bucket__lt=_bucket_bound(sample))
        scale = 1.0 if sample is None else SAMPLE_BUCKETS / sample
        total, facets = _facet_counts(counted, filterset.conditions(), values, today, scale=scale)
    return _Counts(total, facets, typo_tolerant, institution_ids, sample, exact_matches, suggestion)


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
    inner_sql, inner_params = _candidates_sql(base, conditions, active)
    limited = {**FACET_LIMITS, **KIND_LIMITS}
    sql = _facet_statement(inner_sql, active, limited)
    params = [
        *inner_params,
        *[today for _days in DEADLINE_WINDOWS for _bound in ("from", "to")],
    ]
    for name, limit in limited.items():
        params += [limit, [str(value) for value in values.get(name, [])]]
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if scale == 1.0:
        return facet_options(rows, values, today)
    rows = [(row[0], row[1], scaled_count(row[2], scale), *row[3:]) for row in rows]
    total, facets = facet_options(rows, values, today)
    for option in _walk_options(facets):
        option.estimated = True
    return total, facets


def _candidates_sql(
    base: QuerySet[Position], conditions: dict[str, Q], active: list[str]
) -> tuple[str, tuple[Any, ...]]:
    """The candidate set's query: the columns the counts read and a flag per active
    facet condition (does the row pass it?)."""
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
    compiled: tuple[str, tuple[Any, ...]] = inner.query.sql_with_params()
    return compiled


def _all_but(active: list[str], group: str | None) -> str:
    """The flags of every active condition but `group`'s, ANDed."""
    parts = [f"b.matches_{other}" for other in active if other != group]
    return " AND ".join(parts) or "TRUE"


def _grouping_pieces(active: list[str]) -> tuple[str, str, str, str]:
    """The GROUPING SETS of the scalar facets, and each row's facet, value and count."""

    def all_but(group: str | None) -> str:
        return _all_but(active, group)

    grouping = ", ".join(f"(b.{column})" for _name, column, _group in _SCALAR_FACETS)
    facet_name = " ".join(
        f"WHEN GROUPING(b.{column}) = 0 THEN '{name}'" for name, column, _group in _SCALAR_FACETS
    )
    facet_value = ", ".join(f"b.{column}::text" for _name, column, _group in _SCALAR_FACETS)
    facet_count = " ".join(
        f"WHEN GROUPING(b.{column}) = 0 THEN count(*) FILTER (WHERE {all_but(group)})"
        for _name, column, group in _SCALAR_FACETS
    )
    return grouping, facet_name, facet_value, facet_count


def _single_pass_pieces(active: list[str]) -> tuple[str, str, str, str]:
    """The FILTERed counts of one pass (deadline windows, eligibility, kinds) and the
    rows they are turned into."""

    def all_but(group: str | None) -> str:
        return _all_but(active, group)

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
    return window_counts, eligibility_counts, kind_counts, single_pass_rows


def _facet_statement(inner_sql: str, active: list[str], limited: Mapping[str, int]) -> str:
    """The one statement counting the total and every facet over the candidate set."""

    def all_but(group: str | None) -> str:
        return _all_but(active, group)

    flag_columns = "".join(
        f", COALESCE(s.matches_{group}, FALSE) AS matches_{group}" for group in active
    )
    # A row failing two or more facet conditions counts in no facet: leave it out early.
    prune = ""
    if len(active) >= 2:
        failures = " + ".join(f"(NOT COALESCE(s.matches_{group}, FALSE))::int" for group in active)
        prune = f"WHERE {failures} <= 1"
    grouping, facet_name, facet_value, facet_count = _grouping_pieces(active)
    window_counts, eligibility_counts, kind_counts, single_pass_rows = _single_pass_pieces(active)
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
    return sql
