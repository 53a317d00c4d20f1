"""Open positions are reached through the partial indexes made for them (issue 7).

These tests read the plans Postgres makes for the statements of a search, of the expiry
job and of the admin's moderation filter, over a table of a few thousand rows with
sequential scans ruled out: they guard which index serves which statement. They cannot
reproduce the trap that removed the plain (status, moderation) b-tree (at 100k positions
the planner ANDed its bitmap of every open position into each search, 3-6 ms a search):
a table this small does not tempt the planner into it. docs/benchmarks.md tells that story.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from positions.models import SAMPLE_LEVELS
from positions.selectors import position_search, relevance_sample_bound
from positions.services import positions_close_expired
from tests.factories import PositionFactory, make_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def positions():
    """6,000 positions, a fifth of them closed, 2 % of them about engineering, a tenth of
    the open ones awaiting moderation (copies of one factory-made row, made in one
    statement)."""
    model = PositionFactory(search=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'positions_position'::regclass"
            " AND attnum > 0 AND NOT attisdropped AND attgenerated = ''"
            " AND attname NOT IN ('id', 'title', 'status', 'moderation', 'search_vector')"
        )
        columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
        cursor.execute(
            f"""INSERT INTO positions_position
                ({columns}, title, status, moderation, search_vector)
            SELECT {columns}, t.title, CASE WHEN n %% 5 = 0 THEN 'closed' ELSE 'open' END,
                   CASE WHEN n %% 10 = 3 THEN 'pending' ELSE 'published' END,
                   to_tsvector('english', t.title)
            FROM positions_position p, generate_series(1, 6000) AS n,
                 LATERAL (SELECT CASE WHEN n %% 50 = 1 THEN 'Marine engineering studentship'
                                      ELSE 'Studentship number ' || n END AS title) t
            WHERE p.id = %s""",
            [model.pk],
        )
        cursor.execute("ANALYZE positions_position")


def statements_of(
    run: Callable[[], object], *, analyze: bool = False, seqscan: bool = False
) -> list[tuple[str, str]]:
    """(SQL, plan) of every statement `run()` makes that reads positions; sequential scans
    ruled out unless `seqscan`."""
    with CaptureQueriesContext(connection) as context:
        run()
    found = []
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {'on' if seqscan else 'off'}")
        for query in context.captured_queries:
            sql = query["sql"]
            if "positions_position" in sql and sql.lstrip().upper().startswith(("SELECT", "WITH")):
                cursor.execute(f"EXPLAIN {'(ANALYZE) ' if analyze else ''}{sql}")
                found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
    return found


def plans_of(run: Callable[[], object]) -> list[str]:
    """The plan of every statement `run()` makes that reads positions."""
    return [plan for _sql, plan in statements_of(run)]


def plans(params: dict[str, str]) -> list[str]:
    return plans_of(lambda: position_search(params))


def test_the_landing_sample_reads_the_open_sample_index(positions):
    """The landing page counts its facets over a sample of open positions, which the b-tree
    on sample_bucket of open positions serves. Which index the planner picks in a table this
    small depends on the rows earlier tests left dead (in the full suite's order it chose
    other open-position indexes and scanned them whole), so every other index of the table is
    dropped here, in the test's transaction, with sequential scans priced out: what is left is
    whether the sample index's conditions match the statement. If they did not, only a whole
    scan of the primary key would remain."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'positions_position'"
            " AND indexname NOT IN ('positions_position_pkey', 'position_open_sample')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
    facet_plans = [plan for plan in plans({}) if "sample_bucket <" in plan]

    assert facet_plans
    for plan in facet_plans:
        assert "position_open_sample" in plan
        assert "BitmapAnd" not in plan


def test_a_search_of_closed_positions_too_reads_the_whole_full_text_index(positions):
    text_plans = [
        plan for plan in plans({"q": "engineering", "include_closed": "1"}) if "@@" in plan
    ]

    assert text_plans
    for plan in text_plans:
        assert "position_search_gin" in plan
        assert "BitmapAnd" not in plan


def test_the_expiry_job_reads_the_open_and_the_unpublished_indexes(positions):
    # Pending positions expire too, so the job cannot use the open-and-published indexes
    # alone: it reads those and position_unpublished, never the whole table.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    expiry_plans = [
        plan
        for plan in plans_of(lambda: positions_close_expired(today=tomorrow))
        if "deadline <" in plan
    ]

    assert expiry_plans
    for plan in expiry_plans:
        assert "position_open_deadline" in plan
        assert "position_unpublished" in plan


def test_the_admin_moderation_filter_reads_the_unpublished_index(client, positions):
    client.force_login(make_superuser())

    def changelist() -> None:
        response = client.get("/admin/positions/position/?moderation__exact=pending")
        assert response.status_code == 200

    # The changelist's count of matches (its page of 50 may walk an ordered index instead).
    moderation_plans = [
        plan for plan in plans_of(changelist) if "'pending'" in plan and "Aggregate" in plan
    ]

    assert moderation_plans
    for plan in moderation_plans:
        assert "position_unpublished" in plan


@pytest.mark.search_cache_off
def test_a_broad_search_can_be_sampled_through_the_sample_level_indexes(positions):
    """Every open published position says "studentship" (~4,300): the probe, the facet
    counts' sample and relevance's candidates are each written so that the index of one
    sample level (models.SAMPLE_LEVELS) holds them. Which index Postgres prefers depends
    on the table: at 100k and 1M the level's (docs/benchmarks.md), in a table this small
    whichever the last ANALYZE favours. So the other indexes that could serve them are
    dropped here (in the test's transaction): what is left is whether the statements'
    conditions let the level indexes serve at all."""
    with connection.cursor() as cursor:
        for index in ("position_open_sample", "position_open_search_gin", "position_search_gin"):
            cursor.execute(f"DROP INDEX {index}")
    params = {"q": "studentship", "sort": "relevance"}
    result = position_search(params)
    assert result.estimated  # sampled, as the test intends

    statements = statements_of(lambda: position_search(params))
    probe = [plan for sql, plan in statements if '"sample_bucket" < (4)::smallint' in sql]
    facets = [(sql, plan) for sql, plan in statements if "GROUPING SETS" in sql]
    ranked_sql, ranked = zip(
        *[(sql, plan) for sql, plan in statements if "ts_rank_cd" in sql], strict=True
    )

    assert probe and facets and ranked
    assert "position_open_search_lt4" in probe[0]
    # The facets' sample is a whole level, read from that level's index.
    (bound,) = {int(n) for n in re.findall(r'"sample_bucket" < \((\d+)\)', facets[0][0])}
    assert bound in SAMPLE_LEVELS
    assert f"position_open_search_lt{bound} " in facets[0][1]
    # Relevance's pool keeps its exact bound, tested on the rows a level's index yields.
    level = re.search(r"position_open_search_lt(\d+) ", ranked[0])
    assert level and int(level.group(1)) in SAMPLE_LEVELS
    assert "(sample_bucket + 0) <" in ranked[0]
    # The level's bound typed for the GIN indexes' bucket column (btree_gin): a search that
    # includes closed positions reads it as a range inside position_search_gin.
    assert re.search(r'"sample_bucket" < \((\d+)\)::smallint', ranked_sql[0])
    facets = [plan for _sql, plan in facets]
    for plan in (*probe, *facets, *ranked):
        assert "Seq Scan on positions_position" not in plan


@pytest.mark.search_cache_off
def test_the_typo_check_is_skipped_when_the_probe_finds_enough(positions):
    (probe,) = [
        plan
        for sql, plan in statements_of(lambda: position_search({"q": "studentship"}), analyze=True)
        if '"sample_bucket" < (4)::smallint' in sql
    ]
    # The probe's sample holds dozens: the subquery counting up to FEW_TEXT_MATCHES of
    # every match (a bitmap of them all) never runs.
    assert "never executed" in probe
    assert re.search(r"Limit .*\(never executed\)", probe)


@pytest.mark.search_cache_off
def test_the_typo_check_of_a_rare_text_reads_every_match_through_the_index(positions):
    """Fewer than FEW_TEXT_MATCHES of the probe's sample say "engineering" (one in fifty
    rows, and ~24 rows in the sample), so the count of up to that many matches runs.

    Written as a plain LIMIT, it let the planner scan the table until it met five,
    testing each row's search document: at 100k, while the GIN indexes' pending lists were
    long (their cost estimate counts those pages), 40-135 ms for "zebrafish" or
    "Teichmüller" instead of ~1 ms (docs/benchmarks.md). In a MATERIALIZED CTE the matches
    are planned as a whole, which the full-text index serves. Which plan wins depends on
    the table's size, bloat and pending lists, which other tests leave behind here, so
    this checks the statement's shape, and that its conditions let the index serve it."""
    ((sql, plan),) = [
        (sql, plan)
        for sql, plan in statements_of(lambda: position_search({"q": "engineering"}), analyze=True)
        if "CASE WHEN p.n >=" in sql
    ]
    matches = re.search(r"WITH m AS MATERIALIZED \((.*?)\) SELECT count\(\*\)", sql)
    assert matches and "LIMIT" not in matches.group(1) and "@@" in matches.group(1)
    assert re.search(r"Bitmap Index Scan on position_\w*search\w* ", plan)
    assert "never executed" not in plan  # the count did run


@pytest.mark.search_cache_off
def test_a_relevance_pool_above_the_largest_level_keeps_its_bound_out_of_the_index(positions):
    """Relevance ranks a sample of a little more than SEARCH_RELEVANCE_CANDIDATES matches.
    When that sample is more than the largest sample level (between ~625 and ~1,250
    matches), no level's index holds it, and the bound is tested on the rows the full-text
    index yields for the text alone. Inside the GIN index (btree_gin) it would be a range over
    every bucket below it: at 100k, 3.9 ms of a 9.3 ms page for "deep learning" against
    0.25 ms for all its matches (docs/benchmarks.md). A word given to 1,000 open published
    positions (counted exactly: below SEARCH_EXACT_COUNTS_UP_TO) makes such a pool."""
    matches = 1_000
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE positions_position"
            " SET search_vector = search_vector || to_tsvector('english', 'oceanography')"
            " WHERE id IN (SELECT id FROM positions_position"
            " WHERE status = 'open' AND moderation = 'published' ORDER BY id LIMIT %s)",
            [matches],
        )
        cursor.execute("ANALYZE positions_position")
    buckets = relevance_sample_bound(matches)
    assert buckets is not None and buckets > SAMPLE_LEVELS[-1]
    params = {"q": "oceanography", "sort": "relevance"}
    result = position_search(params)
    assert (result.total, result.estimated) == (matches, False)
    assert result.positions

    (plan,) = [
        plan for sql, plan in statements_of(lambda: position_search(params)) if "ts_rank_cd" in sql
    ]
    assert f"(sample_bucket + 0) < {buckets}" in plan
    index_conditions = re.findall(r"Index Cond: (.*)", plan)
    assert any("@@" in condition for condition in index_conditions)
    assert not any("sample_bucket" in condition for condition in index_conditions)


@pytest.mark.search_cache_off
def test_one_deadline_kind_in_deadline_order_reads_its_own_range(positions):
    """Positions open until filled (or with no stated deadline) have no date, so they come
    last in position_open_deadline. Postgres expects a chosen kind spread evenly over that
    order and walked every dated open position before the first undated one: 210 ms at
    1M (docs/benchmarks.md). position_open_kind_deadline hands over the kind's own range,
    in deadline order."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Every tenth open published position (the fixture's own pattern of closed and
            # pending rows depends on where the id sequence stands).
            "UPDATE positions_position SET deadline_kind = 'rolling', deadline = NULL"
            " WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n"
            " FROM positions_position WHERE status = 'open' AND moderation = 'published') o"
            " WHERE o.n % 10 = 0)"
        )
        cursor.execute("ANALYZE positions_position")
    result = position_search({"deadline_kind": "rolling"})
    assert result.positions
    assert {position.deadline_kind for position in result.positions} == {"rolling"}

    pages = [
        plan
        for sql, plan in statements_of(lambda: position_search({"deadline_kind": "rolling"}))
        if "ORDER BY" in sql and '"deadline" ASC' in sql and "GROUPING SETS" not in sql
    ]
    assert pages
    for plan in pages:
        assert "position_open_kind_deadline" in plan
        assert "position_open_deadline " not in plan


@pytest.mark.search_cache_off
def test_a_city_or_region_filter_and_the_stipend_order_read_their_own_indexes(positions):
    """Issue 22's facets: a rare city or region is read from its own partial index (only
    positions that state one), and "highest stipend first" walks position_open_stipend."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE positions_position SET city = 'Lund', region = 'SE-M',"
            " stipend_eur_year = 20000 + id % 7 * 1000 WHERE id % 97 = 0"
        )
        cursor.execute("ANALYZE positions_position")

    for params, index in [
        ({"city": "Lund"}, "position_open_city"),
        ({"region": "SE-M"}, "position_open_region"),
    ]:
        page_plans = [
            plan
            for sql, plan in statements_of(lambda params=params: position_search(params))
            if "GROUPING SETS" not in sql and "ORDER BY" in sql
        ]
        assert page_plans, params
        assert all(index in plan for plan in page_plans), (params, page_plans)

    result = position_search({"sort": "stipend"})
    amounts = [position.stipend_eur_year for position in result.positions]
    assert amounts[0] == max(a for a in amounts if a is not None)
    stipend_pages = [
        plan
        for sql, plan in statements_of(lambda: position_search({"sort": "stipend"}))
        if '"stipend_eur_year" DESC' in sql and "GROUPING SETS" not in sql
    ]
    assert stipend_pages
    assert all("position_open_stipend" in plan for plan in stipend_pages)
