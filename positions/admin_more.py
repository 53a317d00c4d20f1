"""The admin of duplicates, reports, the taxonomy and institutions (registered with the
position admin: positions/admin.py imports this module)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import (
    DuplicateCandidate,
    Institution,
    Position,
    Report,
    Topic,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


from .admin_base import ModelAdmin, TabularInline, _short


class _PositionsTotal(TypedDict):
    positions_total: int


# --- Duplicates and reports --------------------------------------------------------------------


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ModelAdmin[DuplicateCandidate]):
    list_display = ("pair", "score", "reasons_text", "state", "created_at")
    list_filter = ("state",)
    list_select_related = ("first", "second")
    readonly_fields = ("first", "second", "score", "reasons", "created_at", "decided_at")
    fields = (*readonly_fields, "state")
    actions = ("merge_pairs", "mark_distinct")

    def get_queryset(self, request: HttpRequest) -> QuerySet[DuplicateCandidate]:
        return super().get_queryset(request).select_related("first", "second")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="positions")
    def pair(self, candidate: DuplicateCandidate) -> str:
        def link(position: Position) -> str:
            url = reverse("admin:positions_position_change", args=[position.pk])
            return format_html(
                '<a href="{}">#{} {}</a>', url, position.pk, _short(position.title, 60)
            )

        return format_html("{}<br>{}", link(candidate.first), link(candidate.second))

    @admin.display(description="reasons")
    def reasons_text(self, candidate: DuplicateCandidate) -> str:
        return "; ".join(str(reason) for reason in candidate.reasons)

    @admin.action(description="Merge each pair (keep the older position)", permissions=["change"])
    def merge_pairs(self, request: HttpRequest, queryset: QuerySet[DuplicateCandidate]) -> None:
        merged = 0
        for candidate in list(queryset.filter(state=DuplicateCandidate.State.PENDING)):
            services.duplicate_candidate_decide(candidate=candidate, merge=True, user=request.user)
            merged += 1
        self.message_user(request, f"Merged {merged} pair(s).", messages.SUCCESS)

    @admin.action(description="Not duplicates", permissions=["change"])
    def mark_distinct(self, request: HttpRequest, queryset: QuerySet[DuplicateCandidate]) -> None:
        count = 0
        for candidate in queryset.filter(state=DuplicateCandidate.State.PENDING):
            services.duplicate_candidate_decide(candidate=candidate, merge=False, user=request.user)
            count += 1
        self.message_user(request, f"{count} pair(s) kept apart for good.", messages.SUCCESS)

    def save_model(
        self, request: HttpRequest, obj: DuplicateCandidate, form: Any, change: bool
    ) -> None:
        if "state" in form.changed_data and obj.state != DuplicateCandidate.State.PENDING:
            original = DuplicateCandidate.objects.get(pk=obj.pk)
            services.duplicate_candidate_decide(
                candidate=original,
                merge=obj.state == DuplicateCandidate.State.MERGED,
                user=request.user,
            )
            return
        super().save_model(request, obj, form, change)


@admin.register(Report)
class ReportAdmin(ModelAdmin[Report]):
    list_display = ("created_at", "position_link", "reason", "message_short", "resolved")
    list_filter = ("resolved", "reason")
    list_select_related = ("position",)
    search_fields = ("message", "position__title")
    readonly_fields = ("position", "reason", "message", "created_at", "client_hash")
    actions = ("resolve",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="position")
    def position_link(self, report: Report) -> str:
        url = reverse("admin:positions_position_change", args=[report.position_id])
        return format_html('<a href="{}">{}</a>', url, _short(report.position.title, 60))

    @admin.display(description="message")
    def message_short(self, report: Report) -> str:
        return _short(report.message, 100)

    @admin.action(description="Mark resolved", permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        count = services.report_resolve(reports=queryset, user=request.user)
        self.message_user(request, f"Resolved {count} report(s).", messages.SUCCESS)


# --- Taxonomy and institutions --------------------------------------------------------------------


class TopicChildInline(TabularInline[Topic, Topic]):
    model = Topic
    fk_name = "parent"
    fields = ("name", "slug", "code", "keywords")
    extra = 0
    verbose_name_plural = "children"
    prepopulated_fields = {"slug": ("name",)}


class TopicLevelFilter(admin.SimpleListFilter):
    title = "level"
    parameter_name = "level"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("root", "Top level"), ("child", "Second level")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Topic]) -> QuerySet[Topic]:
        if self.value() == "root":
            return queryset.filter(parent__isnull=True)
        if self.value() == "child":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Topic)
class TopicAdmin(ModelAdmin[Topic]):
    list_display = ("name", "parent", "code", "position_count")
    list_filter = (TopicLevelFilter, ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)
    search_fields = ("name", "keywords", "code")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = (TopicChildInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        return super().get_queryset(request).annotate(positions_total=Count("positions"))

    @admin.display(description="positions", ordering="positions_total")
    def position_count(self, topic: WithAnnotations[Topic, _PositionsTotal]) -> int:
        return topic.positions_total


@admin.register(Institution)
class InstitutionAdmin(ModelAdmin[Institution]):
    list_display = ("name", "country", "city", "position_count")
    list_filter = ("country",)
    search_fields = ("name", "aliases", "city")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Institution]:
        return super().get_queryset(request).annotate(positions_total=Count("positions"))

    @admin.display(description="positions", ordering="positions_total")
    def position_count(self, institution: WithAnnotations[Institution, _PositionsTotal]) -> int:
        return institution.positions_total
