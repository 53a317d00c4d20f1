"""Create or update the periodic jobs (beat's schedule) from scrapers/schedules.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from scrapers.schedules import ensure_periodic_tasks


class Command(BaseCommand):
    help = "Declare the periodic jobs in django-celery-beat (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ensure_periodic_tasks(IntervalSchedule, CrontabSchedule, PeriodicTask):
            self.stdout.write(f"Scheduled: {name}")
