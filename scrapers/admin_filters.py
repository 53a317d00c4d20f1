"""List filters and columns of the Sources list (scrapers/admin.py), kept apart so the
source admin itself stays about adding, testing and scraping sources."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from positions.admin_dashboard import ATTENTION_CHOICES, source_attention_condition
from positions.services import auto_publish_threshold

from .models import Source

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class SourceRunAnnotations(TypedDict):
    listings_total: int
    last_run_status: str | None
    last_run_found: int | None
    last_run_created: int | None
    last_run_updated: int | None
    last_run_failed: int | None
    last_run_started: dt.datetime | None


class SourceAttentionFilter(admin.SimpleListFilter):
    """Failing, last run failed, silent: the same rule as the dashboard's counts."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return ATTENTION_CHOICES

    def queryset(self, request: HttpRequest, queryset: QuerySet[Source]) -> QuerySet[Source]:
        if self.value() in dict(ATTENTION_CHOICES):
            return queryset.filter(source_attention_condition(str(self.value())))
        return queryset


class SourceColumns:
    """The Sources list's compact columns: readable at 1366 px with the filters beside."""

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # The navigation sidebar would take a quarter of a 1366 px screen from the table;
        # the breadcrumbs and the home page lead everywhere it does.
        context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, context)  # type: ignore[misc]

    @admin.display(description="source", ordering="name")
    def name_and_host(self, source: Source) -> str:
        host = urlsplit(source.start_url).hostname or ""
        return format_html(
            '<strong>{}</strong><br><span class="source-host">{} · {}</span>',
            source.name,
            host.removeprefix("www."),
            source.adapter,
        )

    @admin.display(description="publishing", ordering="auto_publish")
    def publishing(self, source: Source) -> str:
        if not source.enabled:
            return format_html('<span class="muted">{}</span>', "disabled")
        if not source.auto_publish:
            return "review all"
        threshold = auto_publish_threshold(source)
        return format_html("auto · review &lt; {}%", threshold) if threshold else "auto"

    @admin.display(description="health", ordering="health")
    def health_flag(self, source: Source) -> str:
        return format_html(
            '<strong class="health-{}">{}</strong>', source.health, source.get_health_display()
        )

    @admin.display(description="last run", ordering="last_run_at")
    def last_run(self, source: WithAnnotations[Source, SourceRunAnnotations]) -> str:
        if not getattr(source, "last_run_status", None):
            return "never"
        return format_html(
            '<span class="run-{}">{}</span> {}<br><span class="source-host">'
            "{} found · {} new · {} updated · {} failed</span>",
            source.last_run_status,
            source.last_run_status,
            f"{source.last_run_started:%d %b %H:%M}",
            source.last_run_found,
            source.last_run_created,
            source.last_run_updated,
            source.last_run_failed,
        )

    @admin.display(description="listings", ordering="listings_total")
    def listing_count(self, source: WithAnnotations[Source, SourceRunAnnotations]) -> int:
        return source.listings_total

    @admin.display(description="next scrape", ordering="next_scrape_at")
    def next_scrape(self, source: Source) -> str:
        return f"{source.next_scrape_at:%d %b %H:%M}" if source.next_scrape_at else "—"
