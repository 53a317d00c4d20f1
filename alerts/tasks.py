"""Celery tasks: the digests (daily, weekly), the shortlist reminders and the retries.

Scheduled by beat (scrapers/schedules.py, created by migration alerts 0004). A mail server
that is down makes a task retry itself with exponential backoff (1, 2, 4 ... minutes, up to
ALERTS_SEND_RETRIES times); what it sent before stays sent and is never sent again, and the
periodic retry task picks up what the server refused once its own backoff has passed.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.conf import settings

from . import digests, reminders
from .sending import MailServerDown

logger = logging.getLogger("alerts.tasks")


def _retry(task: Any, error: Exception) -> Any:
    countdown = settings.ALERTS_RETRY_BACKOFF_SECONDS * 2**task.request.retries
    logger.warning("mail server away (%s); retrying in %d s", type(error).__name__, countdown)
    return task.retry(exc=error, countdown=countdown, max_retries=settings.ALERTS_SEND_RETRIES)


@shared_task(bind=True, acks_late=True)
def send_daily_digests(self: Any) -> dict[str, Any]:
    try:
        return asdict(digests.send_digests("daily"))
    except MailServerDown as error:
        raise _retry(self, error) from error


@shared_task(bind=True, acks_late=True)
def send_weekly_digests(self: Any) -> dict[str, Any]:
    try:
        return asdict(digests.send_digests("weekly"))
    except MailServerDown as error:
        raise _retry(self, error) from error


@shared_task(bind=True, acks_late=True)
def send_reminders(self: Any) -> dict[str, int]:
    try:
        return reminders.send_reminders()
    except MailServerDown as error:
        raise _retry(self, error) from error


@shared_task(acks_late=True)
def retry_failed_mail() -> dict[str, int]:
    """The periodic sweep: due failed digests and reminders (the next sweep tries again if
    the server is still away)."""
    return {"digests": digests.retry_digests().sent, "reminders": reminders.retry_reminders()}
