"""Cached search counts go stale the moment positions change, and only then."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions import cache as position_cache
from positions.models import Position
from positions.selectors import position_search
from positions.services import position_upsert_from_record
from scrapers.models import Source
from scrapers.records import PositionRecord

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = dt.date(2030, 1, 1)


def make_source() -> Source:
    return Source.objects.create(
        name="Board", start_url="https://jobs.example.org/", adapter="generic"
    )


def store(source: Source, number: int, **fields) -> None:
    record = PositionRecord(
        url=f"https://jobs.example.org/{number}",
        title=f"PhD {number} in optimal transport",
        **fields,
    )
    position_upsert_from_record(record=record, source=source)


def test_the_key_ignores_the_order_of_parameters_and_values():
    first = position_cache.counts_key(
        "facets", {"country": ["DE", "GB"], "funding": ["full"]}, today=TODAY
    )
    second = position_cache.counts_key(
        "facets", {"funding": ["full"], "country": ["GB", "DE"]}, today=TODAY
    )
    assert first == second


def test_the_key_changes_with_the_day_and_the_parameters():
    key = position_cache.counts_key("facets", {"country": ["DE"]}, today=TODAY)
    assert key != position_cache.counts_key(
        "facets", {"country": ["DE"]}, today=TODAY + dt.timedelta(days=1)
    )
    assert key != position_cache.counts_key("facets", {"country": ["GB"]}, today=TODAY)


def test_a_cached_value_is_computed_once_per_data_version():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    key = position_cache.counts_key("facets", {"test": "computed once"}, today=TODAY)
    position_cache.cache.delete_many([key, f"{key}:refreshing"])
    assert position_cache.remember(key, compute) == 1
    assert position_cache.remember(key, compute) == 1
    position_cache.bump_data_version()
    assert position_cache.remember(key, compute) == 2


def test_while_writes_keep_coming_a_key_is_recomputed_at_most_once_per_stale_period():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    key = position_cache.counts_key("facets", {"test": "stale period"}, today=TODAY)
    position_cache.cache.delete_many([key, f"{key}:refreshing"])
    position_cache.remember(key, compute, stale_seconds=60)
    position_cache.bump_data_version()
    assert position_cache.remember(key, compute, stale_seconds=60) == 2
    position_cache.bump_data_version()
    assert position_cache.remember(key, compute, stale_seconds=60) == 2  # refreshed just now
    assert position_cache.remember(key, compute, stale_seconds=0) == 3


def test_storing_a_new_advert_moves_the_version_but_an_unchanged_one_does_not():
    source = make_source()
    before = position_cache.data_version()
    store(source, 1)
    after_create = position_cache.data_version()
    store(source, 1)
    assert after_create > before
    assert position_cache.data_version() == after_create


def test_a_bulk_update_that_bypasses_the_services_still_moves_the_version():
    store(make_source(), 1)
    before = position_cache.data_version()
    Position.objects.update(funding="self", eligibility=[])
    assert position_cache.data_version() > before


def test_a_repeated_search_reuses_its_counts_and_sees_a_new_position_at_once(settings):
    settings.SEARCH_CACHE = True
    settings.SEARCH_CACHE_STALE_SECONDS = 0  # no ingestion going on: every change shows
    source = make_source()
    for number in range(3):
        store(source, number, funding="full")
    assert position_search({"funding": "full"}).total == 3

    with CaptureQueriesContext(connection) as repeated:
        result = position_search({"funding": "full"})
    assert result.total == 3 and len(result.positions) == 3
    # The version and the page's rows (with their topics and listings): no counting.
    assert len(repeated.captured_queries) == 2

    store(source, 99, funding="full")
    assert position_search({"funding": "full"}).total == 4


def test_paging_or_sorting_a_search_counts_nothing_again(settings):
    """The counts are cached per search, whatever its page and order: the next page of a
    search, or the search in another order, only finds its page."""
    settings.SEARCH_CACHE = True
    settings.SEARCH_CACHE_STALE_SECONDS = 0
    source = make_source()
    for number in range(25):
        store(source, number, funding="full")
    search = {"q": "optimal transport", "funding": "full"}
    first = position_search(search)
    assert first.total == 25 and len(first.positions) == 20

    with CaptureQueriesContext(connection) as paged:
        second = position_search({**search, "page": "2"})
    with CaptureQueriesContext(connection) as resorted:
        newest = position_search({**search, "sort": "newest"})

    assert second.total == 25 and len(second.positions) == 5
    assert {p.pk for p in first.positions} | {p.pk for p in second.positions} == {
        p.pk for p in Position.objects.all()
    }
    assert newest.total == 25 and newest.sort == "newest"
    assert second.facets == first.facets == newest.facets
    for context in (paged, resorted):
        statements = [
            query["sql"]
            for query in context.captured_queries
            if "positions_data_version" not in query["sql"]
        ]
        # No probe, no facet counts: the page's ids, then the page's rows.
        assert not any("count(" in sql or "GROUPING SETS" in sql for sql in statements)
        assert len(statements) == 2


def test_a_detail_page_is_served_from_the_cache_until_its_position_changes(client, settings):
    settings.SEARCH_CACHE = True
    settings.SEARCH_CACHE_STALE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["testserver"]
    store(make_source(), 1, funding="full")
    position = Position.objects.get()
    assert b"PhD 1 in optimal transport" in client.get(f"/positions/{position.pk}/").content

    with CaptureQueriesContext(connection) as repeated:
        again = client.get(f"/positions/{position.pk}/")
    assert again.status_code == 200 and b"PhD 1 in optimal transport" in again.content
    assert len(repeated.captured_queries) == 1  # the data version
    assert again["Content-Security-Policy"] and "max-age=300" in again["Cache-Control"]

    Position.objects.filter(pk=position.pk).update(title="PhD in Wasserstein geometry")
    assert b"PhD in Wasserstein geometry" in client.get(f"/positions/{position.pk}/").content


def test_an_answer_with_invalid_parameters_is_never_kept(client, settings):
    settings.SEARCH_CACHE = True
    settings.ALLOWED_HOSTS = ["testserver"]
    for _ in range(2):
        response = client.get("/api/positions/?funding=lots")
        assert response.status_code == 400
        assert "max-age" not in response.get("Cache-Control", "")


def test_a_web_process_rereads_the_version_at_most_every_few_seconds(settings):
    store(make_source(), 1)
    settings.DATA_VERSION_SECONDS = 60
    remembered = position_cache.data_version()
    Position.objects.update(funding="self", eligibility=[])
    with CaptureQueriesContext(connection) as reads:
        assert position_cache.data_version() == remembered
    assert len(reads.captured_queries) == 0
    settings.DATA_VERSION_SECONDS = 0
    assert position_cache.data_version() > remembered
