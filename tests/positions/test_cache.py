"""Cached search counts go stale the moment positions change, and only then."""

from __future__ import annotations

import datetime as dt

import pytest

from positions import cache as position_cache
from positions.models import Source
from positions.services import position_upsert_from_record
from scrapers.records import PositionRecord

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = dt.date(2030, 1, 1)


@pytest.fixture(autouse=True)
def _fresh_version():
    position_cache.cache.delete(position_cache.DATA_VERSION_KEY)


def make_source() -> Source:
    return Source.objects.create(name="Board", start_url="https://jobs.example.org/", adapter="generic")


def test_the_key_ignores_the_order_of_parameters_and_values():
    first = position_cache.counts_key("facets", {"country": ["DE", "GB"], "funding": ["full"]}, today=TODAY)
    second = position_cache.counts_key("facets", {"funding": ["full"], "country": ["GB", "DE"]}, today=TODAY)
    assert first == second


def test_the_key_changes_with_the_day_and_the_parameters():
    key = position_cache.counts_key("facets", {"country": ["DE"]}, today=TODAY)
    assert key != position_cache.counts_key("facets", {"country": ["DE"]}, today=TODAY + dt.timedelta(days=1))
    assert key != position_cache.counts_key("facets", {"country": ["GB"]}, today=TODAY)


def test_a_cached_value_is_computed_once_per_data_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    key = position_cache.counts_key("facets", {}, today=TODAY)
    assert position_cache.remember(key, compute) == 1
    assert position_cache.remember(key, compute) == 1
    position_cache.bump_data_version()
    assert position_cache.remember(position_cache.counts_key("facets", {}, today=TODAY), compute) == 2


def test_storing_a_new_advert_makes_cached_counts_stale_but_an_unchanged_one_does_not():
    source = make_source()
    record = PositionRecord(url="https://jobs.example.org/1", title="PhD in optimal transport")
    before = position_cache.data_version()
    position_upsert_from_record(record=record, source=source)
    after_create = position_cache.data_version()
    position_upsert_from_record(record=record, source=source)
    assert after_create > before
    assert position_cache.data_version() == after_create


def test_a_version_lost_with_a_redis_restart_starts_again_above_the_first():
    position_cache.cache.delete(position_cache.DATA_VERSION_KEY)
    position_cache.bump_data_version()
    assert position_cache.data_version() >= 2
