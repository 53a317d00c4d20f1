"""The admin of positions and the review queue (duplicates, reports, topics: admin_more.py;
sources and runs: scrapers/admin.py). It stays thin (STYLE: services write): every change
of a position goes through positions.services, which locks the fields an admin edits."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, F, Func, QuerySet, Value
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from . import services
from .admin_base import (
    CompletenessFilter,
    ConfidenceFilter,
    CountryFilter,
    DeadlineFilter,
    ModelAdmin,
    ReadOnlyInline,
    ReviewStateFilter,
    SourceFilter,
    TabularInline,
    _short,
    https_formfield,
    say_broker_away,
)
from .curation import position_review_reasons, position_source_disagreements
from .facts import LOCKABLE_FIELDS, MODERATION_FIELDS
from .models import Listing, Position, PositionChange, Report
from .signals import BrokerUnavailable

if TYPE_CHECKING:
    pass


# The values the admins' querysets annotate, typed for the columns that show them.
class _QueueAnnotations(TypedDict):
    open_reports: int | None
    last_scrape_change: dt.datetime | None


# Evidence keys the normaliser writes, and the form fields they explain.
EVIDENCE_FOR_FIELD: dict[str, tuple[str, ...]] = {
    "deadline": ("deadline", "deadline_kind"),
    "deadline_kind": ("deadline", "deadline_kind"),
    "deadline_time": ("deadline_time", "deadline"),
    "deadline_timezone": ("deadline_timezone", "deadline"),
    "start_date": ("start_date", "start"),
    "start_text": ("start", "start_date"),
    "duration_months": ("duration_months", "duration"),
    "funding": ("funding",),
    "contract": ("contract", "stipend"),
    "eligibility": ("eligibility",),
    "open_to": ("open_to", "eligibility"),
    "stipend_amount": ("stipend", "stipend_amount"),
    "stipend_amount_max": ("stipend",),
    "stipend_currency": ("stipend", "currency"),
    "stipend_period": ("stipend",),
    "pay_scale": ("stipend", "pay_scale"),
    "fte_percent": ("stipend", "fte_percent"),
    "fees_covered": ("fees_covered", "fees"),
    "teaching_duty": ("teaching_duty",),
    "supervisors": ("supervisors",),
    "contact_emails": ("contact_emails",),
    "country": ("country", "location"),
    "city": ("city", "location"),
    "institution_name": ("institution",),
    "institution": ("institution",),
    "department": ("department",),
    "topics": ("topics",),
    "title": ("title",),
    "apply_url": ("apply_url",),
}


def _evidence_for(position: Position, field_name: str) -> dict[str, Any] | None:
    for key in EVIDENCE_FOR_FIELD.get(field_name, (field_name,)):
        item = (position.evidence or {}).get(key)
        if isinstance(item, dict):
            return item
    return None


# --- Inlines ------------------------------------------------------------------------------------


class ListingInline(ReadOnlyInline[Listing, Position]):
    model = Listing
    fields = ("source", "link", "state", "pinned", "last_seen", "missed_runs", "split")
    readonly_fields = fields
    verbose_name_plural = "listings (where this advert appears)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Listing]:
        return super().get_queryset(request).select_related("source")

    @admin.display(description="URL")
    def link(self, listing: Listing) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer">{}</a>', listing.url, _short(listing.url, 70)
        )

    @admin.display(description="split")
    def split(self, listing: Listing) -> str:
        if listing.position.listings.count() < 2:
            return ""
        url = reverse("admin:positions_position_split", args=[listing.position_id, listing.pk])
        return format_html('<a class="button" href="{}">Split off</a>', url)


class PositionChangeInline(ReadOnlyInline[PositionChange, Position]):
    model = PositionChange
    fields = ("changed_at", "actor", "user", "run", "field", "old", "new", "note")
    readonly_fields = fields
    verbose_name_plural = "change history"
    ordering = ("-changed_at", "-id")

    def get_queryset(self, request: HttpRequest) -> QuerySet[PositionChange]:
        return super().get_queryset(request).select_related("user", "run__source")

    @admin.display(description="old value")
    def old(self, change: PositionChange) -> str:
        return _short(change.old_value, 80) if change.old_value is not None else ""

    @admin.display(description="new value")
    def new(self, change: PositionChange) -> str:
        return _short(change.new_value, 80) if change.new_value is not None else ""


class ReportInline(TabularInline[Report, Position]):
    model = Report
    extra = 0
    can_delete = False
    fields = ("created_at", "reason", "message", "resolved")
    readonly_fields = ("created_at", "reason", "message")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# --- The position form ------------------------------------------------------------------------


class PositionAdminForm(forms.ModelForm[Position]):
    unlock = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Unlock fields",
        help_text="Hand these fields back to the scrapers: the next scrape rewrites them.",
    )

    class Meta:
        model = Position
        formfield_callback = https_formfield
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin's fieldsets choose the fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            unlock = cast(forms.MultipleChoiceField, self.fields["unlock"])
            unlock.choices = [(name, name) for name in instance.locked_fields]
        disagreements = position_source_disagreements(instance) if instance.pk else {}
        for name, form_field in self.fields.items():
            notes = []
            if instance.pk and name in instance.locked_fields:
                notes.append(format_html("<strong>{}</strong>", "🔒 locked by an admin"))
            if name in disagreements:
                said = disagreements[name]
                said = said.get("value", said) if isinstance(said, dict) else said
                notes.append(
                    format_html(
                        '<span class="disagreement">source now says: <code>{}</code></span>',
                        _short(said),
                    )
                )
            evidence = _evidence_for(instance, name) if instance.pk else None
            if evidence:
                notes.append(
                    format_html(
                        "evidence: “{}” ({}, confidence {})",
                        _short(evidence.get("snippet", ""), 200),
                        evidence.get("rule", "?"),
                        evidence.get("confidence", "?"),
                    )
                )
            if notes:
                base = form_field.help_text
                form_field.help_text = format_html_join(
                    " · ", "{}", ((note,) for note in notes)
                ) + (format_html(" · {}", base) if base else "")

    def clean_country(self) -> str:
        country: str = self.cleaned_data.get("country") or ""
        return country.upper()


@admin.register(Position)
class PositionAdmin(ModelAdmin[Position]):
    form = PositionAdminForm
    list_display: tuple[str, ...] = (
        "title",
        "institution_name",
        "country",
        "deadline_display",
        "moderation",
        "status",
        "completeness_display",
        "confidence_display",
        "also_listed_on",
        "last_verified",
    )
    list_display_links: tuple[str, ...] = ("title",)
    list_filter = (
        "status",
        "moderation",
        SourceFilter,
        ReviewStateFilter,
        DeadlineFilter,
        CountryFilter,
        "funding",
        ConfidenceFilter,
        CompletenessFilter,
        "featured",
        "possibly_filled",
    )
    search_fields = ("title", "institution_name", "institution__name", "supervisors_text")
    search_help_text = "Search titles, institutions and supervisors"
    list_per_page = 50
    # Newest first, on the primary key's index; no full count of a large table per page.
    ordering: ClassVar[tuple[str, ...]] = ("-id",)
    show_full_result_count = False
    autocomplete_fields = ("institution",)
    filter_horizontal = ("topics",)
    inlines = (ListingInline, ReportInline, PositionChangeInline)
    actions = (
        "publish",
        "hide",
        "queue_for_review",
        "close",
        "feature",
        "unfeature",
        "mark_reviewed",
        "rescrape",
        "merge_two",
    )
    readonly_fields = (
        "review_panel",
        "evidence_panel",
        "contradictions_panel",
        "locked_panel",
        "completeness",
        "confidence",
        "first_seen",
        "last_seen",
        "last_verified",
        "reviewed_at",
        "closed_at",
        "updated_at",
    )
    fieldsets = (
        ("Curation", {"fields": ("review_panel", "locked_panel", "unlock")}),
        (
            "Moderation",
            {"fields": (("moderation", "status", "featured", "possibly_filled"),)},
        ),
        (
            "The advert",
            {
                "fields": (
                    "title",
                    ("institution", "institution_name"),
                    "department",
                    ("country", "city"),
                    "url",
                    "apply_url",
                    "degree_level",
                )
            },
        ),
        (
            "Dates",
            {
                "fields": (
                    ("deadline", "deadline_kind"),
                    ("deadline_time", "deadline_timezone"),
                    ("start_date", "start_text"),
                    "duration_months",
                )
            },
        ),
        (
            "Money and eligibility",
            {
                "fields": (
                    ("funding", "contract"),
                    ("stipend_amount", "stipend_amount_max", "stipend_currency", "stipend_period"),
                    "stipend_text",
                    ("pay_scale", "fte_percent"),
                    "fees_covered",
                    "teaching_duty",
                    ("eligibility", "open_to"),
                )
            },
        ),
        ("People and topics", {"fields": ("supervisors", "contact_emails", "topics", "tags")}),
        (
            "Description",
            {"classes": ("collapse",), "fields": ("description_html", "description_text")},
        ),
        (
            "Provenance",
            {
                "fields": (
                    "evidence_panel",
                    "contradictions_panel",
                    ("completeness", "confidence"),
                    ("first_seen", "last_seen", "last_verified"),
                    ("reviewed_at", "closed_at", "updated_at"),
                )
            },
        ),
    )

    # --- Queryset and columns

    def get_queryset(self, request: HttpRequest) -> QuerySet[Position]:
        return (
            super()
            .get_queryset(request)
            .select_related("institution")
            .prefetch_related("listings__source")
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Position], search_term: str
    ) -> tuple[QuerySet[Position], bool]:
        if search_term:
            # Supervisors are an array: searched as one string, only when searching.
            queryset = queryset.annotate(
                supervisors_text=Func(
                    F("supervisors"),
                    Value(" "),
                    function="array_to_string",
                    output_field=CharField(),
                )
            )
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="deadline", ordering="deadline")
    def deadline_display(self, position: Position) -> str:
        if position.deadline:
            return position.deadline.isoformat()
        return position.get_deadline_kind_display()

    @admin.display(description="complete", ordering="completeness")
    def completeness_display(self, position: Position) -> str:
        return f"{position.completeness}%"

    @admin.display(description="confidence", ordering="confidence")
    def confidence_display(self, position: Position) -> str:
        low = position.confidence < settings.SCRAPER_REVIEW_CONFIDENCE
        return format_html(
            '<span style="color:{}">{}</span>',
            "#b00" if low else "inherit",
            f"{position.confidence:.2f}",
        )

    @admin.display(description="also listed on")
    def also_listed_on(self, position: Position) -> str:
        names = sorted({listing.source.name for listing in position.listings.all()})
        return ", ".join(names)

    # --- Read-only panels on the change form

    @admin.display(description="Why it is in the review queue")
    def review_panel(self, position: Position) -> str:
        reasons = position_review_reasons(position) if position.pk else []
        if not reasons:
            return "Not in the review queue."
        return format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons))

    @admin.display(description="Locked fields and what the sources now say")
    def locked_panel(self, position: Position) -> str:
        if not position.locked_fields:
            return "No field is locked: scrapes update every field."
        disagreements = position_source_disagreements(position)
        rows = []
        for name in position.locked_fields:
            said = disagreements.get(name)
            if isinstance(said, dict):
                said = said.get("value", said)
            rows.append(
                (
                    name,
                    _short(getattr(position, name, "")) if name != "topics" else "",
                    f"source now says: {_short(said)}"
                    if name in disagreements
                    else "sources agree",
                )
            )
        return format_html(
            "<table><tr><th>field</th><th>admin's value</th><th>sources</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="Evidence per field")
    def evidence_panel(self, position: Position) -> str:
        evidence = position.evidence or {}
        if not evidence:
            return "No evidence recorded."
        rows = [
            (
                name,
                _short(item.get("snippet", ""), 200) if isinstance(item, dict) else _short(item),
                item.get("rule", "") if isinstance(item, dict) else "",
                item.get("confidence", "") if isinstance(item, dict) else "",
            )
            for name, item in sorted(evidence.items())
        ]
        return format_html(
            "<table><tr><th>field</th><th>snippet</th><th>rule</th><th>confidence</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>“{}”</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description="Contradictions")
    def contradictions_panel(self, position: Position) -> str:
        if not position.contradictions:
            return "None."
        return format_html_join(
            "", "<li>{}</li>", ((_short(item, 300),) for item in position.contradictions)
        )

    # --- Saving: admin edits lock fields

    def save_model(self, request: HttpRequest, obj: Position, form: Any, change: bool) -> None:
        if not change:
            obj.completeness = services.position_completeness(obj)
            super().save_model(request, obj, form, change)
            return
        edited = [
            name
            for name in form.changed_data
            if name in LOCKABLE_FIELDS or name in MODERATION_FIELDS
        ]
        data = {name: form.cleaned_data[name] for name in edited if name != "topics"}
        if "institution" in data and "institution_name" not in data and data["institution"]:
            data["institution_name"] = data["institution"].name
        topics = form.cleaned_data["topics"] if "topics" in edited else None
        updated = services.position_update_by_admin(
            position=obj, user=request.user, data=data, topics=topics
        )
        unlock = form.cleaned_data.get("unlock") or []
        if unlock:
            services.position_unlock_fields(position=updated, fields=unlock, user=request.user)
            messages.info(request, f"Unlocked: {', '.join(unlock)}. The next scrape rewrites them.")
        obj.pk = updated.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        # Topics were set by the service (so a topic edit locks too); only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # --- Actions

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_set_moderation(
            positions=queryset, moderation=Position.Moderation.PUBLISHED, user=request.user
        )
        self.message_user(request, f"Published {count} position(s).", messages.SUCCESS)

    @admin.action(description="Hide", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_set_moderation(
            positions=queryset, moderation=Position.Moderation.HIDDEN, user=request.user
        )
        self.message_user(request, f"Hid {count} position(s).", messages.SUCCESS)

    @admin.action(description="Set back to pending review", permissions=["change"])
    def queue_for_review(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_set_moderation(
            positions=queryset, moderation=Position.Moderation.PENDING, user=request.user
        )
        self.message_user(request, f"{count} position(s) pending review.", messages.SUCCESS)

    @admin.action(description="Close", permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_close(positions=queryset, user=request.user)
        self.message_user(request, f"Closed {count} position(s).", messages.SUCCESS)

    @admin.action(description="Feature", permissions=["change"])
    def feature(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_set_featured(positions=queryset, featured=True, user=request.user)
        self.message_user(request, f"Featured {count} position(s).", messages.SUCCESS)

    @admin.action(description="Stop featuring", permissions=["change"])
    def unfeature(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        count = services.position_set_featured(
            positions=queryset, featured=False, user=request.user
        )
        self.message_user(request, f"{count} position(s) no longer featured.", messages.SUCCESS)

    @admin.action(description="Mark reviewed (leave the queue)", permissions=["change"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        for position in queryset:
            services.position_mark_reviewed(position=position, user=request.user)
        self.message_user(
            request, f"Marked {queryset.count()} position(s) reviewed.", messages.SUCCESS
        )

    @admin.action(description="Re-scrape now", permissions=["change"])
    def rescrape(self, request: HttpRequest, queryset: QuerySet[Position]) -> None:
        try:
            source_ids = services.position_rescrape(positions=queryset)
        except BrokerUnavailable as away:
            say_broker_away(self, request, away)
            return
        self.message_user(
            request, f"Queued a scrape of {len(source_ids)} source(s).", messages.SUCCESS
        )

    @admin.action(description="Merge the two selected positions…", permissions=["change"])
    def merge_two(self, request: HttpRequest, queryset: QuerySet[Position]) -> HttpResponse | None:
        ids = sorted(queryset.values_list("pk", flat=True))
        if len(ids) != 2:
            self.message_user(request, "Select exactly two positions to merge.", messages.WARNING)
            return None
        url = reverse(f"admin:positions_{self.opts.model_name}_merge")
        return HttpResponseRedirect(f"{url}?ids={ids[0]},{ids[1]}")

    # --- Merge and split views

    def get_urls(self) -> list[Any]:
        return [
            path(
                "merge/",
                self.admin_site.admin_view(self.merge_view),
                name=f"positions_{self.opts.model_name}_merge",
            ),
            path(
                "<path:object_id>/split/<int:listing_id>/",
                self.admin_site.admin_view(self.split_view),
                name=f"positions_{self.opts.model_name}_split",
            ),
            *super().get_urls(),
        ]

    def merge_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        raw_ids = (request.POST.get("ids") or request.GET.get("ids") or "").split(",")
        try:
            ids = [int(item) for item in raw_ids if item.strip()]
        except ValueError:
            ids = []
        positions = list(Position.objects.filter(pk__in=ids).prefetch_related("listings__source"))
        if len(positions) != 2:
            self.message_user(
                request, "Two existing positions are needed to merge.", messages.ERROR
            )
            return HttpResponseRedirect(reverse("admin:positions_position_changelist"))
        if request.method == "POST":
            keep_id = request.POST.get("keep")
            keep = next((item for item in positions if str(item.pk) == keep_id), None)
            if keep is not None:
                merge = next(item for item in positions if item.pk != keep.pk)
                merged = services.position_merge(keep=keep, merge=merge, user=request.user)
                self.message_user(
                    request, f"Merged #{merge.pk} into #{merged.pk}.", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:positions_position_change", args=[merged.pk])
                )
        chosen = services.position_reconcile(positions=positions)
        rows = [
            (
                name,
                getattr(positions[0], name, ""),
                getattr(positions[1], name, ""),
                value,
                giver.pk,
            )
            for name, (value, giver) in chosen.items()
            if name not in {"description_html", "description_text"}
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge two positions",
            "positions": positions,
            "rows": rows,
            "ids": f"{positions[0].pk},{positions[1].pk}",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/positions/merge.html", context)

    def split_view(self, request: HttpRequest, object_id: str, listing_id: int) -> HttpResponse:
        position = get_object_or_404(Position, pk=unquote(object_id))
        if not self.has_change_permission(request, position):
            raise PermissionDenied
        listing = get_object_or_404(Listing, pk=listing_id, position=position)
        if request.method == "POST":
            try:
                new = services.listing_split(listing=listing, user=request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:positions_position_change", args=[position.pk])
                )
            self.message_user(
                request, f"Split {listing.url} off into a new position #{new.pk}.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:positions_position_change", args=[new.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Split a listing off",
            "position": position,
            "listing": listing,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/positions/split.html", context)


# Registered with these: duplicates, reports, topics, institutions (the review queue,
# admin_review.py, builds on PositionAdmin: positions/apps.py imports it).
from . import admin_more  # noqa: E402, F401
