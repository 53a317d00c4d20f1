"""Storing a page of records at once: the same outcome as one by one, in a few queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions.models import Listing, Position, PositionChange, Source
from positions.services import position_upsert_from_record, positions_upsert_from_records
from tests.positions.test_upsert import make_record

pytestmark = pytest.mark.django_db

COMPARED = [
    "title",
    "institution_name",
    "country",
    "city",
    "deadline",
    "deadline_kind",
    "funding",
    "eligibility",
    "stipend_amount",
    "stipend_currency",
    "supervisors",
    "duration_months",
    "status",
    "moderation",
    "completeness",
    "confidence",
    "needs_review",
    "review_reasons",
]


def make_source(name: str) -> Source:
    return Source.objects.create(
        name=name, start_url="https://jobs.example.org/", adapter="generic"
    )


def records(count: int, prefix: str = "https://jobs.example.org/phd-"):
    return [
        make_record(url=f"{prefix}{n}", title=f"PhD {n} in Bilevel Optimisation")
        for n in range(count)
    ]


def test_a_batch_stores_exactly_what_storing_one_by_one_would():
    for record in records(3, "https://one.example.org/"):
        position_upsert_from_record(record=record, source=make_source(f"One {record.url}"))
    batch_source = make_source("Batch")
    results = positions_upsert_from_records(
        records=records(3, "https://batch.example.org/"), source=batch_source
    )

    assert [r.outcome for r in results] == ["created"] * 3
    single = Position.objects.filter(listings__url__startswith="https://one.").order_by("title")
    batched = Position.objects.filter(listings__source=batch_source).order_by("title")
    for one, other in zip(single, batched, strict=True):
        assert {f: getattr(one, f) for f in COMPARED} == {f: getattr(other, f) for f in COMPARED}
        assert one.institution_id == other.institution_id
        assert other.search_vector is not None
    assert PositionChange.objects.filter(position__in=batched, field="*").count() == 3


def test_an_unchanged_batch_writes_nothing_in_one_query():
    source = make_source("Board")
    positions_upsert_from_records(records=records(20), source=source)
    with CaptureQueriesContext(connection) as context:
        results = positions_upsert_from_records(records=records(20), source=source)
    assert {r.outcome for r in results} == {"unchanged"}
    assert len(context.captured_queries) == 1


def test_a_new_batch_costs_the_same_queries_for_five_and_fifty_adverts():
    def cost(count: int, name: str) -> int:
        source = make_source(name)
        with CaptureQueriesContext(connection) as context:
            positions_upsert_from_records(
                records=records(count, f"https://{name}.example.org/"), source=source
            )
        return len(context.captured_queries)

    cost(1, "warm")  # the institution is created once
    assert cost(5, "five") == cost(50, "fifty")


def test_a_changed_advert_in_a_batch_is_updated_and_the_rest_left_alone():
    source = make_source("Board")
    positions_upsert_from_records(records=records(3), source=source)
    changed = records(3)
    changed[1].funding = "partial"
    results = positions_upsert_from_records(records=changed, source=source)
    assert [r.outcome for r in results] == ["unchanged", "updated", "unchanged"]
    assert Position.objects.get(listings__url="https://jobs.example.org/phd-1").funding == "partial"


def test_the_same_url_twice_in_a_batch_makes_one_listing():
    source = make_source("Board")
    batch = records(1) + records(1)
    results = positions_upsert_from_records(records=batch, source=source)
    assert [r.outcome for r in results] == ["created", "unchanged"]
    assert Listing.objects.filter(source=source).count() == 1
