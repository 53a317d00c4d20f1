"""Shortlist reminders: 14 and 3 days before a shortlisted position's deadline, when its
deadline changes, and when it closes or is marked possibly filled.

Each reminder is a `Reminder` row keyed by what it tells ('d14:<deadline>', 'd3:<deadline>',
'deadline:<new deadline>', 'filled'), unique per subscription and position, so each is sent
once (a changed deadline brings its own 14- and 3-day reminders). A subscription's reminders
of one run go out as one mail, claimed and sent as digests are (alerts/sending.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from functools import partial
from typing import Any

from django.db import connection as db_connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from positions.models import Position

from . import mail as alert_mail
from .models import PositionEvent, Reminder, Subscription, Suppression
from .sending import MailServerDown, reap, retryable, send_rows, smtp_connection, take

logger = logging.getLogger("alerts.reminders")
EARLY, LATE = 14, 3
EVENTS_LOOKBACK = dt.timedelta(days=8)


def deadline_keys(today: dt.date) -> dict[int, str]:
    """Open positions closing within 14 days: id -> 'd14:<date>' or 'd3:<date>'."""
    rows = Position.objects.filter(
        status=Position.Status.OPEN,
        moderation=Position.Moderation.PUBLISHED,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=EARLY),
    ).values_list("id", "deadline")
    keys: dict[int, str] = {}
    for pid, deadline in rows:
        if deadline is not None:  # the filter leaves none without one
            kind = "d3" if (deadline - today).days <= LATE else "d14"
            keys[pid] = f"{kind}:{deadline.isoformat()}"
    return keys


def change_keys(now: dt.datetime) -> dict[int, list[tuple[str, dt.datetime]]]:
    """Deadline changes and closings of the last days: id -> [(key, when)]."""
    found: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    events = PositionEvent.objects.filter(
        kind__in=[PositionEvent.Kind.DEADLINE, PositionEvent.Kind.FILLED],
        at__gte=now - EVENTS_LOOKBACK,
    ).values_list("position_id", "kind", "new_deadline", "at")
    for pid, kind, new_deadline, at in events:
        if kind == PositionEvent.Kind.FILLED:
            key = "filled"
        elif new_deadline is None:
            continue
        else:
            key = f"deadline:{new_deadline.isoformat()}"
        found[pid].append((key, at))
    return found


def _shortlists(position_ids: list[int]) -> Any:
    return (
        Subscription.objects.filter(
            kind=Subscription.Kind.SHORTLIST,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            bounced_at__isnull=True,
            position_ids__overlap=position_ids,
        )
        .exclude(Exists(Suppression.objects.filter(email_hash=OuterRef("email_hash"))))
        .order_by("id")
    )


def _wanted(
    subscription: Subscription, deadlines: dict[int, str], changes: dict[int, list[Any]]
) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    confirmed = subscription.confirmed_at
    for pid in subscription.position_ids:
        if pid in deadlines:
            items.append((pid, deadlines[pid]))
        for key, at in changes.get(pid, []):
            if confirmed and at > confirmed:
                items.append((pid, key))
    return items


def _claim(subscription_id: int, items: list[tuple[int, str]]) -> list[int]:
    with db_connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO alerts_reminder
                (subscription_id, position_id, key, claimed_at, state, attempts, error)
            SELECT %s, i.pid, i.key, clock_timestamp(), 'claimed', 0, ''
              FROM unnest(%s::bigint[], %s::text[]) AS i(pid, key)
            ON CONFLICT (subscription_id, position_id, key) DO NOTHING
            RETURNING id
            """,
            [subscription_id, [pid for pid, _ in items], [key for _, key in items]],
        )
        return [row[0] for row in cursor.fetchall()]


def _describe(key: str, position: Position, today: dt.date) -> str:
    kind, _, value = key.partition(":")
    if kind == "filled":
        return "has closed or is marked as possibly filled"
    if kind == "deadline":
        return f"has a new deadline: {dt.date.fromisoformat(value):%-d %B %Y}"
    days = (dt.date.fromisoformat(value) - today).days
    return (
        f"closes in {days} day{'s' if days != 1 else ''} ({dt.date.fromisoformat(value):%-d %B %Y})"
    )


def reminder_message(rows: list[Reminder], today: dt.date | None = None) -> Any:
    subscription = rows[0].subscription
    today = today or timezone.localdate()
    positions = Position.objects.in_bulk([row.position_id for row in rows])
    shown = [(positions[row.position_id], row.key) for row in rows if row.position_id in positions]
    items = [
        {
            "position": position,
            "what": _describe(key, position, today),
            "url": alert_mail.absolute(reverse("position_detail", args=[position.pk])),
        }
        for position, key in shown
    ]
    subject = (
        f"Shortlist: {shown[0][0].title[:80]} {items[0]['what']}"
        if len(shown) == 1
        else f"Shortlist: {len(items)} reminders about your positions"
    )
    context = {"items": items, "shortlist_size": len(subscription.position_ids)}
    return alert_mail.build(
        "reminder", subject, subscription.email, context, subscription=subscription
    )


def send_reminders(*, now: dt.datetime | None = None, batch_size: int = 500) -> dict[str, int]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    deadlines, changes = deadline_keys(today), change_keys(now)
    candidates = sorted(set(deadlines) | set(changes))
    stats = {"candidates": len(candidates), "claimed": 0, "sent": 0}
    if not candidates:
        return stats
    last_id = 0
    with smtp_connection() as connection:
        while True:
            batch = list(_shortlists(candidates).filter(id__gt=last_id)[:batch_size])
            if not batch:
                break
            last_id = batch[-1].pk
            for subscription in batch:
                items = _wanted(subscription, deadlines, changes)
                ids = _claim(subscription.pk, items) if items else []
                stats["claimed"] += len(ids)
                rows = take(Reminder, ids, fresh=True) if ids else []
                build = partial(reminder_message, today=today)
                if rows and send_rows(Reminder, rows, subscription, build, connection):
                    stats["sent"] += 1
    return stats


def retry_reminders() -> int:
    reap(Reminder)
    due = Reminder.objects.filter(retryable()).values_list("subscription_id", "id")
    by_subscription: dict[int, list[int]] = defaultdict(list)
    for subscription_id, row_id in due[:5000]:
        by_subscription[subscription_id].append(row_id)
    sent = 0
    with smtp_connection() as connection:
        for row_ids in by_subscription.values():
            rows = take(Reminder, row_ids, fresh=False)
            try:
                if rows and send_rows(
                    Reminder, rows, rows[0].subscription, reminder_message, connection
                ):
                    sent += 1
            except MailServerDown:
                break  # the next sweep tries again
    return sent


__all__ = ["MailServerDown", "retry_reminders", "send_reminders"]
