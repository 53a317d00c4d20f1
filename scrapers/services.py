"""Every write to scraping's own data: runs, their errors, sources' schedules and health.

The pipeline (scrapers/pipeline.py) calls these as it goes; queueing runs (the admin's
*Scrape now*, the positions' *Re-scrape now*) is in scrapers/tasks.py. Writes to positions
go through `positions.services` only.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mail_admins
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from scrapers import fetch
from scrapers.models import ScrapeError, ScrapeRun, Source

logger = logging.getLogger(__name__)

MAX_ERROR_MESSAGE = 2000


class SourceBusy(Exception):
    """Another worker is scraping this source right now."""

    def __init__(self, message: str, *, own_stale_run: bool = False):
        super().__init__(message)
        # True when the running run belongs to this very task (redelivered after its
        # worker died) and only the dead worker's lock lease has yet to expire.
        self.own_stale_run = own_stale_run


# --- Runs ----------------------------------------------------------------------------------
def run_begin(source: Source, trigger: str, task_id: str) -> ScrapeRun:
    """A new running ScrapeRun for `source`; a run left running by a lost worker is resumed
    (same task) or closed as failed. Raises SourceBusy when one is genuinely running."""
    with transaction.atomic():
        stale = (
            ScrapeRun.objects.select_for_update()
            .filter(source=source, status=ScrapeRun.Status.RUNNING)
            .first()
        )
        if stale is not None:
            # We hold the source lock, so whoever left this run 'running' is gone.
            if task_id and stale.task_id == task_id:
                stale.errors.all().delete()
                for name in ("pages_fetched", "found", "created", "updated", "unchanged"):
                    setattr(stale, name, 0)
                stale.failed = stale.closed = 0
                stale.message = "resumed after the worker running it was lost"
                stale.save()
                return stale
            stale.status = ScrapeRun.Status.FAILED
            stale.finished_at = timezone.now()
            stale.message = (
                stale.message + "\n" if stale.message else ""
            ) + "abandoned: the worker running it stopped; a later run took over"
            stale.save(update_fields=["status", "finished_at", "message"])
        try:
            with transaction.atomic():
                return ScrapeRun.objects.create(
                    source=source, trigger=trigger, task_id=task_id, status=ScrapeRun.Status.RUNNING
                )
        except IntegrityError as error:
            raise SourceBusy(f"{source.name} is already being scraped") from error


def run_record_error(run: ScrapeRun, url: str, stage: str, error: BaseException | str) -> None:
    message = str(error) if str(error) else type(error).__name__
    if isinstance(error, BaseException) and not isinstance(error, fetch.FetchError):
        message = f"{type(error).__name__}: {message}"
    ScrapeError.objects.create(
        run=run, url=url[:2000], stage=stage, message=message[:MAX_ERROR_MESSAGE]
    )


def run_save_counts(run: ScrapeRun) -> None:
    ScrapeRun.objects.filter(pk=run.pk).update(
        pages_fetched=run.pages_fetched,
        found=run.found,
        created=run.created,
        updated=run.updated,
        unchanged=run.unchanged,
        failed=run.failed,
        closed=run.closed,
    )


def run_finish(run: ScrapeRun, source: Source, status: str, message: str = "") -> None:
    run.status = status
    run.finished_at = timezone.now()
    if message:
        run.message = (run.message + "\n" if run.message else "") + message
    run.save()
    # Health, failure count and the admins' alert when a source breaks.
    try:
        source_check_health(source=source, run=run)
    except ValidationError as error:
        # A source row that no longer validates (say, its adapter was removed) still
        # gets its failure counted.
        logger.warning("source %s does not validate: %s", source.pk, error)
        succeeded = status != ScrapeRun.Status.FAILED
        Source.objects.filter(pk=source.pk).update(
            last_run_at=run.finished_at,
            consecutive_failures=0 if succeeded else F("consecutive_failures") + 1,
            **({"last_success_at": run.finished_at} if succeeded else {}),
        )


# --- Scheduling ----------------------------------------------------------------------------
def sources_claim_due(*, now: dt.datetime | None = None) -> list[int]:
    """Claim the enabled sources whose next_scrape_at has come, and move it on by their
    interval. Must run inside a transaction: rows another beat has locked are skipped, so
    two beats (or two calls) never claim one source twice."""
    now = now or timezone.now()
    due = list(
        Source.objects.select_for_update(skip_locked=True)
        .filter(enabled=True)
        .filter(Q(next_scrape_at__lte=now) | Q(next_scrape_at__isnull=True))
        .order_by("next_scrape_at", "id")
    )
    for source in due:
        source.next_scrape_at = now + source.scrape_interval
        source.save(update_fields=["next_scrape_at"])
    return [source.pk for source in due]


# --- Source health -------------------------------------------------------------------------
def _alert_admins(source: Source, problem: str, run: ScrapeRun) -> None:
    admin_url = f"{settings.SITE_URL}/{settings.ADMIN_URL}scrapers/source/{source.pk}/change/"
    body = (
        f"The source {source.name!r} ({source.start_url}) {problem}.\n\n"
        f"Last run: #{run.pk} started {run.started_at:%Y-%m-%d %H:%M %Z}, status {run.status}, "
        f"{run.found} found, {run.failed} failed.\n"
        f"{run.message}\n\nThe source in the admin: {admin_url}\n"
        "You get this message once per incident; the next one comes after the source has "
        "recovered and broken again."
    )
    mail_admins(f"Source {source.name} {problem}", body, fail_silently=True)


@transaction.atomic
def source_check_health(*, source: Source, run: ScrapeRun) -> Source:
    """Update a source's health after a run and tell the admins when it breaks.

    A source is `failing` after SOURCE_FAILURES_BEFORE_ALERT failed runs in a row, and
    `empty` when a run succeeded but found nothing although earlier runs found positions.
    The e-mail goes out when the source leaves `ok` (once per incident), not on every run.
    """
    source = Source.objects.select_for_update().get(pk=source.pk)
    run.refresh_from_db()
    before = source.health
    source.last_run_at = run.finished_at or timezone.now()
    if run.status == ScrapeRun.Status.FAILED:
        source.consecutive_failures += 1
        if source.consecutive_failures >= settings.SOURCE_FAILURES_BEFORE_ALERT:
            source.health = Source.Health.FAILING
    elif run.status in (ScrapeRun.Status.SUCCEEDED, ScrapeRun.Status.PARTIAL):
        source.consecutive_failures = 0
        source.last_success_at = source.last_run_at
        if run.found > 0:
            source.health = Source.Health.OK
        else:
            yielded_before = (
                ScrapeRun.objects.filter(source=source, found__gt=0).exclude(pk=run.pk).exists()
            )
            source.health = Source.Health.EMPTY if yielded_before else Source.Health.OK
    source.full_clean()
    source.save(update_fields=["health", "consecutive_failures", "last_run_at", "last_success_at"])
    if before == Source.Health.OK and source.health != Source.Health.OK:
        problem = (
            f"failed {source.consecutive_failures} runs in a row"
            if source.health == Source.Health.FAILING
            else "yields no positions although it used to"
        )
        logger.warning("source %s: %s", source.name, problem)
        transaction.on_commit(lambda: _alert_admins(source, problem, run))
    return source
