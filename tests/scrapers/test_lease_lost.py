"""A run whose lease on its source Redis lost (restarted without its data) takes it again
and goes on; one whose lease another worker now holds stops (scrapers/pipeline.py)."""

from __future__ import annotations

import pytest

from positions.models import Listing
from scrapers import fetch, pipeline
from scrapers.models import ScrapeRun
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _lease_key(source_id: int) -> str:
    return f"{fetch.KEY_PREFIX}source:{source_id}:lock"


def test_a_lease_redis_forgot_is_taken_again_and_the_run_goes_on(site):
    for number in range(4, 7):
        site.add(number)
    source = SourceFactory(start_url=site.start_url)
    forgotten: list[str] = []

    def forget_the_lease(progress: pipeline.Progress) -> None:
        if progress.pages_done == 2 and not forgotten:
            fetch.redis_client().delete(_lease_key(source.pk))  # as a Redis restart does
            forgotten.append(progress.url)

    run = pipeline.scrape_source(source.pk, on_progress=forget_the_lease)

    assert forgotten
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    assert ScrapeRun.objects.filter(source=source).count() == 1
    assert run.found == 6 and run.created == 6
    assert Listing.objects.filter(source=source).count() == 6


def test_a_lease_another_worker_took_stops_the_run(site):
    for number in range(4, 7):
        site.add(number)
    source = SourceFactory(start_url=site.start_url)

    def another_worker_takes_it(progress: pipeline.Progress) -> None:
        if progress.pages_done == 2:
            fetch.redis_client().set(_lease_key(source.pk), "another worker's token", ex=60)

    with pytest.raises(pipeline.SourceBusy):
        pipeline.scrape_source(source.pk, on_progress=another_worker_takes_it)
    run = ScrapeRun.objects.get(source=source)
    assert run.status == ScrapeRun.Status.FAILED  # not left running
    assert fetch.redis_client().get(_lease_key(source.pk)) == b"another worker's token"
