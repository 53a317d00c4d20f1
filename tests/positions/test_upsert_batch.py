"""Storing a page of records at once: the same outcome as one by one, in a few queries."""

from __future__ import annotations

import pytest
from django.db import DataError, connection
from django.test.utils import CaptureQueriesContext

from positions.facts import RECORD_FIELDS
from positions.models import Institution, Listing, Position
from positions.services import position_upsert_from_record, positions_upsert_from_records
from scrapers.models import ScrapeRun, Source
from scrapers.records import RawRecord
from tests.factories import TopicFactory
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


COMPARED_ALSO = [
    "evidence",
    "contradictions",
    "source_values",
    "locked_fields",
    "possibly_filled",
    "featured",
]


def stored(position: Position) -> dict:
    """Everything the store writes for a new position, its listing and history, comparable
    across two positions of two sources."""
    position.refresh_from_db()
    listing = position.listings.get()
    change = position.changes.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, topic_ids FROM positions_position WHERE id = %s",
            [position.pk],
        )
        search_document, facet_topic_ids = cursor.fetchone()
    return {
        **{f: getattr(position, f) for f in (*RECORD_FIELDS, *COMPARED, *COMPARED_ALSO)},
        "institution": position.institution_id,
        "topics": sorted(position.topics.values_list("pk", flat=True)),
        "search document": search_document,
        "facet topic ids": facet_topic_ids,
        "first seen is last seen": position.first_seen == position.last_seen,
        "closed on arrival": position.closed_at is not None,
        "listing": {
            "url": listing.url,
            "source_item_id": listing.source_item_id,
            "content_hash": listing.content_hash,
            "raw_record": listing.raw_record,
            "normalized": listing.normalized,
            "state": listing.state,
            "missed_runs": listing.missed_runs,
        },
        "change": (change.actor, change.field, change.old_value, change.new_value),
        "change note": change.note.replace("Batch", "One"),
        "change run": change.run_id,
    }


def test_a_batch_stores_exactly_what_storing_one_by_one_would():
    science = TopicFactory(name="Natural sciences")
    TopicFactory(name="Mathematics", parent=science)
    TopicFactory(name="Physics", parent=science)

    def adverts() -> list:  # the same adverts, on two sources
        return [
            make_record(
                url=f"https://jobs.example.org/phd-{n}",
                title=f"PhD {n} in Bilevel Optimisation",
                institution=["University of Southampton", "Tiny Institute", None][n % 3],
                topics=[
                    *["Natural sciences > Mathematics", "natural SCIENCES > physics"][: n % 3],
                    "Nowhere > Nothing",
                ],
                deadline=["2030-01-09", "2020-01-01", None][n % 3],
                description_html=f"<p>Advert {n}</p><script>alert(1)</script>",
                description_text=f"Advert {n} on bilevel optimisation",
                source_item_id=f"item-{n}",
            )
            for n in range(6)
        ]

    def raws(records: list) -> list:
        return [
            RawRecord(url=r.url, title=r.title, text="raw text", adapter="generic") for r in records
        ]

    one = make_source("One")
    one_run = ScrapeRun.objects.create(source=one)
    singles = [
        position_upsert_from_record(record=record, source=one, run=one_run, raw=raw).position
        for record, raw in zip(adverts(), raws(adverts()), strict=True)
    ]
    batch_source = make_source("Batch")
    batch_run = ScrapeRun.objects.create(source=batch_source)
    records = adverts()
    results = positions_upsert_from_records(
        records=records, source=batch_source, run=batch_run, raws=raws(records)
    )

    assert [r.outcome for r in results] == ["created"] * 6
    assert [r.listing.url for r in results] == [r.url for r in records]
    for single, result in zip(singles, results, strict=True):
        expected = stored(single)
        expected["change run"] = batch_run.pk
        assert stored(result.position) == expected
        assert result.position.pk == result.listing.position_id
        assert not result.position._state.adding and not result.listing._state.adding
    assert Institution.objects.count() == 2  # created once each, by the first store


def test_a_batch_resolves_institutions_as_storing_one_by_one_would():
    Institution.objects.create(name="University of Southampton", aliases=["Soton"])
    names = ["UNIVERSITY OF SOUTHAMPTON", "Soton", "New Institute", "NEW INSTITUTE", "soton"]
    batch = [
        make_record(url=f"https://jobs.example.org/{n}", institution=name, city=f"City {n}")
        for n, name in enumerate(names)
    ]

    results = positions_upsert_from_records(records=batch, source=make_source("Board"))

    institutions = [r.position.institution for r in results]
    southampton = Institution.objects.get(name="University of Southampton")
    new = Institution.objects.get(name__iexact="new institute")
    assert (new.name, new.city, new.country) == ("New Institute", "City 2", "GB")
    assert [i.pk for i in institutions] == [
        southampton.pk,
        southampton.pk,
        new.pk,
        new.pk,
        Institution.objects.get(name="soton").pk,  # an alias matches as written only
    ]
    assert Institution.objects.count() == 3


def test_a_batch_that_cannot_be_stored_leaves_nothing_behind():
    source = make_source("Board")
    batch = records(3)
    batch[1].institution = "A new institution"
    batch[2].title = "PhD in \x00 nothing"  # no NUL is stored in Postgres text

    with pytest.raises(DataError):
        positions_upsert_from_records(records=batch, source=source)

    assert not Listing.objects.exists() and not Position.objects.exists()
    assert not Institution.objects.filter(name="A new institution").exists()


def test_an_unchanged_batch_writes_nothing_in_one_query():
    source = make_source("Board")
    positions_upsert_from_records(records=records(20), source=source)
    with CaptureQueriesContext(connection) as context:
        results = positions_upsert_from_records(records=records(20), source=source)
    assert {r.outcome for r in results} == {"unchanged"}
    assert len(context.captured_queries) == 1


def test_a_new_batch_costs_the_same_queries_for_ten_and_fifty_adverts():
    science = TopicFactory(name="Natural sciences")
    TopicFactory(name="Mathematics", parent=science)

    def cost(count: int, name: str) -> int:
        source = make_source(name)
        batch = [
            make_record(
                url=f"https://{name}.example.org/phd-{n}",
                title=f"PhD {n} in Bilevel Optimisation",
                institution=f"{name} institute {n % 7}",  # new ones, created in the batch
                topics=["Natural sciences > Mathematics", "Natural sciences"],
            )
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as context:
            results = positions_upsert_from_records(records=batch, source=source)
        assert [r.outcome for r in results] == ["created"] * count
        assert Position.objects.filter(listings__source=source).count() == count
        return len(context.captured_queries)

    # The listings, topics and institutions looked up, the missing institutions inserted and
    # read back, the locks, the taken URLs, the ids, four inserts; and the transaction.
    assert cost(10, "ten") == cost(50, "fifty") <= 15


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
