from django.db import migrations


def create_periodic_tasks(apps, schema_editor):
    from scrapers.schedules import ensure_periodic_tasks

    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    """Adds the alert digests, their retries and the shortlist reminders to beat's schedule
    (scrapers/schedules.py declares every periodic job)."""

    dependencies = [
        ("alerts", "0003_position_events_trigger"),
        ("scrapers", "0004_reaper_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_tasks, migrations.RunPython.noop)]
