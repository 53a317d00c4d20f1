from django.db import migrations


def create_periodic_tasks(apps, schema_editor):
    from scrapers.schedules import ensure_periodic_tasks

    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    """Adds the abandoned-run reaper to beat's schedule (issue 23)."""

    dependencies = [("scrapers", "0003_scraping_models")]

    operations = [migrations.RunPython(create_periodic_tasks, migrations.RunPython.noop)]
