"""Storing normalised records: idempotent, history-keeping, and respectful of admin edits."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from positions.models import Listing, Position, PositionChange
from positions.services import position_upsert_from_record
from scrapers.models import Source
from scrapers.records import PositionRecord
from tests.factories import make_record as shared_make_record

pytestmark = pytest.mark.django_db


def make_source(name: str = "University jobs", adapter: str = "generic", **extra) -> Source:
    return Source.objects.create(
        name=name, start_url="https://jobs.example.org/", adapter=adapter, **extra
    )


def make_record(**overrides) -> PositionRecord:
    """The shared record with a fixed deadline the assertions below can name."""
    return shared_make_record(**{"deadline": "2030-01-09", **overrides})


def test_first_sight_of_an_advert_creates_a_position_and_its_listing():
    result = position_upsert_from_record(record=make_record(), source=make_source())
    assert result.outcome == "created"
    position = Position.objects.get()
    assert position.deadline.isoformat() == "2030-01-09"
    assert position.stipend_amount == 20780 and position.stipend_currency == "GBP"
    assert position.institution.name == "University of Southampton"
    assert position.completeness == 100
    assert position.search_vector is not None
    assert Listing.objects.get().position == position


def test_an_unchanged_record_is_stored_with_no_write_at_all():
    source = make_source()
    position_upsert_from_record(record=make_record(), source=source)
    with CaptureQueriesContext(connection) as queries:
        result = position_upsert_from_record(record=make_record(), source=source)
    assert result.outcome == "unchanged"
    writes = [
        q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().startswith("SELECT")
    ]
    assert writes == []


def test_a_moved_deadline_is_updated_and_kept_in_the_history():
    source = make_source()
    position_upsert_from_record(record=make_record(), source=source)
    result = position_upsert_from_record(record=make_record(deadline="2030-02-01"), source=source)
    assert result.outcome == "updated"
    assert Position.objects.get().deadline.isoformat() == "2030-02-01"
    change = PositionChange.objects.get(field="deadline")
    assert (change.old_value, change.new_value, change.actor) == (
        "2030-01-09",
        "2030-02-01",
        "scrape",
    )


def test_rescrape_keeps_admin_edited_deadline_and_records_what_the_source_says():
    source = make_source()
    position = position_upsert_from_record(record=make_record(), source=source).position
    Position.objects.filter(pk=position.pk).update(
        deadline="2030-03-31", locked_fields=["deadline"]
    )
    position_upsert_from_record(record=make_record(deadline="2030-02-01"), source=source)
    position.refresh_from_db()
    assert position.deadline.isoformat() == "2030-03-31"
    assert position.source_values == {"deadline": "2030-02-01"}


def test_a_past_deadline_closes_the_position_on_arrival():
    position_upsert_from_record(record=make_record(deadline="2020-01-01"), source=make_source())
    assert Position.objects.get().status == "closed"


def test_a_source_that_queues_for_review_creates_pending_positions():
    source = make_source(auto_publish=False)
    position = position_upsert_from_record(record=make_record(), source=source).position
    assert position.moderation == "pending" and position.needs_review


def test_the_most_specific_listing_wins_when_sources_disagree():
    aggregator = make_source("Aggregator", adapter="aggregator")
    lab = make_source("Lab page", adapter="lab_page")
    created = position_upsert_from_record(
        record=make_record(deadline="2030-01-10"), source=aggregator
    )
    Listing.objects.create(
        source=lab,
        position=created.position,
        url="https://lab.example.org/phd",
        normalized=make_record(url="https://lab.example.org/phd").to_json(with_description=True),
    )
    # The aggregator changes its (wrong) date again; the lab page's date stays in force.
    position_upsert_from_record(record=make_record(deadline="2030-01-11"), source=aggregator)
    assert Position.objects.get().deadline.isoformat() == "2030-01-09"


@pytest.mark.django_db(transaction=True)
def test_two_workers_storing_the_same_advert_at_once_leave_one_position():
    source = make_source()
    errors: list[BaseException] = []

    def store() -> None:
        try:
            position_upsert_from_record(record=make_record(), source=source)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=store) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Position.objects.count() == 1
    assert Listing.objects.count() == 1


def test_a_position_closed_when_its_advert_vanished_opens_again_when_it_returns():
    source = make_source()
    result = position_upsert_from_record(record=make_record(), source=source)
    Listing.objects.filter(pk=result.listing.pk).update(state="gone")
    Position.objects.filter(pk=result.position.pk).update(
        status="closed", closed_at="2029-12-01T00:00Z"
    )
    position_upsert_from_record(record=make_record(), source=source)
    position = Position.objects.get()
    assert (position.status, position.closed_at) == ("open", None)
    assert PositionChange.objects.filter(field="status", new_value="open").exists()


def test_a_position_an_admin_closed_stays_closed_when_its_advert_changes():
    source = make_source()
    result = position_upsert_from_record(record=make_record(), source=source)
    Position.objects.filter(pk=result.position.pk).update(status="closed", locked_fields=["status"])
    position_upsert_from_record(record=make_record(deadline="2030-02-02"), source=source)
    assert Position.objects.get().status == "closed"


def test_a_feed_item_never_overwrites_the_richer_advert_page_it_links_to():
    from scrapers.records import RawRecord

    source = make_source(adapter="feed")
    position_upsert_from_record(record=make_record(duration_months=48), source=source)
    feed_item = RawRecord(url="https://jobs.example.org/phd-1", meta={"feed_entry": True})
    result = position_upsert_from_record(
        record=make_record(duration_months=None, supervisors=[]), source=source, raw=feed_item
    )
    assert result.outcome == "unchanged"
    assert Position.objects.get().duration_months == 48
