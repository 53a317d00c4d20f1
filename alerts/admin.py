"""Subscriptions, sent mail and suppressions in the admin.

An address shows masked (j***@e***.org) everywhere, unless the user holds the permission
`alerts.view_address`; searching by address (exact, by its hash) needs it too, as finding a
row would tell that the address is subscribed. Subscriptions cannot be added here (that
would skip the subscriber's own confirmation), and every field is read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from positions.admin_base import ModelAdmin

from .models import Reminder, SendState, SentDigest, Subscription, Suppression, address_hash
from .queries import describe

ADDRESS_PERMISSION = "alerts.view_address"
_ModelT = TypeVar("_ModelT", bound=Model)


def _can_read(request: HttpRequest) -> bool:
    return bool(request.user.has_perm(ADDRESS_PERMISSION))


class ReadOnlyAdmin(ModelAdmin[_ModelT]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _ModelT | None = None) -> bool:
        return False


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("active", "Active"),
            ("unconfirmed", "Not confirmed"),
            ("unsubscribed", "Unsubscribed"),
            ("bounced", "Bounced"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        conditions = {
            "active": Q(
                confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounced_at__isnull=True
            ),
            "unconfirmed": Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True),
            "unsubscribed": Q(unsubscribed_at__isnull=False),
            "bounced": Q(bounced_at__isnull=False),
        }
        condition = conditions.get(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin[Subscription]):
    list_display = (
        "address",
        "kind",
        "search",
        "frequency",
        "confirmed_at",
        "last_sent_at",
        "mails_sent",
        "bounced_at",
        "unsubscribed_at",
    )
    list_filter = (StatusFilter, "kind", "frequency")
    readonly_fields = (
        "address",
        "kind",
        "search",
        "query",
        "position_ids",
        "frequency",
        "created_at",
        "confirmed_at",
        "last_sent_at",
        "unsubscribed_at",
        "bounced_at",
        "email_hash",
    )
    fields = readonly_fields
    search_fields = ("query",)
    search_help_text = "Words of the saved search; an exact address with the address permission."
    ordering = ("-id",)
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscription]:
        return (
            super()
            .get_queryset(request)
            .annotate(_sent=Count("sent", filter=Q(sent__state=SendState.SENT), distinct=True))
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        if "@" in term:
            if not _can_read(request):
                return queryset.none(), False
            return queryset.filter(email_hash=address_hash(term)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="Address")
    def address(self, obj: Subscription) -> str:
        return obj.masked_email

    @admin.display(description="Address")
    def full_address(self, obj: Subscription) -> str:
        return obj.email

    def _swap(self, request: HttpRequest, names: Any) -> Any:
        """The full address in place of the masked one, for holders of the permission."""
        if not _can_read(request):
            return names
        return type(names)("full_address" if name == "address" else name for name in names)

    def get_list_display(self, request: HttpRequest) -> Any:
        return self._swap(request, super().get_list_display(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._swap(request, super().get_readonly_fields(request, obj))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self._swap(request, super().get_fields(request, obj))

    @admin.display(description="Search")
    def search(self, obj: Subscription) -> str:
        if obj.kind == Subscription.Kind.SHORTLIST:
            return f"shortlist of {len(obj.position_ids)}"
        return describe(obj.query)[:120]

    @admin.display(description="Mails sent", ordering="_sent")
    def mails_sent(self, obj: Any) -> int:
        return int(getattr(obj, "_sent", 0))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> Any:
        extra_context = {**(extra_context or {}), "alert_totals": totals()}
        return super().changelist_view(request, extra_context)


def totals() -> list[tuple[str, int]]:
    week_ago = timezone.now() - dt.timedelta(days=7)
    subs = Subscription.objects.aggregate(
        active=Count(
            "id",
            filter=Q(
                confirmed_at__isnull=False, unsubscribed_at__isnull=True, bounced_at__isnull=True
            ),
        ),
        unconfirmed=Count("id", filter=Q(confirmed_at__isnull=True, unsubscribed_at__isnull=True)),
        unsubscribed=Count("id", filter=Q(unsubscribed_at__isnull=False)),
        bounced=Count("id", filter=Q(bounced_at__isnull=False)),
    )
    sent = SentDigest.objects.aggregate(
        week=Count("id", filter=Q(state=SendState.SENT, sent_at__gte=week_ago)),
        failed=Count("id", filter=Q(state=SendState.FAILED)),
    )
    return [
        ("Active", subs["active"]),
        ("Not confirmed", subs["unconfirmed"]),
        ("Unsubscribed", subs["unsubscribed"]),
        ("Bounced", subs["bounced"]),
        ("Suppressed addresses", Suppression.objects.count()),
        ("Digests sent in 7 days", sent["week"]),
        ("Digests waiting to retry", sent["failed"]),
    ]


@admin.register(SentDigest)
class SentDigestAdmin(ReadOnlyAdmin[SentDigest]):
    list_display = (
        "period",
        "subscriber",
        "state",
        "positions",
        "attempts",
        "claimed_at",
        "sent_at",
        "error",
    )
    list_filter = ("state", "subscription__frequency")
    readonly_fields = (
        "subscriber",
        "period",
        "state",
        "positions",
        "position_ids",
        "attempts",
        "claimed_at",
        "sent_at",
        "next_attempt_at",
        "error",
    )
    fields = readonly_fields
    list_select_related = ("subscription",)
    ordering = ("-id",)
    show_full_result_count = False

    @admin.display(description="Subscription")
    def subscriber(self, obj: SentDigest) -> str:
        return str(obj.subscription)  # masked


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin[Reminder]):
    list_display = (
        "key",
        "position_id",
        "subscriber",
        "state",
        "attempts",
        "claimed_at",
        "sent_at",
    )
    list_filter = ("state",)
    readonly_fields = (
        "subscriber",
        "position",
        "key",
        "state",
        "attempts",
        "claimed_at",
        "sent_at",
        "error",
    )
    fields = readonly_fields
    list_select_related = ("subscription",)
    ordering = ("-id",)

    @admin.display(description="Subscription")
    def subscriber(self, obj: Reminder) -> str:
        return str(obj.subscription)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin[Suppression]):
    list_display = ("short_hash", "reason", "created_at", "detail")
    list_filter = ("reason",)
    readonly_fields = ("email_hash", "reason", "created_at", "detail")
    fields = readonly_fields
    ordering = ("-id",)
    search_help_text = "An exact address (it is looked up by its hash)."
    search_fields = ("email_hash",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        term = search_term.strip()
        return queryset.filter(email_hash=address_hash(term) if "@" in term else term), False

    @admin.display(description="Address key")
    def short_hash(self, obj: Suppression) -> str:
        return obj.email_hash[:12] + "…"
