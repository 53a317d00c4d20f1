"""The review queue's admin: a list oldest first with the reason for each, and a change form
that opens with a review sheet fitting one screen (1366x768): the facts a student needs, each
beside its evidence and any contradiction, the reasons once, and Approve / Reject / Next
buttons (keys A, R, N; static/js/admin-review.js). The full form follows for corrections.

Approve saves any correction, publishes and marks reviewed; Reject saves, hides and marks
reviewed; both then open the next position in the queue. Next skips without saving. All
three work without JavaScript (two submit buttons of the form and a link).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import services
from .admin import PositionAdmin, _evidence_for
from .admin_base import _short
from .curation import position_review_reasons, review_queue_condition
from .models import Position, PositionChange, Report, ReviewQueuePosition
from .serializers import stipend_text

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _QueueAnnotations(TypedDict):
    open_reports: int | None
    last_scrape_change: dt.datetime | None


# The facts on the sheet: (label, the fields they show, the field their evidence is under).
SHEET_FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Deadline", ("deadline", "deadline_kind", "deadline_time", "deadline_timezone")),
    ("Start", ("start_date", "start_text")),
    ("Duration", ("duration_months",)),
    ("Funding", ("funding", "contract")),
    ("Stipend", ("stipend_amount", "pay_scale", "fte_percent")),
    ("Fees", ("fees_covered",)),
    ("Funded for", ("eligibility",)),
    ("Who may apply", ("open_to",)),
    ("Supervisors", ("supervisors",)),
    ("Where", ("institution_name", "country", "city", "department")),
    ("Apply at", ("apply_url",)),
)


@dataclass
class FactRow:
    label: str
    value: str
    snippet: str = ""
    rule: str = ""
    confidence: float | None = None
    low: bool = False
    contradictions: list[str] = field(default_factory=list)


def _value(position: Position, label: str) -> str:
    match label:
        case "Deadline":
            if position.deadline:
                time = f" {position.deadline_time:%H:%M}" if position.deadline_time else ""
                return f"{position.deadline:%d %b %Y}{time} {position.deadline_timezone}".strip()
            return position.get_deadline_kind_display()
        case "Start":
            return f"{position.start_date:%b %Y}" if position.start_date else position.start_text
        case "Duration":
            return f"{position.duration_months} months" if position.duration_months else ""
        case "Funding":
            stated = position.contract not in {"", "unknown", "not_stated"}
            contract = f", {position.get_contract_display()}" if stated else ""
            return position.get_funding_display() + contract
        case "Stipend":
            return stipend_text(position)
        case "Fees":
            return position.get_fees_covered_display()
        case "Funded for":
            return ", ".join(position.eligibility)
        case "Who may apply":
            return ", ".join(position.open_to)
        case "Supervisors":
            return ", ".join(position.supervisors)
        case "Where":
            parts = [
                position.institution_name,
                position.department,
                position.city,
                position.country,
            ]
            return ", ".join(part for part in parts if part)
        case "Apply at":
            return position.apply_url
    return ""


def _contradiction_text(item: Any) -> str:
    if not isinstance(item, dict):
        return _short(item, 200)
    other = f"also says {item.get('other')}" if item.get("other") else ""
    chosen = f"took {item.get('chosen')}" if item.get("chosen") else ""
    return _short("; ".join(part for part in (chosen, other, item.get("why", "")) if part), 200)


def review_facts(position: Position) -> list[FactRow]:
    """One row per fact: the value, the evidence beside it, the contradictions beside that."""
    by_field: dict[str, list[str]] = {}
    for item in position.contradictions or []:
        name = str(item.get("field", "")) if isinstance(item, dict) else ""
        by_field.setdefault(name, []).append(_contradiction_text(item))
    threshold = settings.SCRAPER_REVIEW_CONFIDENCE
    rows = []
    placed: set[str] = set()
    for label, names in SHEET_FACTS:
        evidence = next((e for e in (_evidence_for(position, n) for n in names) if e), None)
        row = FactRow(label=label, value=_short(_value(position, label), 160))
        if evidence:
            row.snippet = _short(evidence.get("snippet", ""), 220)
            row.rule = str(evidence.get("rule", ""))
            try:
                row.confidence = float(evidence.get("confidence", 1))
            except (TypeError, ValueError):
                row.confidence = None
            row.low = row.confidence is not None and row.confidence < threshold
        for name in names:
            row.contradictions += by_field.get(name, [])
            placed.add(name)
        rows.append(row)
    stray = [text for name, texts in by_field.items() if name not in placed for text in texts]
    if stray:
        rows.append(FactRow(label="Other", value="", contradictions=stray))
    return rows


def next_in_queue(position: Position) -> Position | None:
    """The position after this one in the queue's order (oldest first), wrapping round."""
    queue = Position.objects.filter(review_queue_condition()).exclude(pk=position.pk)
    after = Q(first_seen__gt=position.first_seen) | Q(
        first_seen=position.first_seen, id__gt=position.pk
    )
    ordered = queue.order_by("first_seen", "id")
    return ordered.filter(after).first() or ordered.first()


def _fieldsets_without(fieldsets: Any, names: set[str]) -> tuple[Any, ...]:
    kept = []
    for title, options in fieldsets:
        fields = tuple(item for item in options["fields"] if item not in names)
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return tuple(kept)


@admin.register(ReviewQueuePosition)
class ReviewQueueAdmin(PositionAdmin):
    """The positions a curator should look at, oldest first, with the reason for each."""

    change_form_template = "admin/positions/review_change_form.html"
    list_display = (
        "title",
        "institution_name",
        "reasons",
        "deadline_display",
        "moderation",
        "completeness_display",
        "confidence_display",
        "also_listed_on",
        "first_seen",
    )
    ordering = ("first_seen", "id")  # oldest waiting first
    # The sheet shows why it waits and the contradictions: not again below.
    fieldsets = _fieldsets_without(
        PositionAdmin.fieldsets, {"review_panel", "contradictions_panel"}
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and not (match.url_name or "").endswith("_changelist"):
            # A position opened from the queue stays reachable after it leaves it (saved,
            # published, "save and continue editing").
            return queryset
        return queryset.filter(review_queue_condition()).annotate(
            open_reports=Subquery(
                Report.objects.filter(position=OuterRef("pk"), resolved=False)
                .values("position")
                .annotate(total=Count("pk"))
                .values("total")[:1]
            ),
            last_scrape_change=Subquery(
                PositionChange.objects.filter(
                    position=OuterRef("pk"), actor=PositionChange.Actor.SCRAPE
                )
                .order_by("-changed_at")
                .values("changed_at")[:1]
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="why")
    def reasons(self, position: WithAnnotations[Position, _QueueAnnotations]) -> str:
        # The queryset annotated what the rule would otherwise query for each row.
        changed_since_review = bool(
            position.reviewed_at
            and position.last_scrape_change
            and position.last_scrape_change > position.reviewed_at
        )
        reasons = position_review_reasons(
            position,
            changed_since_review=changed_since_review,
            open_reports=position.open_reports or 0,
        )
        return "; ".join(reasons)

    # --- The review sheet

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        position = kwargs.get("obj")
        if position is not None:
            following = next_in_queue(position)
            context.update(
                review_reasons=position_review_reasons(position),
                review_facts=review_facts(position),
                next_url=reverse("admin:positions_reviewqueueposition_change", args=[following.pk])
                if following
                else "",
                queue_url=reverse("admin:positions_reviewqueueposition_changelist"),
                advert_url=position.url,
            )
        return super().render_change_form(request, context, *args, **kwargs)

    def response_change(self, request: HttpRequest, obj: Position) -> HttpResponse:
        decision = request.POST.get("_review")
        if decision not in {"approve", "reject"}:
            return super().response_change(request, obj)
        if decision == "approve":
            services.position_set_moderation(
                positions=[obj], moderation=Position.Moderation.PUBLISHED, user=request.user
            )
            done = "Approved and published"
        else:
            services.position_set_moderation(
                positions=[obj], moderation=Position.Moderation.HIDDEN, user=request.user
            )
            services.position_mark_reviewed(position=obj, user=request.user)
            done = "Rejected (hidden)"
        following = next_in_queue(obj)
        self.message_user(request, f"{done}: “{_short(obj.title, 80)}”.", messages.SUCCESS)
        if following is None:
            self.message_user(request, "The review queue is empty.", messages.INFO)
            return HttpResponseRedirect(reverse("admin:positions_reviewqueueposition_changelist"))
        return HttpResponseRedirect(
            reverse("admin:positions_reviewqueueposition_change", args=[following.pk])
        )
