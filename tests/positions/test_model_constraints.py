"""The database itself refuses values the application does not know."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from positions.models import Listing, Position
from scrapers.models import Source

pytestmark = pytest.mark.django_db


def make_source(name: str = "Example board") -> Source:
    return Source.objects.create(name=name, start_url="https://example.org/jobs", adapter="generic")


def test_unknown_funding_value_is_refused_by_postgres():
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(title="PhD", funding="lots")


def test_fixed_deadline_without_a_date_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(title="PhD", deadline_kind="fixed", deadline=None)


def test_country_must_be_an_iso_alpha2_code():
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(title="PhD", country="United Kingdom"[:2].lower())


def test_eligibility_values_are_checked_inside_the_array():
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(title="PhD", funding="full", eligibility=["home", "martians"])
    Position.objects.create(title="PhD", funding="full", eligibility=["home", "eu"])


def test_one_listing_per_source_and_url():
    source = make_source()
    position = Position.objects.create(
        title="PhD", deadline=dt.date(2026, 1, 9), deadline_kind="fixed"
    )
    Listing.objects.create(source=source, position=position, url="https://example.org/jobs/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Listing.objects.create(source=source, position=position, url="https://example.org/jobs/1")


def test_only_one_running_scrape_per_source():
    source = make_source()
    source.runs.create(status="running")
    with pytest.raises(IntegrityError), transaction.atomic():
        source.runs.create(status="running")
    source.runs.create(status="succeeded")


def test_search_and_trigram_indexes_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'positions_position'"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector, sample_bucket)" in indexes["position_search_gin"]
    assert "gin_trgm_ops" in indexes["position_title_trgm"]
    assert "WHERE" in indexes["position_open_deadline"]
