"""Every facet entry of the API names the query parameter that selects it, and sending a
value back with its own parameter gives exactly the count the facet showed (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

API = "/api/positions/"


def entries(facets: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """(facet key, entry) for every entry, children included."""
    found: list[tuple[str, dict[str, Any]]] = []

    def walk(key: str, options: list[dict[str, Any]]) -> None:
        for option in options:
            found.append((key, option))
            walk(key, option.get("children") or [])

    for key, options in facets.items():
        walk(key, options)
    return found


def test_every_facet_value_sent_back_with_its_own_parameter_gives_its_count(client, catalogue):
    response = client.get(API)
    assert response.status_code == 200
    facets = response.json()["facets"]
    # The catalogue has values in every facet, so no facet passes by being empty.
    assert all(facets[key] for key in facets), [key for key in facets if not facets[key]]

    checked = 0
    for key, entry in entries(facets):
        assert entry["param"] == key
        if not entry["count"]:
            continue
        narrowed = client.get(API, {entry["param"]: entry["value"], "per_page": 1})
        assert narrowed.status_code == 200, (key, entry)
        assert narrowed.json()["count"] == entry["count"], (key, entry)
        checked += 1
    assert checked >= 20


def test_facet_values_sent_back_within_another_filter_give_their_counts(client, catalogue):
    """The same under an active filter: each facet's counts are what the OTHER filters let
    through, so its value combined with them gives its count."""
    facets = client.get(API, {"funding": "full"}).json()["facets"]

    for key, entry in entries(facets):
        if key == "funding" or not entry["count"]:
            continue
        narrowed = client.get(API, {"funding": "full", entry["param"]: entry["value"]})
        assert narrowed.json()["count"] == entry["count"], (key, entry)


def test_a_start_quarter_filters_when_sent_back(client, db):
    today = dt.date.today()
    next_year = today.year + 1
    for start in [dt.date(next_year, 10, 1), dt.date(next_year, 12, 31)]:
        PositionFactory(start_date=start)
    for start in [dt.date(next_year, 9, 30), dt.date(next_year + 1, 1, 1), None]:
        PositionFactory(start_date=start)

    facets = client.get(API).json()["facets"]["start"]
    quarter = next(entry for entry in facets if entry["value"] == f"{next_year}-10-01")
    assert (quarter["param"], quarter["count"]) == ("start", 2)

    assert client.get(API, {"start": f"{next_year}-10-01"}).json()["count"] == 2
    # Any day of the quarter names it; two quarters combine with OR.
    assert client.get(API, {"start": f"{next_year}-11-15"}).json()["count"] == 2
    both = client.get(API, {"start": [f"{next_year}-10-01", f"{next_year}-07-01"]})
    assert both.json()["count"] == 3
    assert client.get(API).json()["count"] == 5


def test_a_start_value_that_is_not_a_date_is_a_400(client, db):
    response = client.get(API, {"start": "autumn"})

    assert response.status_code == 400
    assert "start" in response.json()["detail"]


def test_the_kind_of_post_facets_send_back_their_counts(client, catalogue):
    """Issue 22's facets (working time, programme, level, region, city, stipend band) are in
    every answer, each entry names its own parameter, and two values of one facet sent
    back together give the sum of their counts (OR within a facet) except for working
    time, where a post offered either way is counted under both."""
    facets = client.get(API).json()["facets"]
    for key in ("schedule", "programme", "level", "region", "city", "stipend"):
        options = facets[key]
        assert len(options) >= 2, key
        for entry in options:
            assert entry["param"] == key
            sent = client.get(API, {key: entry["value"], "per_page": 1}).json()
            assert sent["count"] == entry["count"], (key, entry)
        if key == "schedule":
            continue
        first, second = options[0], options[1]
        both = client.get(API, {key: [first["value"], second["value"]], "per_page": 1})
        assert both.json()["count"] == first["count"] + second["count"], key
    schedule = {entry["value"]: entry["count"] for entry in facets["schedule"]}
    both = client.get(API, {"schedule": ["full_time", "part_time"]}).json()["count"]
    assert both < schedule["full_time"] + schedule["part_time"]  # "either" counted once
