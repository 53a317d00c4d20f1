"""Facet counts agree with independent SQL: each facet counts the positions that pass every
OTHER active filter (values OR within a facet, AND across facets)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from positions.selectors import position_search

from .conftest import visible_sql

pytestmark = pytest.mark.django_db

# Each filter, stated again in plain SQL over positions_position p.
CLAUSES = {
    "funding": "p.funding = ANY(%(funding)s)",
    "country": "p.country = ANY(%(country)s)",
    "contract": "p.contract = ANY(%(contract)s)",
    "eligibility": "p.eligibility && %(eligibility)s::varchar[]",
    "institution": "p.institution_id = ANY(%(institution)s)",
    "topic": (
        "EXISTS (SELECT 1 FROM positions_position_topics pt "
        "JOIN positions_topic t ON t.id = pt.topic_id "
        "LEFT JOIN positions_topic up ON up.id = t.parent_id "
        "WHERE pt.position_id = p.id AND (t.slug = ANY(%(topic)s) OR up.slug = ANY(%(topic)s)))"
    ),
    "deadline": (
        "(p.deadline BETWEEN current_date AND current_date + %(deadline_within)s "
        "OR p.deadline_kind = ANY(%(deadline_kind)s))"
    ),
}

# How to count each facet's values, given a WHERE clause.
FACET_SQL = {
    "funding": "SELECT p.funding, count(*) FROM positions_position p WHERE {where} GROUP BY 1",
    "country": "SELECT p.country, count(*) FROM positions_position p WHERE {where} GROUP BY 1",
    "contract": "SELECT p.contract, count(*) FROM positions_position p WHERE {where} GROUP BY 1",
    "deadline_kind": "SELECT p.deadline_kind, count(*) FROM positions_position p WHERE {where} GROUP BY 1",
    "institution": (
        "SELECT p.institution_id::text, count(*) FROM positions_position p "
        "WHERE {where} AND p.institution_id IS NOT NULL GROUP BY 1"
    ),
    "eligibility": (
        "SELECT e, count(*) FROM positions_position p, unnest(p.eligibility) e WHERE {where} GROUP BY 1"
    ),
    "topic": (
        "SELECT node.slug, count(*) FROM positions_topic node JOIN positions_position p ON EXISTS ("
        " SELECT 1 FROM positions_position_topics pt JOIN positions_topic t ON t.id = pt.topic_id"
        " WHERE pt.position_id = p.id AND (t.id = node.id OR t.parent_id = node.id))"
        " WHERE {where} GROUP BY 1"
    ),
    "deadline_within": (
        "SELECT w::text, count(*) FROM positions_position p, unnest(ARRAY[7, 30, 90]) w "
        "WHERE {where} AND p.deadline BETWEEN current_date AND current_date + w GROUP BY 1"
    ),
}
# Which filter group a facet leaves out of its own counts.
OWN_GROUP = {
    "funding": "funding",
    "country": "country",
    "contract": "contract",
    "institution": "institution",
    "eligibility": "eligibility",
    "topic": "topic",
    "deadline_kind": "deadline",
    "deadline_within": "deadline",
}


def sql_params(filters: dict[str, Any]) -> dict[str, Any]:
    """The query parameters of the hand-written SQL for these filters."""
    return {
        "funding": filters.get("funding", []),
        "country": filters.get("country", []),
        "contract": filters.get("contract", []),
        "eligibility": filters.get("eligibility", []),
        "institution": [int(value) for value in filters.get("institution", [])],
        "topic": filters.get("topic", []),
        # An absent half of the deadline group matches nothing, so the OR reduces to the other.
        "deadline_within": int(filters.get("deadline_within", -1)),
        "deadline_kind": filters.get("deadline_kind", []),
    }


def expected_counts(facet: str, filters: dict[str, Any], *, extra: str = "TRUE") -> dict[str, int]:
    active = {group for group in CLAUSES if group in filters}
    if "deadline" in active or "deadline_within" in filters or "deadline_kind" in filters:
        active.add("deadline")
    clauses = [visible_sql(), extra] + [
        CLAUSES[group] for group in sorted(active) if group != OWN_GROUP[facet]
    ]
    with connection.cursor() as cursor:
        cursor.execute(FACET_SQL[facet].format(where=" AND ".join(clauses)), sql_params(filters))
        return {str(value): count for value, count in cursor.fetchall() if count}


def expected_total(filters: dict[str, Any], *, extra: str = "TRUE") -> int:
    active = {group for group in CLAUSES if group in filters}
    if "deadline_within" in filters or "deadline_kind" in filters:
        active.add("deadline")
    clauses = [visible_sql(), extra] + [CLAUSES[group] for group in sorted(active)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM positions_position p WHERE {' AND '.join(clauses)}",
            sql_params(filters),
        )
        return cursor.fetchone()[0]


def flatten(options) -> dict[str, int]:
    counts: dict[str, int] = {}
    for option in options:
        if option.count:
            counts[option.value] = option.count
        counts.update(flatten(option.children))
    return counts


FILTER_COMBINATIONS = [
    {},
    {"funding": ["full"]},
    {"funding": ["full", "partial"], "country": ["GB", "CH"]},
    {"eligibility": ["international"], "contract": ["stipend"]},
    {"topic": ["mathematics"]},
    {"topic": ["probability", "machine-learning"], "funding": ["full"]},
    {"deadline_within": "30"},
    {"deadline_within": "7", "deadline_kind": ["rolling"], "eligibility": ["home", "eu"]},
    {
        "country": ["FR"],
        "topic": ["analysis"],
        "contract": ["employment", "unknown"],
        "funding": ["self", "unknown"],
    },
]


@pytest.mark.parametrize(
    "filters", FILTER_COMBINATIONS, ids=lambda filters: "&".join(filters) or "none"
)
def test_every_facet_counts_what_the_other_filters_let_through(catalogue, filters):
    result = position_search(filters)

    assert result.errors == {}
    assert not result.estimated
    assert result.total == expected_total(filters)
    for facet in FACET_SQL:
        assert flatten(result.facets[facet]) == expected_counts(facet, filters), facet


def test_institution_filter_counts_against_independent_sql(catalogue):
    institution_id = str(catalogue[0].institution_id)
    filters = {"institution": [institution_id], "funding": ["full"]}

    result = position_search(filters)

    assert result.total == expected_total(filters)
    assert flatten(result.facets["institution"]) == expected_counts("institution", filters)
    assert flatten(result.facets["funding"]) == expected_counts("funding", filters)


def test_a_parent_topic_counts_a_position_tagged_with_it_and_two_children_once(taxonomy):
    from tests.factories import PositionFactory

    PositionFactory(topics=[taxonomy["mathematics"], taxonomy["probability"], taxonomy["analysis"]])

    counts = flatten(position_search({}).facets["topic"])

    assert counts == {"mathematics": 1, "probability": 1, "analysis": 1}


def test_selected_values_stay_visible_with_zero_count_so_they_can_be_unticked(catalogue):
    result = position_search({"country": ["JP"], "funding": ["full"]})

    japan = [option for option in result.facets["country"] if option.value == "JP"]
    assert japan and japan[0].selected and japan[0].count == 0
    assert result.total == 0
