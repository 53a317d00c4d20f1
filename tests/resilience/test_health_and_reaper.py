"""/healthz, /readyz and the reaper of abandoned runs, against the real Postgres and Redis."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command

from positions.health import BEAT_TICK_KEY, record_beat_tick
from scrapers import pipeline
from scrapers.models import ScrapeRun
from scrapers.tasks import reap_abandoned_runs
from tests.factories import SourceFactory
from tests.resilience.conftest import closed_port


def test_healthz_needs_nothing(client, django_db_blocker):
    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db
def test_readyz_reports_each_dependency_with_its_latency(client):
    record_beat_tick()
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ready"
    for name in ("database", "cache", "broker", "beat"):
        assert report["checks"][name]["ok"] is True, name
        assert report["checks"][name]["latency_ms"] >= 0
    assert report["checks"]["beat"]["age_seconds"] < 5


@pytest.mark.django_db
def test_readyz_without_redis_is_degraded_not_unready(client, redis_away, broker_away, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "degraded" and report["ready"] is True
    assert report["checks"]["cache"]["ok"] is False
    assert report["checks"]["broker"]["ok"] is False
    assert client.get("/readyz?strict=1").status_code == 503


@pytest.mark.django_db
def test_readyz_says_when_beat_stopped_ticking(client):
    cache.set(BEAT_TICK_KEY, 1.0, timeout=60)  # 1970
    report = client.get("/readyz").json()
    assert report["checks"]["beat"]["ok"] is False


def test_readyz_is_503_without_postgres(client, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        connection.close()
        saved = connection.settings_dict["PORT"]
        connection.settings_dict["PORT"] = str(closed_port())
        try:
            response = client.get("/readyz")
        finally:
            connection.close()
            connection.settings_dict["PORT"] = saved
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
    assert "Retry-After" in response


@pytest.mark.django_db
def test_the_reaper_marks_runs_whose_worker_is_gone_and_leaves_live_ones():
    dead = SourceFactory(name="Dead worker board")
    live = SourceFactory(name="Live worker board")
    abandoned = ScrapeRun.objects.create(source=dead, status=ScrapeRun.Status.RUNNING)
    running = ScrapeRun.objects.create(source=live, status=ScrapeRun.Status.RUNNING)
    lock = pipeline._source_lock(live.pk)
    assert lock.acquire()
    try:
        assert reap_abandoned_runs.apply().get() == [abandoned.pk]
    finally:
        lock.release()
    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == ScrapeRun.Status.FAILED
    assert abandoned.finished_at is not None and "abandoned" in abandoned.message
    assert running.status == ScrapeRun.Status.RUNNING
    assert cache.get(BEAT_TICK_KEY) is not None
    dead.refresh_from_db()
    assert dead.consecutive_failures == 1


@pytest.mark.django_db
def test_the_reaper_is_on_beats_schedule():
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", verbosity=0)
    task = PeriodicTask.objects.get(task="scrapers.tasks.reap_abandoned_runs")
    assert task.enabled and task.interval is not None
