"""The admin's building blocks: base classes with the https default for URL fields, and
the list filters of the position lists (positions/admin.py)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from .curation import (
    review_queue_condition,
)
from .models import (
    Listing,
    Position,
    listing_source_model,
)
from .signals import BrokerUnavailable

if TYPE_CHECKING:
    pass


_ModelT = TypeVar("_ModelT", bound=models.Model)
_ChildModelT = TypeVar("_ChildModelT", bound=models.Model)
_ParentModelT = TypeVar("_ParentModelT", bound=models.Model)


# Django 6 reads a URL typed without a scheme as https; say so now for every admin form.
HTTPS_URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def https_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """formfield_callback for the admin's own ModelForms, with the same https default."""
    return field.formfield(**{**HTTPS_URL_FIELDS.get(type(field), {}), **kwargs})


class ModelAdmin(admin.ModelAdmin[_ModelT]):
    formfield_overrides = HTTPS_URL_FIELDS


class TabularInline(admin.TabularInline[_ChildModelT, _ParentModelT]):
    formfield_overrides = HTTPS_URL_FIELDS


class ReadOnlyInline(TabularInline[_ChildModelT, _ParentModelT]):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- List filters ---------------------------------------------------------------------------


class DeadlineFilter(admin.SimpleListFilter):
    title = "deadline"
    parameter_name = "deadline_window"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("past", "Past"),
            ("next7", "This week (next 7 days)"),
            ("next30", "Next 30 days"),
            ("later", "Later"),
            ("rolling", "Rolling (open until filled)"),
            ("unknown", "Not stated"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        today = timezone.localdate()
        match self.value():
            case "past":
                return queryset.filter(deadline__lt=today)
            case "next7":
                return queryset.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(7))
            case "next30":
                return queryset.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(30))
            case "later":
                return queryset.filter(deadline__gt=today + dt.timedelta(30))
            case "rolling":
                return queryset.filter(deadline_kind=Position.DeadlineKind.ROLLING)
            case "unknown":
                return queryset.filter(deadline_kind=Position.DeadlineKind.UNKNOWN)
        return queryset


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence_band"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        low = settings.SCRAPER_REVIEW_CONFIDENCE
        return [
            ("low", f"Low (< {low:.2f})"),
            ("medium", f"Medium ({low:.2f} to 0.85)"),
            ("high", "High (≥ 0.85)"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        low = settings.SCRAPER_REVIEW_CONFIDENCE
        match self.value():
            case "low":
                return queryset.filter(confidence__lt=low)
            case "medium":
                return queryset.filter(confidence__gte=low, confidence__lt=0.85)
            case "high":
                return queryset.filter(confidence__gte=0.85)
        return queryset


class CompletenessFilter(admin.SimpleListFilter):
    title = "completeness"
    parameter_name = "completeness_band"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("low", "Below 50"), ("medium", "50 to 99"), ("complete", "Complete (100)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        match self.value():
            case "low":
                return queryset.filter(completeness__lt=50)
            case "medium":
                return queryset.filter(completeness__gte=50, completeness__lt=100)
            case "complete":
                return queryset.filter(completeness=100)
        return queryset


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review state"
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("queue", "In the review queue"),
            ("never", "Never reviewed"),
            ("reviewed", "Reviewed"),
            ("locked", "Has fields locked by an admin"),
            ("disagree", "A source disagrees with a locked field"),
            ("possibly_filled", "Possibly filled"),
            ("reported", "Open visitor reports"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        match self.value():
            case "queue":
                return queryset.filter(review_queue_condition())
            case "never":
                return queryset.filter(reviewed_at__isnull=True)
            case "reviewed":
                return queryset.filter(reviewed_at__isnull=False)
            case "locked":
                return queryset.exclude(locked_fields=[])
            case "disagree":
                return queryset.exclude(locked_fields=[]).exclude(source_values={})
            case "possibly_filled":
                return queryset.filter(possibly_filled=True)
            case "reported":
                return queryset.filter(reports__resolved=False).distinct()
        return queryset


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        sources = listing_source_model()._default_manager.order_by("name")
        return [(str(pk), name) for pk, name in sources.values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        source_id = self.value()
        if source_id:
            listed = Listing.objects.filter(position=OuterRef("pk"), source_id=source_id)
            return queryset.filter(pk__in=Subquery(listed.values("position_id")))
        return queryset


class CountryFilter(admin.SimpleListFilter):
    title = "country"
    parameter_name = "country"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        countries = (
            Position.objects.exclude(country="")
            .values_list("country", flat=True)
            .distinct()
            .order_by("country")
        )
        return [(code, code) for code in countries]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Position]) -> QuerySet[Position]:
        return queryset.filter(country=self.value()) if self.value() else queryset


def say_broker_away(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, away: BrokerUnavailable
) -> None:
    """'Scrape now' with the task queue (Redis) away: say so, and what was not queued."""
    queued = f" ({len(away.queued)} queued before it failed)" if away.queued else ""
    model_admin.message_user(
        request,
        f"The task queue (broker) is unavailable, so {len(away.missing)} scrape(s) were not "
        f"queued{queued}. Try again once it is back; scheduled scrapes resume by themselves.",
        messages.ERROR,
    )


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
