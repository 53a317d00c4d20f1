"""A real scrape (a Celery worker of the test's own, a job site on 127.0.0.1) while the
broker, the worker or Postgres is killed and started again.

Each test's site has eight slow advert pages, so the kill lands mid-run. Afterwards every
advert is exactly one listing (none lost, none doubled), no run is left "running", the
finished run counts each advert once, and where the task failed it retried with backoff."""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.resilience.services import (
    OwnPostgres,
    OwnRedis,
    Worker,
    manage,
    site_environment,
)
from tests.scrapers.servers import LocalServer
from tests.scrapers.site import JobSite

pytestmark = pytest.mark.slow

ADVERTS = 8
_names = itertools.count(1)


class Stack:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.postgres = OwnPostgres()
        self.redis = OwnRedis()
        self.env = site_environment(self.postgres, self.redis)
        # The workers' settings: short leases, so a lost task comes back within seconds.
        self.env["DJANGO_SETTINGS_MODULE"] = "tests.scrapers.worker_settings"
        self.workers: list[Worker] = []

    def worker(self) -> Worker:
        number = len(self.workers) + 1
        worker = Worker(self.env, self.folder / f"worker-{number}.log", f"worker{number}")
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(worker.log()[-4000:] for worker in self.workers)

    def queue_scrape_of(self, site: JobSite, name: str) -> int:
        """A source reading the site with the sample adapter, and a manual run of it queued."""
        code = (
            "from scrapers.models import Source; from scrapers.tasks import scrape_source; "
            f"s = Source.objects.create(name={name!r}, start_url={site.start_url!r}, "
            "adapter='sample', min_delay_seconds=0, max_pages=50); "
            "scrape_source.delay(s.pk, 'manual'); print(s.pk)"
        )
        return int(manage(self.env, "shell", "-c", code).strip().splitlines()[-1])

    def listings(self, source_id: int) -> list[tuple[str, int]]:
        rows = self.postgres.sql(
            "SELECT url, count(*) FROM positions_listing WHERE source_id = %s GROUP BY url",
            (source_id,),
        )
        return [(str(url), int(count)) for url, count in rows]

    def runs(self, source_id: int) -> list[dict[str, object]]:
        rows = self.postgres.sql(
            "SELECT json_build_object('id', id, 'status', status, 'found', found,"
            " 'created', created, 'updated', updated, 'unchanged', unchanged,"
            " 'failed', failed, 'message', message)"
            " FROM positions_scraperun WHERE source_id = %s ORDER BY id",
            (source_id,),
        )
        return [row[0] if isinstance(row[0], dict) else json.loads(str(row[0])) for row in rows]

    def wait_for(self, check: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):  # Postgres may be on its way back
                if check():
                    return
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}\n{self.logs()}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    own = Stack(tmp_path_factory.mktemp("killed-mid-scrape"))
    try:
        manage(own.env, "createdb_if_missing")
        manage(own.env, "migrate", "--no-input")
        yield own
    finally:
        for worker in own.workers:
            worker.kill()
        own.redis.kill()
        with contextlib.suppress(Exception):
            own.postgres.kill()
        own.postgres.remove()


@pytest.fixture
def site(stack: Stack) -> Iterator[JobSite]:
    server = LocalServer().start()
    job_site = JobSite(server).serve()
    scenario = next(_names)
    for number in range(1, ADVERTS + 1):
        # Titles of their own per test: no advert is a duplicate of another test's.
        job_site.add(number, title=f"Doctoral position {number} of scenario {scenario}")
    job_site.page_delay = 0.6
    try:
        yield job_site
    finally:
        for worker in stack.workers:
            worker.kill()
        stack.workers.clear()
        server.stop()


def _started(stack: Stack, site: JobSite) -> int:
    """A worker scraping the site: returns once it has stored some adverts, not all."""
    stack.worker()
    source_id = stack.queue_scrape_of(site, f"Killed mid-scrape {time.monotonic_ns()}")
    stack.wait_for(
        lambda: len(stack.listings(source_id)) >= 2, 60, "the worker to store some adverts"
    )
    assert len(stack.listings(source_id)) < ADVERTS, "the scrape ended before the kill"
    return source_id


def _finished(stack: Stack, site: JobSite, source_id: int) -> list[dict[str, object]]:
    site.page_delay = 0
    stack.wait_for(
        lambda: (
            stack.runs(source_id)
            and all(run["status"] != "running" for run in stack.runs(source_id))
            and stack.runs(source_id)[-1]["status"] == "succeeded"
        ),
        120,
        "the run to be finished by the retried or redelivered task",
    )
    runs = stack.runs(source_id)
    listings = stack.listings(source_id)
    assert sorted(url for url, _count in listings) == sorted(
        site.advert_url(number) for number in range(1, ADVERTS + 1)
    ), "an advert was lost"
    assert all(count == 1 for _url, count in listings), "an advert was stored twice"
    assert not [run for run in runs if run["status"] == "running"]
    last = runs[-1]
    assert last["found"] == ADVERTS, runs
    assert int(last["created"]) + int(last["updated"]) + int(last["unchanged"]) == ADVERTS, runs
    assert sum(int(run["created"]) for run in runs) <= ADVERTS, f"counted twice: {runs}"
    positions = stack.postgres.sql(
        "SELECT count(DISTINCT position_id) FROM positions_listing WHERE source_id = %s",
        (source_id,),
    )
    assert positions[0][0] == ADVERTS
    return runs


def test_broker_restarted_mid_scrape(stack, site):
    source_id = _started(stack, site)
    stack.redis.kill()  # no persistence: the queue, the locks and the unacked task are gone
    time.sleep(2)
    stack.redis.start()
    runs = _finished(stack, site, source_id)
    # Redis came back within the scrapers' retry window: the run took its lost lease again
    # and went on, one run for the whole scrape.
    assert len(runs) == 1, runs


def test_worker_killed_mid_scrape_and_another_started(stack, site):
    source_id = _started(stack, site)
    stack.workers[0].kill()
    assert [run["status"] for run in stack.runs(source_id)] == ["running"]  # left behind
    stack.worker()
    runs = _finished(stack, site, source_id)
    assert len(runs) == 1, runs  # the redelivered task resumed its own run


def test_postgres_stopped_mid_scrape_and_started_again(stack, site):
    source_id = _started(stack, site)
    stack.postgres.kill()
    time.sleep(3)
    stack.postgres.start()
    _finished(stack, site, source_id)
    assert "retry: Retry in" in stack.logs()  # the task retried, with its backoff


def test_postgres_turned_read_only_mid_scrape_and_writable_again(stack, site):
    source_id = _started(stack, site)
    stack.postgres.read_only(True)
    time.sleep(3)  # the worker's writes are refused: its task retries, nothing is lost
    stack.postgres.read_only(False)
    _finished(stack, site, source_id)
    logs = stack.logs()
    assert "read-only transaction" in logs and "retry: Retry in" in logs
