"""Liveness and readiness for load balancers, compose and `./dev status` (issue 23).

/healthz answers "ok" without touching anything: the process is alive. /readyz checks each
dependency with its own short timeout and reports each with its latency:

- database: SELECT 1 on Postgres (the site cannot serve without it: 503 when it fails);
- cache: a PING to the Redis cache (without it pages are served uncached: degraded);
- broker: a connection to Celery's broker (without it nothing is queued: degraded);
- beat: the age of beat's last tick (the reaper task records it; django-celery-beat's
  last_run_at too): stale after BEAT_STALE_SECONDS (degraded: no scheduled scrapes).

The answer is 503 only when the site cannot serve (the database), so a Redis outage does
not take every web host out of the load balancer at once; `?strict=1` makes any failed
check a 503, for health checks of a worker's dependencies.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

BEAT_TICK_KEY = "health:beat-tick"
BEAT_STALE_SECONDS = 600
REQUIRED = ("database",)


def record_beat_tick() -> None:
    cache.set(BEAT_TICK_KEY, time.time(), timeout=None)


def _timed(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check() or {}
        result: dict[str, Any] = {"ok": detail.pop("ok", True), **detail}
    except Exception as error:
        message = " ".join(str(error).split())
        result = {"ok": False, "error": f"{type(error).__name__}: {message}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> dict[str, Any] | None:
    import redis

    from config.cache import outage

    location: Any = settings.CACHES["default"].get("LOCATION", "")
    client = redis.Redis.from_url(
        str(location if isinstance(location, str) else location[0]),
        socket_connect_timeout=1,
        socket_timeout=1,
    )
    try:
        client.ping()
    finally:
        client.close()
    return None if not outage.errors else {"errors_since_start": outage.errors}


def _broker() -> None:
    from config.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=1)


def _beat() -> dict[str, Any]:
    from django_celery_beat.models import PeriodicTask

    ticks = [cache.get(BEAT_TICK_KEY)]
    last_run = PeriodicTask.objects.filter(enabled=True).order_by("-last_run_at")
    latest = last_run.values_list("last_run_at", flat=True).first()
    if latest is not None:
        ticks.append(latest.timestamp())
    known = [tick for tick in ticks if tick]
    if not known:
        return {"ok": False, "error": "beat has not ticked yet"}
    age = time.time() - max(known)
    last = dt.datetime.fromtimestamp(max(known), tz=dt.UTC)
    return {
        "ok": age < BEAT_STALE_SECONDS,
        "last_tick": timezone.localtime(last).isoformat(timespec="seconds"),
        "age_seconds": round(age),
    }


CHECKS: dict[str, Callable[[], Any]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "beat": _beat,
}


def readiness() -> dict[str, Any]:
    checks = {name: _timed(check) for name, check in CHECKS.items()}
    ready = all(checks[name]["ok"] for name in REQUIRED)
    degraded = [name for name, result in checks.items() if not result["ok"]]
    status = "ready" if not degraded else ("degraded" if ready else "unavailable")
    return {"status": status, "ready": ready, "checks": checks}


def readyz(request: HttpRequest) -> JsonResponse:
    report = readiness()
    strict = request.GET.get("strict") in {"1", "true", "yes"}
    failing = not report["ready"] or (strict and report["status"] != "ready")
    response = JsonResponse(report, status=503 if failing else 200)
    response["Cache-Control"] = "no-store"
    if failing:
        response["Retry-After"] = "10"
    return response
