"""Source, ScrapeRun and ScrapeError move from positions to scrapers, in the state only.

Their tables keep their names (db_table): nothing in the database is created, altered or
rewritten. positions/migrations/0017 points Listing and PositionChange at the moved models
and drops the old ones from the positions state. The content types (and so the admins'
permissions and the admin log) follow the models to the scrapers app.
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import scrapers

MOVED = ("source", "scraperun", "scrapeerror")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="scrapers", model=model).exists():
            ContentType.objects.filter(app_label="positions", model=model).update(
                app_label="scrapers"
            )


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="positions", model=model).exists():
            ContentType.objects.filter(app_label="scrapers", model=model).update(
                app_label="positions"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("positions", "0015_scraperun_listing_decisions"),
        ("scrapers", "0002_institution_registry"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Source',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('start_url', models.URLField(max_length=2000)),
                        ('adapter', models.CharField(choices=scrapers.adapter_choices, help_text='Name in the scrapers registry', max_length=50)),
                        ('options', models.JSONField(blank=True, default=dict, help_text='Adapter options')),
                        ('enabled', models.BooleanField(default=True)),
                        ('auto_publish', models.BooleanField(default=True, help_text='Publish new positions at once instead of queueing for review')),
                        ('scrape_interval', models.DurationField(default=datetime.timedelta(days=1))),
                        ('next_scrape_at', models.DateTimeField(blank=True, null=True)),
                        ('min_delay_seconds', models.FloatField(default=2.0)),
                        ('max_pages', models.PositiveIntegerField(default=200)),
                        ('health', models.CharField(choices=[('ok', 'OK'), ('empty', 'Yields nothing'), ('failing', 'Failing')], default='ok', max_length=10)),
                        ('consecutive_failures', models.PositiveIntegerField(default=0)),
                        ('last_run_at', models.DateTimeField(blank=True, null=True)),
                        ('last_success_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('periodic_task', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='source', to='django_celery_beat.periodictask')),
                    ],
                    options={
                        'db_table': 'positions_source',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ScrapeRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('trigger', models.CharField(choices=[('schedule', 'Schedule'), ('manual', 'Admin'), ('command', 'Command line')], default='schedule', max_length=10)),
                        ('status', models.CharField(choices=[('running', 'Running'), ('succeeded', 'Succeeded'), ('partial', 'Succeeded with item errors'), ('failed', 'Failed')], default='running', max_length=10)),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('pages_fetched', models.PositiveIntegerField(default=0)),
                        ('found', models.PositiveIntegerField(default=0)),
                        ('created', models.PositiveIntegerField(default=0)),
                        ('updated', models.PositiveIntegerField(default=0)),
                        ('unchanged', models.PositiveIntegerField(default=0)),
                        ('failed', models.PositiveIntegerField(default=0)),
                        ('closed', models.PositiveIntegerField(default=0)),
                        ('message', models.TextField(blank=True)),
                        ('task_id', models.CharField(blank=True, max_length=255)),
                        ('listing_decisions', models.JSONField(blank=True, default=dict)),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='scrapers.source')),
                    ],
                    options={
                        'db_table': 'positions_scraperun',
                        'ordering': ['-started_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ScrapeError',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(blank=True, max_length=2000)),
                        ('stage', models.CharField(choices=[('fetch', 'Fetch'), ('parse', 'Parse'), ('normalize', 'Normalise'), ('store', 'Store')], max_length=10)),
                        ('message', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='errors', to='scrapers.scraperun')),
                    ],
                    options={
                        'db_table': 'positions_scrapeerror',
                        'ordering': ['id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('stage__in', ['fetch', 'parse', 'normalize', 'store'])), name='scrapeerror_stage_valid')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='source',
                    constraint=models.CheckConstraint(condition=models.Q(('health__in', ['ok', 'empty', 'failing'])), name='source_health_valid'),
                ),
                migrations.AddConstraint(
                    model_name='source',
                    constraint=models.CheckConstraint(condition=models.Q(('min_delay_seconds__gte', 0)), name='source_delay_gte_0'),
                ),
                migrations.AddIndex(
                    model_name='scraperun',
                    index=models.Index(fields=['source', '-started_at'], name='scraperun_source_recent'),
                ),
                migrations.AddConstraint(
                    model_name='scraperun',
                    constraint=models.CheckConstraint(condition=models.Q(('status__in', ['running', 'succeeded', 'partial', 'failed'])), name='scraperun_status_valid'),
                ),
                migrations.AddConstraint(
                    model_name='scraperun',
                    constraint=models.CheckConstraint(condition=models.Q(('trigger__in', ['schedule', 'manual', 'command'])), name='scraperun_trigger_valid'),
                ),
                migrations.AddConstraint(
                    model_name='scraperun',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'running')), fields=('source',), name='scraperun_one_running_per_source'),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
