"""The record positions stores: typed once when built, mapped onto Position by one table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from positions.facts import RECORD_FIELDS
from positions.models import Position
from positions.records import FIELDS, StoredRecord, values_from_record
from scrapers.records import PositionRecord, RawRecord, Stipend


def test_the_table_maps_exactly_the_fields_a_record_sets():
    columns = [item.column for item in FIELDS]

    assert sorted(columns) == sorted(RECORD_FIELDS)
    assert len(columns) == len(set(columns))
    concrete = {field.name for field in Position._meta.get_fields()}
    assert set(columns) <= concrete


def test_a_built_record_carries_typed_values_bounded_to_their_columns():
    record = PositionRecord(
        url="https://uni.example/phd/1",
        title="PhD in " + "x" * 600,
        country="gb",
        deadline="2030-01-09",
        deadline_time="17:00",
        deadline_kind="fixed",
        start_date="2030-10-01",
        funding="partial",
        eligibility=["home", "martian"],
        stipend=Stipend(amount=20780.456, currency="gbp", period="year", fte_percent=150),
        fees_covered="home",
    )

    stored = StoredRecord.build(record, RawRecord(url=record.url, meta={"feed_entry": True}))

    values = stored.values
    assert values["deadline"] == dt.date(2030, 1, 9)
    assert values["deadline_time"] == dt.time(17, 0)
    assert values["start_date"] == dt.date(2030, 10, 1)
    assert values["stipend_amount"] == Decimal("20780.46")
    assert values["stipend_currency"] == "GBP" and values["country"] == "GB"
    assert values["fte_percent"] is None  # out of range: not stated
    assert values["eligibility"] == ["home"]  # an unknown group is dropped
    assert len(values["title"]) == 500
    assert stored.feed_entry
    assert stored.content_hash == record.content_hash()
    assert stored.data == record.to_json(with_description=True)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"deadline_kind": "fixed", "deadline": None}, {"deadline_kind": "unknown"}),
        ({"deadline_kind": "nonsense", "deadline": "2030-01-01"}, {"deadline_kind": "fixed"}),
        ({"funding": "self", "eligibility": ["home"]}, {"eligibility": []}),
        ({"funding": "nonsense"}, {"funding": "unknown"}),
        ({"title": ""}, {"title": "Untitled position"}),
        (
            {"stipend": {"text": "", "amount": "n/a"}, "stipend_text": "GBP 20k"},
            {"stipend_text": "GBP 20k", "stipend_amount": None},
        ),
    ],
)
def test_the_rules_between_fields_hold_whatever_the_record_says(changes, expected):
    data = {**PositionRecord(url="https://uni.example/1").to_json(with_description=True)}
    data.update(changes)

    values = values_from_record(data)

    assert {key: values[key] for key in expected} == expected
