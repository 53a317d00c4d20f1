"""The kind-of-post facets (issue 22): working time, programme or project, researcher
level, region, city and stipend band; counted like the others, checked here against
independent SQL, and the stipend order."""

from __future__ import annotations

import pytest
from django.db import connection

from positions.filters_kinds import KIND_PARAMETERS
from tests.web.conftest import visible_sql

pytestmark = pytest.mark.django_db
API = "/api/positions/"


def sql_count(where: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM positions_position p WHERE {visible_sql()} AND ({where})"
        )
        return int(cursor.fetchone()[0])


def facet(facets, key):
    return {entry["value"]: entry for entry in facets[key]}


def test_each_kind_facet_counts_what_independent_sql_counts(client, catalogue):
    facets = client.get(API).json()["facets"]
    assert set(KIND_PARAMETERS) <= set(facets)
    schedule = facet(facets, "schedule")
    # A post offered full- or part-time counts under both.
    assert schedule["part_time"]["count"] == sql_count("schedule IN ('part_time', 'either')")
    assert schedule["full_time"]["count"] == sql_count("schedule IN ('full_time', 'either')")
    for value, entry in facet(facets, "programme").items():
        assert entry["count"] == sql_count(f"programme = '{value}'")
    for value, entry in facet(facets, "level").items():
        assert entry["count"] == sql_count(f"researcher_level = '{value}'")
    for value, entry in facet(facets, "region").items():
        assert entry["count"] == sql_count(f"region = '{value}'")
    assert facet(facets, "region")["GB-SCT"]["label"] == "Scotland"
    for value, entry in facet(facets, "city").items():
        assert entry["count"] == sql_count(f"city = '{value}'")
    bands = facet(facets, "stipend")
    assert bands["25000-35000"]["count"] == sql_count(
        "stipend_eur_year >= 25000 AND stipend_eur_year < 35000"
    )
    assert bands["50000-"]["count"] == sql_count("stipend_eur_year >= 50000")
    assert "0-15000" in bands and bands["0-15000"]["label"].startswith("Under €15,000")


def test_kind_facets_combine_with_each_other(client, catalogue):
    params = {"schedule": "part_time", "region": ["GB-SCT", "CH-ZH"], "stipend": "25000-35000"}
    body = client.get(API, params).json()
    assert body["count"] == sql_count(
        "schedule IN ('part_time', 'either') AND region IN ('GB-SCT', 'CH-ZH')"
        " AND stipend_eur_year >= 25000 AND stipend_eur_year < 35000"
    )
    # Disjunctive: the region facet counts as if no region were chosen.
    regions = facet(body["facets"], "region")
    assert regions
    for value, entry in regions.items():
        assert entry["count"] == sql_count(
            f"schedule IN ('part_time', 'either') AND region = '{value}'"
            " AND stipend_eur_year >= 25000 AND stipend_eur_year < 35000"
        ), value


def test_sorted_by_stipend_highest_first_unknown_last(client, catalogue):
    body = client.get(API, {"sort": "stipend", "per_page": 100}).json()
    amounts = [(r["stipend"] or {}).get("yearly_eur") for r in body["results"]]
    known = [amount for amount in amounts if amount is not None]
    assert known and known == sorted(known, reverse=True)
    assert amounts == known + [None] * (len(amounts) - len(known))


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("schedule", "sometimes"),
        ("programme", "maybe"),
        ("level", "r9"),
        ("region", "XX-YY"),
        ("region", "DE-09"),  # a second-level code is no region
        ("stipend", "lots"),
        ("city", "x" * 300),
    ],
)
def test_bad_kind_values_are_a_400_on_the_api_and_a_notice_on_the_page(client, db, param, value):
    assert client.get(API, {param: value}).status_code == 400
    page = client.get("/", {param: value})
    assert page.status_code == 200
    assert "were not understood" in page.content.decode()


def test_cards_show_the_posting_date_and_the_kind_of_post(client, catalogue):
    html = client.get("/", {"per_page": 100}).content.decode()
    shown = sql_count("TRUE")
    assert html.count('class="result__posted"') == min(shown, 100)
    assert "Full-time" in html and "Single project" in html
    assert 'data-facet="stipend"' in html and 'data-facet="region"' in html
    assert 'value="stipend"' in html  # the sort
