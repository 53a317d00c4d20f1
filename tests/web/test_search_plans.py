"""Searches reach open positions through the partial indexes made for them (issue 7).

These tests read the plans Postgres makes for the search's own statements over a table of
a few thousand rows, with sequential scans ruled out. They guard which index serves which
search; they cannot reproduce the trap that removed the plain (status, moderation) b-tree
(at 100k positions the planner ANDed its bitmap of every open position into each search,
2-6 ms a search): a table this small does not tempt the planner into it.
docs/benchmarks.md shows those plans.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions.selectors import position_search
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def positions():
    """6,000 positions, a fifth of them closed, 2 % of them about engineering: enough rows
    for the planner to weigh indexes as it does at scale (copies of one factory-made row,
    made in one statement)."""
    model = PositionFactory(search=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'positions_position'::regclass"
            " AND attnum > 0 AND NOT attisdropped AND attgenerated = ''"
            " AND attname NOT IN ('id', 'title', 'status', 'search_vector')"
        )
        columns = ", ".join(f'"{name}"' for (name,) in cursor.fetchall())
        cursor.execute(
            f"""INSERT INTO positions_position ({columns}, title, status, search_vector)
            SELECT {columns}, t.title, CASE WHEN n %% 5 = 0 THEN 'closed' ELSE 'open' END,
                   to_tsvector('english', t.title)
            FROM positions_position p, generate_series(1, 6000) AS n,
                 LATERAL (SELECT CASE WHEN n %% 50 = 1 THEN 'Marine engineering studentship'
                                      ELSE 'Studentship number ' || n END AS title) t
            WHERE p.id = %s""",
            [model.pk],
        )
        cursor.execute("ANALYZE positions_position")


def plans(params: dict[str, str]) -> list[str]:
    """The plan of every statement `position_search(params)` runs that reads positions."""
    with CaptureQueriesContext(connection) as context:
        position_search(params)
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in context.captured_queries:
            sql = query["sql"]
            if "positions_position" not in sql or not sql.lstrip().upper().startswith(
                ("SELECT", "WITH")
            ):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            found.append("\n".join(row[0] for row in cursor.fetchall()))
    return found


def test_the_landing_sample_reads_the_open_sample_index(positions):
    # The landing page counts its facets over a sample of open positions.
    facet_plans = [plan for plan in plans({}) if "sample_bucket <" in plan]

    assert facet_plans
    for plan in facet_plans:
        assert "position_open_sample" in plan
        assert "BitmapAnd" not in plan


def test_a_text_search_reads_a_full_text_index_alone(positions):
    text_plans = [plan for plan in plans({"q": "engineering"}) if "@@" in plan]

    assert text_plans
    for plan in text_plans:
        assert "_search_gin" in plan or "position_open_sample" in plan
        assert "BitmapAnd" not in plan


def test_a_search_of_closed_positions_too_reads_the_whole_full_text_index(positions):
    text_plans = [
        plan for plan in plans({"q": "engineering", "include_closed": "1"}) if "@@" in plan
    ]

    assert text_plans
    for plan in text_plans:
        assert "position_search_gin" in plan
        assert "BitmapAnd" not in plan
