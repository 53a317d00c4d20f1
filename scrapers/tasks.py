"""Celery tasks: thin wrappers that take ids and call the pipeline and the services.

Every task is acked late and rejected back to the queue if its worker is lost
(settings.CELERY_TASK_ACKS_LATE / CELERY_TASK_REJECT_ON_WORKER_LOST), so a worker killed
mid-run loses nothing: the task comes back and the pipeline resumes its run; items are
stored one transaction each, so nothing is half written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

import redis
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction

from positions import selectors, services, words
from positions.outage import is_database_outage
from positions.signals import BrokerUnavailable
from scrapers import pipeline
from scrapers.models import ScrapeRun, Source

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, redis.exceptions.ConnectionError)


def is_transient(error: BaseException) -> bool:
    """Postgres or Redis away, or Postgres refusing writes for now (read-only: a demoted
    primary, a standby, recovery): the task waits and comes back; the data are not at fault."""
    return isinstance(error, TRANSIENT_ERRORS) or is_database_outage(error)


@shared_task(
    bind=True,
    acks_late=settings.CELERY_TASK_ACKS_LATE,
    reject_on_worker_lost=settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    max_retries=5,
)
def scrape_source(
    self: Any, source_id: int, trigger: str = ScrapeRun.Trigger.SCHEDULE
) -> dict[str, Any]:
    """Scrape one source. Skips (without retrying) when another worker is on it."""
    try:
        run = pipeline.scrape_source(source_id, trigger=trigger, task_id=self.request.id or "")
    except Source.DoesNotExist:
        logger.warning("source %s no longer exists", source_id)
        return {"source": source_id, "skipped": "no such source"}
    except pipeline.SourceBusy as busy:
        if busy.own_stale_run:
            # Our own run, redelivered after its worker died: wait for the dead lease.
            lease = int(getattr(settings, "SCRAPER_SOURCE_LOCK_SECONDS", 300))
            raise self.retry(exc=busy, countdown=max(1, lease // 2)) from busy
        logger.info("source %s skipped: %s", source_id, busy)
        return {"source": source_id, "skipped": str(busy)}
    except SoftTimeLimitExceeded:
        logger.error("source %s hit the soft time limit; its run is marked failed", source_id)
        return {"source": source_id, "status": "failed", "reason": "time limit"}
    except (DatabaseError, redis.exceptions.ConnectionError) as error:
        if not is_transient(error):
            raise
        # Postgres or Redis away (or Postgres read-only): the same task (same id) comes back later and resumes its
        # run; the wait doubles each time (30 s, 1, 2, 4, 8 min by default).
        raise self.retry(exc=error, countdown=retry_countdown(self.request.retries)) from error
    if run.created or run.updated or run.closed:
        after_positions_changed()
    return {"source": source_id, "run": run.pk, "status": run.status}


def retry_countdown(retries: int) -> float:
    base = float(getattr(settings, "SCRAPER_TASK_RETRY_SECONDS", 30.0))
    return float(min(600.0, base * 2**retries))


def after_positions_changed() -> None:
    """Merge the new rows' pending entries into the full-text indexes (every search reads
    what is still pending), then refill the landing page's counts. A failure here fails no
    scrape: Postgres merges the entries itself later, and the next visitor computes the
    counts."""
    try:
        services.positions_clean_search_indexes()
    except DatabaseError:
        logger.exception("merging the search indexes' pending entries failed")
    try:
        words.search_words_refresh()  # the vocabulary typo-tolerant search corrects from
    except DatabaseError:
        logger.exception("refreshing the search vocabulary failed")
    try:
        selectors.search_warm_landing()
    except Exception:
        logger.exception("warming the search counts failed")


@shared_task(
    acks_late=settings.CELERY_TASK_ACKS_LATE,
    reject_on_worker_lost=settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    time_limit=120,
    soft_time_limit=100,
)
def start_due_sources() -> list[int]:
    """Beat calls this often; it queues each source whose next_scrape_at has come.

    The claim locks the source rows (SKIP LOCKED) and moves next_scrape_at on in the same
    transaction, and the tasks are queued only once it commits: a second beat, or a
    second call, finds nothing left to claim.
    """
    with transaction.atomic():
        source_ids = pipeline.sources_claim_due()
        for source_id in source_ids:
            transaction.on_commit(
                partial(scrape_source.delay, source_id, ScrapeRun.Trigger.SCHEDULE)
            )
    if source_ids:
        logger.info("queued %d due sources: %s", len(source_ids), source_ids)
    return source_ids


@shared_task(
    bind=True,
    acks_late=settings.CELERY_TASK_ACKS_LATE,
    reject_on_worker_lost=settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    time_limit=1800,
    soft_time_limit=1700,
    max_retries=3,
)
def close_expired_positions(self: Any) -> dict[str, int]:
    """Daily: close positions whose deadline has passed, and positions that no source has
    listed for settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS successful runs."""
    try:
        expired = services.positions_close_expired()
        unlisted = services.positions_close_unlisted()
    except DatabaseError as error:
        if is_transient(error):
            raise self.retry(exc=error, countdown=300) from error
        logger.exception("closing positions failed")
        raise
    if expired or unlisted:
        after_positions_changed()
    return {"expired": expired, "unlisted": unlisted}


def sources_enqueue_scrape(source_ids: Iterable[int], **_signal: Any) -> None:
    """Queue a manual run of each source once the current transaction commits (also the
    receiver of positions' `rescrape_requested`, connected in scrapers/apps.py). With the
    broker away, BrokerUnavailable comes out of the commit, saying what was not queued."""
    transaction.on_commit(partial(_publish_scrapes, sorted(set(source_ids))))


def _publish_scrapes(source_ids: list[int]) -> list[int]:
    import kombu.exceptions

    for index, source_id in enumerate(source_ids):
        try:
            scrape_source.delay(source_id, trigger="manual")
        except (kombu.exceptions.OperationalError, redis.exceptions.RedisError, OSError) as error:
            # Celery has retried the publish briefly; the admin says what was not queued.
            logger.error("could not queue a scrape of source %s: %s", source_id, error)
            raise BrokerUnavailable(
                queued=source_ids[:index], missing=source_ids[index:], error=error
            ) from error
    return source_ids


def source_scrape_now(*, sources: Iterable[Source]) -> list[int]:
    """The admin's *Scrape now*: queue a run of each of these sources (nothing to commit
    first); raises BrokerUnavailable when the broker is away."""
    return _publish_scrapes(sorted({source.pk for source in sources}))


@shared_task(
    bind=True,
    acks_late=settings.CELERY_TASK_ACKS_LATE,
    reject_on_worker_lost=settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    time_limit=120,
    soft_time_limit=100,
    max_retries=0,
)
def reap_abandoned_runs(self: Any) -> list[int]:
    """Beat calls this every two minutes: runs left 'running' by a dead worker are marked
    failed (pipeline.runs_reap_abandoned). It also records beat's last tick for /readyz."""
    from positions.health import record_beat_tick

    record_beat_tick()
    try:
        return pipeline.runs_reap_abandoned()
    except (DatabaseError, redis.exceptions.ConnectionError) as error:
        if not is_transient(error):
            raise
        logger.warning("the reaper could not run: %s", error)  # the next tick tries again
        return []
