"""Beat's schedule has the alert jobs, and each names a task Celery knows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from config.celery import app


@pytest.mark.django_db
def test_alert_jobs_are_scheduled_and_registered():
    call_command("setup_schedules", verbosity=0)
    tasks = set(
        PeriodicTask.objects.filter(task__startswith="alerts.").values_list("task", flat=True)
    )
    assert tasks == {
        "alerts.tasks.send_daily_digests",
        "alerts.tasks.send_weekly_digests",
        "alerts.tasks.retry_failed_mail",
        "alerts.tasks.send_reminders",
    }
    app.loader.import_default_modules()
    assert tasks <= set(app.tasks)
