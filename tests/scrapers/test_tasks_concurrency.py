"""Concurrency against the real database: two runs of one source at once, two beats
claiming due sources at once, the task's handling of a busy source."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, transaction
from django.utils import timezone

from positions.models import Listing, Position
from scrapers import pipeline
from scrapers.models import ScrapeRun
from scrapers.tasks import scrape_source
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(target, count: int) -> list[object]:
    results: list[object] = []
    barrier = threading.Barrier(count)

    def run() -> None:
        barrier.wait()
        try:
            results.append(target())
        except BaseException as error:
            results.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_runs_of_one_source_at_once_leave_no_duplicates(site):
    site.page_delay = 0.2
    source = SourceFactory(start_url=site.start_url)

    results = _in_threads(lambda: pipeline.scrape_source(source.pk, full=True), 2)

    busy = [r for r in results if isinstance(r, pipeline.SourceBusy)]
    runs = [r for r in results if isinstance(r, ScrapeRun)]
    assert (len(busy), len(runs)) == (1, 1)
    assert runs[0].status == "succeeded"
    assert Position.objects.count() == 3
    assert Listing.objects.count() == 3


def test_runs_of_one_source_repeated_from_many_threads_leave_exactly_the_same_rows(site):
    source = SourceFactory(start_url=site.start_url)
    pipeline.scrape_source(source.pk)
    before = sorted(Listing.objects.values_list("url", "position_id", "content_hash"))

    def run_until_done() -> object:
        for _ in range(50):
            try:
                return pipeline.scrape_source(source.pk, full=True)
            except pipeline.SourceBusy:
                threading.Event().wait(0.05)
        raise AssertionError("never got the source")

    results = _in_threads(run_until_done, 3)

    assert all(isinstance(r, ScrapeRun) and r.status == "succeeded" for r in results)
    assert sorted(Listing.objects.values_list("url", "position_id", "content_hash")) == before
    assert Position.objects.count() == 3


def test_two_beats_claiming_at_once_never_claim_a_source_twice():
    now = timezone.now()
    sources = [SourceFactory(next_scrape_at=now - dt.timedelta(minutes=5)) for _ in range(6)]

    def claim() -> list[int]:
        with transaction.atomic():
            claimed = pipeline.sources_claim_due(now=now)
            threading.Event().wait(0.3)  # hold the row locks while the other beat claims
            return claimed

    results = _in_threads(claim, 2)

    claimed = [source_id for result in results for source_id in result]
    assert sorted(claimed) == sorted(source.pk for source in sources)


def test_the_task_skips_a_source_another_worker_holds(site):
    source = SourceFactory(start_url=site.start_url)
    lock = pipeline._source_lock(source.pk)
    assert lock.acquire()
    try:
        result = scrape_source.apply(args=[source.pk, "manual"]).get()
    finally:
        lock.release()

    assert "already being scraped" in result["skipped"]
    assert not ScrapeRun.objects.exists()


def test_the_task_runs_a_source_and_reports_its_run(site):
    source = SourceFactory(start_url=site.start_url)

    result = scrape_source.apply(args=[source.pk, "manual"]).get()

    run = ScrapeRun.objects.get()
    assert result == {"source": source.pk, "run": run.pk, "status": "succeeded"}
    assert run.trigger == "manual"


def test_a_run_that_stored_positions_leaves_the_landing_counts_ready(site, settings):
    from django.core.cache import cache

    from positions import cache as search_cache
    from positions.selectors import position_search

    settings.SEARCH_CACHE = True
    settings.DATA_VERSION_SECONDS = 0
    cache.clear()
    source = SourceFactory(start_url=site.start_url)

    scrape_source.apply(args=[source.pk, "manual"]).get()

    # What position_search({}) would look up: present, at the version the run left.
    calls: list[str] = []
    original = search_cache.remember

    def spy(key, compute, **kwargs):
        calls.append("computed" if search_cache._lookup(key, 0)[0] is False else "cached")
        return original(key, compute, **kwargs)

    search_cache.remember = spy
    try:
        result = position_search({})
    finally:
        search_cache.remember = original
    assert calls == ["cached"]
    assert result.total == Position.objects.visible().count() > 0
