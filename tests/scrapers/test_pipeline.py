"""Scraping a source end to end against a local job site: counts, per-item failures,
unchanged pages, gone and dropped adverts, recovery of runs left behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from positions import services
from positions.models import Listing, Position, PositionChange
from scrapers import fetch, pipeline
from scrapers.models import ScrapeError, ScrapeRun, Source
from scrapers.records import ParseResult, RawRecord
from tests.scrapers import sample_adapter
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db

WRITES = ("INSERT INTO", "UPDATE ", "DELETE FROM")
POSITION_TABLES = ('"positions_position"', '"positions_listing"', '"positions_positionchange"')


def _source_for(site, **extra) -> Source:
    return SourceFactory(start_url=site.start_url, **extra)


def _position_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(WRITES)
        and any(table in q["sql"] for table in POSITION_TABLES)
    ]


def test_a_run_stores_every_advert_and_records_its_counts(site):
    source = _source_for(site)

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.SUCCEEDED
    assert (run.pages_fetched, run.found, run.created, run.updated, run.failed) == (4, 3, 3, 0, 0)
    assert run.finished_at is not None and run.trigger == "manual"
    assert sorted(Position.objects.values_list("title", flat=True)) == [
        "PhD position 1",
        "PhD position 2",
        "PhD position 3",
    ]
    assert set(Listing.objects.values_list("url", flat=True)) == {
        site.advert_url(n) for n in (1, 2, 3)
    }
    source.refresh_from_db()
    assert source.health == Source.Health.OK and source.last_success_at is not None


def test_an_unchanged_source_is_parsed_and_written_zero_times(site):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    stamps = dict(Position.objects.values_list("pk", "updated_at"))
    changes = PositionChange.objects.count()
    sample_adapter.PARSED.clear()

    with CaptureQueriesContext(connection) as queries:
        run = pipeline.scrape_source(source.pk)

    assert _position_writes(queries.captured_queries) == []
    assert sample_adapter.PARSED == []  # 304 for the list, same hash for the adverts
    assert dict(Position.objects.values_list("pk", "updated_at")) == stamps
    assert PositionChange.objects.count() == changes
    run.refresh_from_db()
    assert (run.status, run.found, run.unchanged, run.created, run.updated) == (
        "succeeded",
        3,
        3,
        0,
        0,
    )


def test_an_advert_page_redis_forgot_is_checked_with_its_listings_etag(site, server):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    client = fetch.redis_client()
    client.delete(*client.keys(f"{fetch.KEY_PREFIX}page:*"))
    sample_adapter.PARSED.clear()

    with CaptureQueriesContext(connection) as queries:
        run = pipeline.scrape_source(source.pk)

    parsed = list(sample_adapter.PARSED)
    assert parsed == [site.start_url]  # the adverts answered 304
    assert _position_writes(queries.captured_queries) == []
    last_advert_requests = [r for r in server.requests if r.path.startswith("/advert/")][-3:]
    assert all(r.headers.get("if-none-match") for r in last_advert_requests)
    run.refresh_from_db()
    assert (run.unchanged, run.found) == (3, 3)


def test_an_unchanged_page_whose_advert_was_deleted_is_parsed_and_stored_again(site):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    Position.objects.filter(listings__url=site.advert_url(2)).delete()

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert (run.created, run.unchanged) == (1, 2)
    assert Listing.objects.filter(url=site.advert_url(2)).exists()


def test_a_changed_advert_is_updated_and_the_change_recorded(site):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    site.adverts[2].deadline = "2030-03-15"

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert (run.updated, run.unchanged) == (1, 2)
    position = Listing.objects.get(url=site.advert_url(2)).position
    assert position.deadline == dt.date(2030, 3, 15)
    assert PositionChange.objects.filter(position=position, field="deadline", run=run).exists()


def test_running_a_source_again_and_again_leaves_no_duplicates(site):
    source = _source_for(site)

    for _ in range(3):
        pipeline.scrape_source(source.pk, full=True)

    assert Position.objects.count() == 3
    assert Listing.objects.count() == 3
    assert ScrapeRun.objects.filter(status="succeeded").count() == 3


def test_one_bad_page_or_item_fails_alone(site):
    site.adverts[2].status = 500
    site.adverts[3].broken = True
    source = _source_for(site)

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.PARTIAL
    assert list(Position.objects.values_list("title", flat=True)) == ["PhD position 1"]
    errors = {(e.url, e.stage) for e in ScrapeError.objects.filter(run=run)}
    assert errors == {(site.advert_url(2), "fetch"), (site.advert_url(3), "parse")}
    assert "HTTP 500" in ScrapeError.objects.get(run=run, stage="fetch").message


def _board(site, monkeypatch, count: int) -> list[str]:
    """The results page lists `count` whole adverts itself, as an aggregator's does: one page,
    `count` records. Returns their URLs."""
    urls = [site.server.url(f"/board/{n}") for n in range(count)]

    def parse(page, options=None) -> ParseResult:
        records = [
            RawRecord(
                url=url,
                title=f"PhD position {n} on the board",
                text=f"A fully funded PhD position number {n}.",
                fields={"Institution": "University of Testing", "Deadline": "2030-01-31"},
                adapter="sample",
            )
            for n, url in enumerate(urls)
        ]
        return ParseResult(records=records if page.url == site.start_url else [])

    monkeypatch.setattr(sample_adapter, "parse", parse)
    return urls


def _spy_on_the_store(monkeypatch) -> dict[str, list[int]]:
    calls: dict[str, list[int]] = {"page": [], "one": []}
    store_page, store_one = (
        services.positions_upsert_from_records,
        services.position_upsert_from_record,
    )

    def page(**kwargs):
        calls["page"].append(len(kwargs["records"]))
        return store_page(**kwargs)

    def one(**kwargs):
        calls["one"].append(1)
        return store_one(**kwargs)

    monkeypatch.setattr(services, "positions_upsert_from_records", page)
    monkeypatch.setattr(services, "position_upsert_from_record", one)
    return calls


def test_a_page_of_adverts_is_stored_in_one_call(site, monkeypatch):
    urls = _board(site, monkeypatch, 6)
    calls = _spy_on_the_store(monkeypatch)
    source = _source_for(site)

    first = pipeline.scrape_source(source.pk)
    again = pipeline.scrape_source(source.pk, full=True)

    assert calls == {"page": [6, 6], "one": []}
    first.refresh_from_db()
    again.refresh_from_db()
    assert (first.status, first.found, first.created, first.failed) == ("succeeded", 6, 6, 0)
    assert (again.found, again.created, again.unchanged) == (6, 0, 6)
    assert set(Listing.objects.values_list("url", flat=True)) == set(urls)
    assert set(PositionChange.objects.values_list("field", "run")) == {("*", first.pk)}


def test_one_advert_that_cannot_be_stored_fails_alone_and_the_rest_of_its_page_is_stored(
    site, monkeypatch
):
    urls = _board(site, monkeypatch, 5)
    normalize = pipeline.normalize_record

    def normalize_one_badly(raw: RawRecord):
        record = normalize(raw)
        if raw.url == urls[2]:
            record.title = "PhD position \x00 that Postgres cannot store"
        return record

    monkeypatch.setattr(pipeline, "normalize_record", normalize_one_badly)
    calls = _spy_on_the_store(monkeypatch)
    source = _source_for(site)

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert calls == {"page": [5], "one": [1] * 5}  # the page failed, then one by one
    assert run.status == ScrapeRun.Status.PARTIAL
    assert (run.found, run.created, run.updated, run.unchanged, run.failed) == (5, 4, 0, 0, 1)
    assert set(Listing.objects.values_list("url", flat=True)) == set(urls) - {urls[2]}
    assert Position.objects.count() == 4
    assert [(e.url, e.stage) for e in ScrapeError.objects.filter(run=run)] == [(urls[2], "store")]


def test_a_new_advert_another_source_lists_already_is_merged_into_its_position(site, monkeypatch):
    urls = _board(site, monkeypatch, 4)
    pipeline.scrape_source(_source_for(site, name="The board").pk)

    run = pipeline.scrape_source(_source_for(site, name="A mirror of the board").pk)

    run.refresh_from_db()
    assert (run.created, run.failed) == (4, 0)
    assert Position.objects.count() == 4  # each new one merged: the same advert URL
    for position in Position.objects.all():
        assert position.listings.count() == 2
    assert set(Listing.objects.values_list("url", flat=True)) == set(urls)


def test_a_start_page_that_cannot_be_fetched_fails_the_run(site, settings):
    settings.SOURCE_FAILURES_BEFORE_ALERT = 1
    site.list_status = 503
    source = _source_for(site)

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.FAILED
    assert "start page could not be fetched" in run.message
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and source.last_success_at is None


def test_followed_links_are_deduplicated_web_only_and_bounded_by_max_pages(site, server):
    server.page(
        "/list",
        '<a class="advert" href="/advert/1">a</a><a class="advert" href="/advert/1#apply">b</a>'
        '<a class="advert" href="mailto:phd@example.org">c</a>'
        '<a class="advert" href="javascript:alert(1)">d</a><a class="advert" href="/advert/2">e</a>'
        '<a class="advert" href="/advert/3">f</a>',
    )
    source = _source_for(site, max_pages=3)

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    advert_requests = [p for p in server.paths() if p.startswith("/advert/")]
    assert advert_requests == ["/advert/1", "/advert/2"]
    assert run.pages_fetched == 3
    assert "page limit" in run.message


def test_an_advert_page_that_is_gone_closes_its_position_at_once(site):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    del site.adverts[3]  # still linked from the list, but 404

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    listing = Listing.objects.get(url=site.advert_url(3))
    assert listing.state == Listing.State.GONE
    assert listing.position.status == Position.Status.CLOSED
    assert run.closed == 1


def test_a_dropped_advert_closes_only_after_n_successful_runs_and_never_after_a_failed_one(
    site, settings
):
    settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS = 2
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    site.listed.remove(3)
    dropped = Listing.objects.get(url=site.advert_url(3))

    pipeline.scrape_source(source.pk)  # good run 1 without it
    dropped.refresh_from_db()
    assert (dropped.state, dropped.missed_runs, dropped.position.status) == ("missing", 1, "open")

    site.list_status = 500
    failed = pipeline.scrape_source(source.pk)  # a failed run says nothing about the advert
    assert failed.status == "failed"
    dropped.refresh_from_db()
    assert (dropped.missed_runs, dropped.position.status) == (1, "open")

    site.list_status = 200
    run = pipeline.scrape_source(source.pk)  # good run 2 without it
    dropped.refresh_from_db()
    assert dropped.state == "gone"
    assert dropped.position.status == "closed"
    assert run.closed == 1
    change = PositionChange.objects.get(position=dropped.position, field="status")
    assert (change.old_value, change.new_value, change.run_id) == ("open", "closed", run.pk)
    assert Position.objects.open().count() == 2
    assert dropped.position.possibly_filled  # vanished before its deadline: curators look


def test_an_advert_listed_again_is_active_again(site, settings):
    settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS = 3
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    site.listed.remove(3)
    pipeline.scrape_source(source.pk)
    site.listed.append(3)

    pipeline.scrape_source(source.pk)

    listing = Listing.objects.get(url=site.advert_url(3))
    assert (listing.state, listing.missed_runs) == ("active", 0)


def test_a_run_stopped_at_the_page_limit_counts_no_misses(site):
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    Source.objects.filter(pk=source.pk).update(max_pages=2)

    pipeline.scrape_source(source.pk, full=True)

    assert set(Listing.objects.values_list("missed_runs", flat=True)) == {0}


def test_a_run_left_running_by_a_dead_worker_is_closed_and_a_new_run_done(site):
    source = _source_for(site)
    stale = ScrapeRun.objects.create(source=source, task_id="dead-task", status="running")

    run = pipeline.scrape_source(source.pk, task_id="new-task")

    stale.refresh_from_db()
    assert stale.status == "failed" and "abandoned" in stale.message
    assert run.pk != stale.pk and run.status == "succeeded"


def test_a_redelivered_task_resumes_its_own_run(site):
    source = _source_for(site)
    stale = ScrapeRun.objects.create(
        source=source, task_id="task-1", status="running", created=2, found=2
    )

    run = pipeline.scrape_source(source.pk, task_id="task-1")

    assert run.pk == stale.pk
    run.refresh_from_db()
    assert (run.status, run.found, run.created) == ("succeeded", 3, 3)
    assert "resumed" in run.message


def test_a_source_held_by_another_worker_is_reported_busy(site):
    source = _source_for(site)
    lock = pipeline._source_lock(source.pk)
    assert lock.acquire()
    try:
        with pytest.raises(pipeline.SourceBusy, match="already being scraped"):
            pipeline.scrape_source(source.pk)
    finally:
        lock.release()
    assert not ScrapeRun.objects.exists()


def test_the_daily_task_closes_positions_past_their_deadline(site):
    from scrapers.tasks import close_expired_positions

    site.adverts[1].deadline = "2020-01-31"
    source = _source_for(site)
    pipeline.scrape_source(source.pk)
    Position.objects.filter(listings__url=site.advert_url(1)).update(status="open", closed_at=None)

    result = close_expired_positions.apply().get()

    assert result["expired"] == 1
    expired = Listing.objects.get(url=site.advert_url(1)).position
    assert expired.status == "closed"
    assert PositionChange.objects.filter(position=expired, field="status", actor="system").exists()
    assert Position.objects.open().count() == 2


def test_due_sources_are_claimed_once_and_moved_on_by_their_interval():
    now = timezone.now()
    due = SourceFactory(next_scrape_at=now - dt.timedelta(minutes=1))
    never_run = SourceFactory(next_scrape_at=None)
    later = SourceFactory(next_scrape_at=now + dt.timedelta(hours=1))
    SourceFactory(next_scrape_at=None, enabled=False)

    claimed = pipeline.sources_claim_due(now=now)
    again = pipeline.sources_claim_due(now=now)

    assert sorted(claimed) == sorted([due.pk, never_run.pk])
    assert again == []
    due.refresh_from_db()
    assert due.next_scrape_at == now + due.scrape_interval
    assert later.pk not in claimed


def test_a_source_with_an_unknown_adapter_fails_its_run_with_a_clear_message(site):
    source = _source_for(site, adapter="no_such_adapter")

    run = pipeline.scrape_source(source.pk)

    assert run.status == "failed"
    assert "unknown adapter 'no_such_adapter'" in run.message


def test_a_paused_host_stops_the_run_after_one_error(site, settings):
    settings.SCRAPER_BREAKER_FAILURES = 1
    for number in (1, 2, 3):
        site.adverts[number].status = 500
    source = _source_for(site)

    run = pipeline.scrape_source(source.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert "paused" in run.message
    assert ScrapeError.objects.filter(run=run).count() == 2  # the 500, then the pause


def test_a_fetcher_that_cannot_start_fails_the_run_instead_of_leaving_it_running(
    site, settings, tmp_path
):
    settings.SCRAPER_REPLAY_DIR = str(tmp_path / "missing")
    source = _source_for(site)

    with pytest.raises(FileNotFoundError):
        pipeline.scrape_source(source.pk)

    run = ScrapeRun.objects.get(source=source)
    assert run.status == "failed" and "index.json" in run.message


def test_a_scrape_task_that_stored_positions_leaves_nothing_pending_in_the_search_indexes(site):
    # Every search reads a GIN index's pending entries whole: the task merges them.
    from positions.services import positions_clean_search_indexes
    from scrapers.tasks import scrape_source

    positions_clean_search_indexes()
    source = _source_for(site)

    result = scrape_source.apply(args=[source.pk, "manual"]).get()

    assert result["status"] == "succeeded"
    assert Position.objects.count() == 3
    assert positions_clean_search_indexes() == 0
