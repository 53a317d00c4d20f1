"""The periodic jobs, declared in one place (django-celery-beat's DatabaseScheduler reads
them from the database). `ensure_periodic_tasks` is idempotent: the data migration and
`manage.py setup_schedules` both call it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: dict[str, str] | None = None
    description: str = ""


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(
        name="Start the sources that are due",
        task="scrapers.tasks.start_due_sources",
        every_seconds=300,
        description="Queues a scrape of every enabled source whose next_scrape_at has come.",
    ),
    PeriodicJob(
        name="Mark abandoned scrape runs",
        task="scrapers.tasks.reap_abandoned_runs",
        every_seconds=120,
        description="A run left 'running' by a worker that died (its source lock is free) "
        "is marked failed. Its tick also tells /readyz that beat is alive.",
    ),
    PeriodicJob(
        name="Close expired and unlisted positions",
        task="scrapers.tasks.close_expired_positions",
        crontab={"minute": "30", "hour": "3"},
        description="Daily: deadline passed, or no longer listed for N successful runs.",
    ),
    # E-mail alerts (alerts/tasks.py): after the night's scrapes and closing.
    PeriodicJob(
        name="Send daily alert digests",
        task="alerts.tasks.send_daily_digests",
        crontab={"minute": "0", "hour": "6"},
        description="Saved searches (daily): positions new or reopened since the last digest.",
    ),
    PeriodicJob(
        name="Send weekly alert digests",
        task="alerts.tasks.send_weekly_digests",
        crontab={"minute": "15", "hour": "6", "day_of_week": "1"},
        description="Saved searches (weekly, Mondays).",
    ),
    PeriodicJob(
        name="Retry alert mails the mail server refused",
        task="alerts.tasks.retry_failed_mail",
        every_seconds=600,
        description="Failed digests and reminders whose backoff has passed, sent once each.",
    ),
    PeriodicJob(
        name="Send shortlist reminders",
        task="alerts.tasks.send_reminders",
        crontab={"minute": "30", "hour": "6"},
        description="14 and 3 days before a deadline; a changed deadline; a filled position.",
    ),
)


def ensure_periodic_tasks(
    interval_model: Any, crontab_model: Any, periodic_task_model: Any
) -> list[str]:
    """Create or update each job's schedule and PeriodicTask row. Returns the names."""
    names = []
    for job in PERIODIC_JOBS:
        schedule: dict[str, Any]
        if job.every_seconds is not None:
            interval, _ = interval_model.objects.get_or_create(
                every=job.every_seconds, period="seconds"
            )
            schedule = {"interval": interval, "crontab": None}
        else:
            assert job.crontab is not None
            crontab, _ = crontab_model.objects.get_or_create(
                minute=job.crontab.get("minute", "*"),
                hour=job.crontab.get("hour", "*"),
                day_of_week=job.crontab.get("day_of_week", "*"),
                day_of_month=job.crontab.get("day_of_month", "*"),
                month_of_year=job.crontab.get("month_of_year", "*"),
                timezone="UTC",
            )
            schedule = {"interval": None, "crontab": crontab}
        periodic_task_model.objects.update_or_create(
            name=job.name,
            defaults={
                "task": job.task,
                "args": json.dumps([]),
                "kwargs": json.dumps({}),
                "description": job.description,
                "enabled": True,
                **schedule,
            },
        )
        names.append(job.name)
    return names
