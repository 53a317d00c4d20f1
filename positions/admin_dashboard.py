"""The admin's home page: what needs a careers office's attention today, each figure a link
into the list that shows it (the review queue, positions closing this week, sources failing
or silent, the last runs).

`positions` imports nothing of scraping: sources and runs are looked up by model name, and
the conditions that define a source needing attention live here so that the Sources list's
filter (scrapers/admin_filters.py) and this page count the same rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .curation import review_queue_condition
from .models import Listing, Position

# The kinds of trouble a source is in, as the Sources list's "attention" filter names them.
ATTENTION_CHOICES = [
    ("failing", "Failing (runs keep failing)"),
    ("last_failed", "Last run failed"),
    ("silent", "Silent (no new listing lately)"),
    ("any", "Any of these"),
]
DASHBOARD_LABELS = {
    "failing": "sources failing",
    "last_failed": "sources whose last run failed",
    "silent": "sources silent",
}


def _source_model() -> Any:
    return apps.get_model("scrapers", "Source")


def _run_model() -> Any:
    return apps.get_model("scrapers", "ScrapeRun")


def source_attention_condition(kind: str) -> Q:
    """Sources in trouble of one kind ("failing", "last_failed", "silent", "any").

    Silent: enabled, older than SOURCE_SILENT_DAYS, and no listing first seen in that time
    (a source that "succeeds" yet finds nothing new has often lost its layout), or already
    flagged as yielding nothing by the health check.
    """
    now = timezone.now()
    since = now - dt.timedelta(days=settings.SOURCE_SILENT_DAYS)
    recent_listing = Listing.objects.filter(source=OuterRef("pk"), first_seen__gte=since)
    silent_recently = Q(created_at__lt=since) & ~Q(Exists(recent_listing))
    conditions: dict[str, Q] = {
        "failing": Q(health="failing"),
        "last_failed": Q(pk__in=_latest_run_failed_ids()),
        "silent": Q(enabled=True) & (Q(health="empty") | silent_recently),
    }
    if kind == "any":
        return conditions["failing"] | conditions["last_failed"] | conditions["silent"]
    return conditions[kind]


def _latest_run_failed_ids() -> QuerySet[Any]:
    """Ids of the sources whose latest run failed."""
    latest_status = Subquery(
        _run_model()
        .objects.filter(source=OuterRef("pk"))
        .order_by("-started_at")
        .values("status")[:1]
    )
    ids: QuerySet[Any] = (
        _source_model()
        .objects.annotate(latest_status=latest_status)
        .filter(latest_status="failed")
        .values("pk")
    )
    return ids


@dataclass
class Figure:
    label: str
    count: int
    url: str
    warn: bool = False


def _changelist(name: str, query: str = "") -> str:
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{query}" if query else url


def dashboard_context(request: HttpRequest) -> dict[str, Any]:
    """What the index page shows, for a user who may see each part."""
    user = request.user
    context: dict[str, Any] = {"dashboard": True}
    if user.has_perm("positions.view_position"):
        queue = Position.objects.filter(review_queue_condition()).count()
        today = timezone.localdate()
        closing = Position.objects.filter(
            status=Position.Status.OPEN,
            moderation=Position.Moderation.PUBLISHED,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(7),
        ).count()
        context["position_figures"] = [
            Figure(
                "waiting for review", queue, _changelist("positions_reviewqueueposition"), queue > 0
            ),
            Figure(
                "published positions closing this week",
                closing,
                _changelist(
                    "positions_position",
                    "status__exact=open&moderation__exact=published&deadline_window=next7",
                ),
            ),
        ]
    if user.has_perm("scrapers.view_source"):
        context.update(_source_context())
    return context


def _source_context() -> dict[str, Any]:
    source = _source_model()
    figures = [
        Figure(
            label,
            source.objects.filter(source_attention_condition(kind)).count(),
            _changelist("scrapers_source", f"attention={kind}"),
        )
        for kind, label in DASHBOARD_LABELS.items()
    ]
    for figure in figures:
        figure.warn = figure.count > 0
    troubled = list(
        source.objects.filter(source_attention_condition("any"))
        .annotate(last_listing=Max("listings__first_seen"))
        .order_by("name")[:8]
    )
    runs = list(_run_model().objects.select_related("source").order_by("-started_at")[:8])
    return {
        "source_figures": figures,
        "troubled_sources": troubled,
        "last_runs": runs,
        "silent_days": settings.SOURCE_SILENT_DAYS,
        "runs_url": _changelist("scrapers_scraperun"),
        "failed_runs_url": _changelist("scrapers_scraperun", "status__exact=failed"),
        "sources_url": _changelist("scrapers_source"),
    }
