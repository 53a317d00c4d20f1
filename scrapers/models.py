"""What scraping owns: the sources it reads, the runs it makes, the items that failed, and
the institution registry.

The tables keep the names they had when these models lived in `positions` (db_table), so
moving them here rewrote nothing (scrapers/migrations/0003_scraping_models). A position's
Listing points at its Source; `positions` refers to it by name only ("scrapers.Source").

RegistryInstitution is what `manage.py load_institutions` writes. The normaliser reads the
same rows from its in-memory index (scrapers.normalize.registry), so extraction stays pure;
this table is for the admin, the API and SQL (trigram search by name, lookup by domain).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from positions.models import FastDeferredLoading, enum_check
from scrapers import adapter_choices


class SourceHealth(models.TextChoices):
    OK = "ok", "OK"
    EMPTY = "empty", "Yields nothing"
    FAILING = "failing", "Failing"


class Source(FastDeferredLoading):
    Health = SourceHealth
    name = models.CharField(max_length=200, unique=True)
    start_url = models.URLField(max_length=2000)
    adapter = models.CharField(
        max_length=50, choices=adapter_choices, help_text="Name in the scrapers registry"
    )
    options = models.JSONField(default=dict, blank=True, help_text="Adapter options")
    enabled = models.BooleanField(default=True)
    auto_publish = models.BooleanField(
        default=True, help_text="Publish new positions at once instead of queueing for review"
    )
    # Auto-publish trusts a source, not a thin advert: a new position that states fewer of
    # the facts a student needs goes to review (positions.services reads it by name).
    review_below_completeness = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=(
            "With auto publish on, new positions less complete than this (0-100 %) still go "
            "to review. Empty: the site's AUTO_PUBLISH_MIN_COMPLETENESS."
        ),
    )
    # Schedule: the beat task starts a source when next_scrape_at has passed.
    scrape_interval = models.DurationField(default=dt.timedelta(hours=24))
    next_scrape_at = models.DateTimeField(null=True, blank=True)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source",
    )
    # Politeness.
    min_delay_seconds = models.FloatField(default=2.0)
    max_pages = models.PositiveIntegerField(default=200)
    # Health.
    health = models.CharField(max_length=10, choices=Health.choices, default=Health.OK)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "positions_source"
        ordering = ["name"]
        constraints = [
            enum_check("source", "health", SourceHealth),
            models.CheckConstraint(
                condition=Q(min_delay_seconds__gte=0), name="source_delay_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScrapeRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    PARTIAL = "partial", "Succeeded with item errors"
    FAILED = "failed", "Failed"


class ScrapeRunTrigger(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    MANUAL = "manual", "Admin"
    COMMAND = "command", "Command line"


class ScrapeRun(models.Model):
    Status = ScrapeRunStatus
    Trigger = ScrapeRunTrigger
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages_fetched = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    task_id = models.CharField(max_length=255, blank=True)
    # Results pages: entries kept and dropped (doctoral or not, other hosts), why, samples.
    listing_decisions = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "positions_scraperun"
        ordering = ["-started_at"]
        constraints = [
            enum_check("scraperun", "status", ScrapeRunStatus),
            enum_check("scraperun", "trigger", ScrapeRunTrigger),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(status="running"),
                name="scraperun_one_running_per_source",
            ),
        ]
        indexes = [models.Index(fields=["source", "-started_at"], name="scraperun_source_recent")]

    def __str__(self) -> str:
        return f"{self.source} @ {self.started_at:%Y-%m-%d %H:%M}"


class ScrapeErrorStage(models.TextChoices):
    FETCH = "fetch", "Fetch"
    PARSE = "parse", "Parse"
    NORMALIZE = "normalize", "Normalise"
    STORE = "store", "Store"


class ScrapeError(models.Model):
    """One item that failed on a run: the rest of the run goes on."""

    Stage = ScrapeErrorStage
    run = models.ForeignKey(ScrapeRun, on_delete=models.CASCADE, related_name="errors")
    url = models.URLField(max_length=2000, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "positions_scrapeerror"
        ordering = ["id"]
        constraints = [enum_check("scrapeerror", "stage", ScrapeErrorStage)]

    def __str__(self) -> str:
        return f"{self.stage}: {self.url}"


class RegistryInstitution(models.Model):
    """One row of the institution registry (not the institutions positions link to:
    positions.Institution holds those)."""

    name = models.CharField(max_length=200)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    source = models.CharField(
        max_length=20, help_text="'table' (curated) or 'swot' (the academic-domain list)"
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["domains"], name="registry_domains_gin"),
            GinIndex(fields=["name"], name="registry_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name
