"""Real Celery workers and beats (not eager mode) against the test database and Redis:
a worker killed with SIGKILL mid-run loses nothing, and beat starts due sources once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from positions.models import Listing, Position
from scrapers import fetch
from scrapers.models import ScrapeRun
from scrapers.tasks import scrape_source
from tests.scrapers.factories import SourceFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def _environment() -> dict[str, str]:
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.scrapers.worker_settings",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        PYTHONPATH=str(ROOT),
    )
    return env


LOG_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "scrape-test-workers"


def _start(*arguments: str) -> subprocess.Popen[bytes]:
    LOG_DIR.mkdir(exist_ok=True)
    log = (LOG_DIR / f"{arguments[0]}-{time.monotonic_ns()}.log").open("wb")
    return subprocess.Popen(
        [CELERY, "-A", "config", *arguments, "--loglevel=INFO"],
        cwd=ROOT,
        env=_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so kill -9 takes its children too
    )


def _worker(name: str) -> subprocess.Popen[bytes]:
    return _start(
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "-n",
        f"{name}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    )


def _kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    logs = "\n".join(
        f"--- {path.name}\n" + path.read_text(errors="replace")[-3000:]
        for path in sorted(LOG_DIR.glob("*.log"))
    )
    raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{logs}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    for old_log in LOG_DIR.glob("*.log"):
        old_log.unlink()
    client = fetch.redis_client()
    client.delete("celery", "unacked", "unacked_index")
    yield started
    for process in started:
        _kill(process, signal.SIGKILL)
    client.delete("celery", "unacked", "unacked_index")


def test_a_worker_killed_mid_run_is_completed_by_another_worker(site, processes):
    for number in range(4, 9):
        site.add(number)
    site.page_delay = 0.7  # eight slow advert pages: the kill lands mid-run
    source = SourceFactory(start_url=site.start_url)
    processes.append(_worker("first"))

    scrape_source.delay(source.pk, ScrapeRun.Trigger.MANUAL)
    _wait_for(
        lambda: Position.objects.filter(listings__source=source).count() >= 2,
        timeout=30,
        what="the first worker to store some adverts",
    )
    _kill(processes[0])
    run = ScrapeRun.objects.get(source=source)
    assert run.status == ScrapeRun.Status.RUNNING  # left behind by the dead worker
    stored_before = Position.objects.count()
    assert 2 <= stored_before < 8

    site.page_delay = 0  # so the second worker finishes well within the visibility timeout
    processes.append(_worker("second"))
    _wait_for(
        lambda: ScrapeRun.objects.filter(source=source).exclude(status="running").exists(),
        timeout=60,
        what="the task to come back and the run to finish",
    )

    run = ScrapeRun.objects.get(source=source)  # the same run, resumed by the same task
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    assert run.found == 8
    assert Position.objects.count() == 8
    assert Listing.objects.filter(source=source).count() == 8
    assert sorted(Listing.objects.values_list("url", flat=True)) == sorted(
        site.advert_url(n) for n in range(1, 9)
    )


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_a_pool_process_killed_mid_run_is_requeued_and_finished_by_the_same_worker(site, processes):
    # task_reject_on_worker_lost: the worker's main process sees its child die and puts
    # the task back at once, without waiting for the broker's visibility timeout.
    for number in range(4, 9):
        site.add(number)
    site.page_delay = 0.7
    source = SourceFactory(start_url=site.start_url)
    processes.append(_worker("survivor"))
    _wait_for(lambda: _children(processes[0].pid), timeout=30, what="the pool process")

    scrape_source.delay(source.pk, ScrapeRun.Trigger.MANUAL)
    _wait_for(
        lambda: Position.objects.filter(listings__source=source).count() >= 2,
        timeout=30,
        what="the pool process to store some adverts",
    )
    site.page_delay = 0
    for child in _children(processes[0].pid):
        os.kill(child, signal.SIGKILL)

    _wait_for(
        lambda: ScrapeRun.objects.filter(source=source).exclude(status="running").exists(),
        timeout=45,
        what="the requeued task to finish the run",
    )
    run = ScrapeRun.objects.get(source=source)
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    assert Listing.objects.filter(source=source).count() == 8
    assert Position.objects.count() == 8


def test_two_beats_and_a_worker_start_a_due_source_exactly_once(site, processes):
    source = SourceFactory(
        start_url=site.start_url,
        next_scrape_at=timezone.now() - dt.timedelta(minutes=1),
        scrape_interval=dt.timedelta(hours=6),
    )
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="Start the sources that are due (test)",
        task="scrapers.tasks.start_due_sources",
        interval=every_second,
    )
    processes.append(_worker("beat-worker"))
    for _ in range(2):  # a second beat must not double the work
        processes.append(
            _start("beat", "-S", "django_celery_beat.schedulers:DatabaseScheduler", "--pidfile=")
        )

    _wait_for(
        lambda: ScrapeRun.objects.filter(source=source, status="succeeded").exists(),
        timeout=45,
        what="beat to start the due source and the worker to finish it",
    )
    time.sleep(3)  # more beat ticks: none may start the source again

    runs = ScrapeRun.objects.filter(source=source)
    assert runs.count() == 1
    assert runs.get().trigger == ScrapeRun.Trigger.SCHEDULE
    assert Position.objects.count() == 3
    source.refresh_from_db()
    assert source.next_scrape_at > timezone.now() + dt.timedelta(hours=5)
