"""The admin of scraping's data: sources (with *Test parse* and *Scrape now*) and the
read-only scrape runs with their per-item errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join

from positions.admin_base import ModelAdmin, ReadOnlyInline, https_formfield, say_broker_away
from positions.signals import BrokerUnavailable

from . import tasks
from .admin_filters import SourceAttentionFilter, SourceColumns
from .admin_onboarding import add_from_url_view
from .models import ScrapeError, ScrapeRun, Source
from .preview import SourcePreview, source_preview
from .validators import validate_public_url

if TYPE_CHECKING:
    pass


# --- Sources and runs --------------------------------------------------------------------------


class SourceAdminForm(forms.ModelForm[Source]):
    class Meta:
        model = Source
        formfield_callback = https_formfield
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose the fields

    def clean_start_url(self) -> str:
        url: str = self.cleaned_data["start_url"]
        validate_public_url(url)
        return url


@admin.register(Source)
class SourceAdmin(SourceColumns, ModelAdmin[Source]):
    form = SourceAdminForm
    change_form_template = "admin/scrapers/source/change_form.html"
    change_list_template = "admin/scrapers/source/change_list.html"
    list_display = (
        "name_and_host",
        "publishing",
        "health_flag",
        "last_run",
        "listing_count",
        "next_scrape",
    )
    list_display_links = ("name_and_host",)
    list_filter = (SourceAttentionFilter, "enabled", "health", "auto_publish", "adapter")
    search_fields = ("name", "start_url")
    readonly_fields = (
        "health",
        "consecutive_failures",
        "last_run_at",
        "last_success_at",
        "created_at",
        "periodic_task",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "start_url",
                    "adapter",
                    "options",
                    "enabled",
                    ("auto_publish", "review_below_completeness"),
                )
            },
        ),
        ("Schedule", {"fields": ("scrape_interval", "next_scrape_at", "periodic_task")}),
        ("Politeness", {"fields": ("min_delay_seconds", "max_pages")}),
        (
            "Health",
            {
                "fields": (
                    "health",
                    "consecutive_failures",
                    "last_run_at",
                    "last_success_at",
                    "created_at",
                )
            },
        ),
    )
    actions = ("scrape_now", "enable", "disable")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Source]:
        latest = ScrapeRun.objects.filter(source=OuterRef("pk")).order_by("-started_at")
        return (
            super()
            .get_queryset(request)
            .annotate(
                listings_total=Count("listings", distinct=True),
                last_run_status=Subquery(latest.values("status")[:1]),
                last_run_found=Subquery(latest.values("found")[:1]),
                last_run_created=Subquery(latest.values("created")[:1]),
                last_run_updated=Subquery(latest.values("updated")[:1]),
                last_run_failed=Subquery(latest.values("failed")[:1]),
                last_run_started=Subquery(latest.values("started_at")[:1]),
            )
        )

    @admin.action(description="Scrape now", permissions=["change"])
    def scrape_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        try:
            ids = tasks.source_scrape_now(sources=queryset.filter(enabled=True))
        except BrokerUnavailable as away:
            say_broker_away(self, request, away)
            return
        self.message_user(request, f"Queued {len(ids)} source(s) for scraping.", messages.SUCCESS)

    @admin.action(description="Enable", permissions=["change"])
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self.message_user(request, f"Enabled {queryset.update(enabled=True)} source(s).")

    @admin.action(description="Disable", permissions=["change"])
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self.message_user(request, f"Disabled {queryset.update(enabled=False)} source(s).")

    def get_urls(self) -> list[Any]:
        return [
            path(
                "test-parse/",
                self.admin_site.admin_view(self.test_parse_view),
                name="scrapers_source_test_parse",
            ),
            path(
                "add-from-url/",
                self.admin_site.admin_view(self.add_from_url_view),
                name="scrapers_source_add_from_url",
            ),
            *super().get_urls(),
        ]

    def add_from_url_view(self, request: HttpRequest) -> HttpResponse:
        """Paste a vacancies URL: platform, adapter and options detected, a preview, then
        one click creates the Source (scrapers/admin_onboarding.py)."""
        return add_from_url_view(self, request)

    def test_parse_view(self, request: HttpRequest) -> HttpResponse:
        """Fetch and parse a start URL with an adapter and show the result; writes nothing."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        start_url = (data.get("start_url") or "").strip()
        adapter = (data.get("adapter") or "").strip()
        options_text = (data.get("options") or "").strip()
        preview = None
        if start_url and adapter:
            # The source's own options: the change form posts its "options" field here.
            options, problem = _options_from(options_text)
            if problem:
                preview = SourcePreview(errors=[problem])
            else:
                preview = source_preview(start_url=start_url, adapter=adapter, options=options)
        context = {
            **self.admin_site.each_context(request),
            "title": "Test parse",
            "start_url": start_url,
            "adapter": adapter,
            "options_text": options_text,
            "adapters": Source._meta.get_field("adapter").choices,
            "preview": preview,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/scrapers/source/test_parse.html", context)


def _options_from(text: str) -> tuple[dict[str, Any], str]:
    """Options typed or posted as JSON: ({...}, "") or ({}, the reason they are refused)."""
    if not text:
        return {}, ""
    try:
        value = json.loads(text)
    except ValueError as error:
        return {}, f"the options are not valid JSON: {error}"
    if not isinstance(value, dict):
        return {}, "the options must be a JSON object"
    return value, ""


class ScrapeErrorInline(ReadOnlyInline[ScrapeError, ScrapeRun]):
    model = ScrapeError
    fields = ("stage", "url", "message", "created_at")
    readonly_fields = fields


@admin.register(ScrapeRun)
class ScrapeRunAdmin(ModelAdmin[ScrapeRun]):
    list_display = (
        "source",
        "started_at",
        "finished_at",
        "trigger",
        "status",
        "pages_fetched",
        "found",
        "created",
        "updated",
        "unchanged",
        "failed",
        "closed",
    )
    list_filter = ("status", "trigger", "source")
    list_select_related = ("source",)
    date_hierarchy = "started_at"
    inlines = (ScrapeErrorInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in ScrapeRun._meta.fields] + ["listing_summary"]

    @admin.display(description="results pages")
    def listing_summary(self, run: ScrapeRun) -> str:
        """The listing entries kept and dropped, and why (the doctoral check, other hosts)."""
        decisions = run.listing_decisions or {}
        if not decisions:
            return "no results page"
        reasons = format_html_join(
            "",
            "<li>{}: {}</li>",
            ((count, reason) for reason, count in decisions.get("reasons", {}).items()),
        )
        return format_html(
            "{} results pages: {} entries followed, {} dropped{}<ul>{}</ul>",
            decisions.get("listing_pages", 0),
            decisions.get("kept", 0),
            decisions.get("dropped", 0),
            f"; {decisions['stopped']}" if decisions.get("stopped") else "",
            reasons,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser
