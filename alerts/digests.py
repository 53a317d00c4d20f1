"""The digest run: every subscription of one frequency, in keyset-paginated batches.

For a run at `now` (daily or weekly), the positions first seen or reopened in the last two
periods are loaded once (ids and times only); each subscription gets those its search
matches and that are newer than its last digest (or its confirmation). A subscription with
nothing new gets nothing, and no send row. Those with something are claimed in one
INSERT ... ON CONFLICT DO NOTHING per batch (only the rows this run inserted are its to
send), then sent one by one through one SMTP connection (alerts/sending.py: each at most
once, even when a worker is killed mid-batch). Two periods of look-back let one missed
run (beat down for a day) catch up; older positions were in an earlier run's window.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection as db_connection
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from positions.models import Position

from . import mail as alert_mail
from .models import SendState, SentDigest, Subscription, Suppression
from .queries import Matcher, describe, fresh_positions
from .sending import MailServerDown, reap, retryable, send_rows, smtp_connection, take
from .services import period_key

logger = logging.getLogger("alerts.digests")
PERIOD = {"daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}


@dataclass
class RunStats:
    frequency: str
    period: str
    fresh_positions: int = 0
    subscriptions: int = 0
    claimed: int = 0
    sent: int = 0
    not_sent: int = 0
    queries: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def receiving(frequency: str, period: str) -> Any:
    """Confirmed saved searches of this frequency that may be written to and have no send
    row for the period yet."""
    return (
        Subscription.objects.filter(
            kind=Subscription.Kind.SEARCH,
            frequency=frequency,
            confirmed_at__isnull=False,
            unsubscribed_at__isnull=True,
            bounced_at__isnull=True,
        )
        .exclude(Exists(Suppression.objects.filter(email_hash=OuterRef("email_hash"))))
        .exclude(Exists(SentDigest.objects.filter(subscription=OuterRef("pk"), period=period)))
    )


def batches(queryset: Any, size: int) -> Iterator[list[Subscription]]:
    """Keyset pagination by id: one batch in memory at a time, whatever the total."""
    last_id = 0
    while True:
        batch = list(
            queryset.filter(id__gt=last_id)
            .only(
                "id",
                "email",
                "email_hash",
                "query",
                "frequency",
                "kind",
                "confirmed_at",
                "last_sent_at",
                "unsubscribed_at",
                "bounced_at",
            )
            .order_by("id")[:size]
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk


def claim(period: str, wanted: dict[int, list[int]], until: dt.datetime) -> set[int]:
    """Insert the period's send rows; the subscription ids this call inserted (the others
    were claimed by a run before, and are not this run's to send)."""
    if not wanted:
        return set()
    sub_ids = list(wanted)
    id_lists = ["{" + ",".join(map(str, wanted[sub_id])) + "}" for sub_id in sub_ids]
    with db_connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO alerts_sentdigest
                (subscription_id, period, claimed_at, positions, position_ids, until, state,
                 attempts, error)
            SELECT s.id, %s, clock_timestamp(), cardinality(s.ids::bigint[]), s.ids::bigint[],
                   %s, 'claimed', 0, ''
              FROM unnest(%s::bigint[], %s::text[]) AS s(id, ids)
            ON CONFLICT (subscription_id, period) DO NOTHING
            RETURNING subscription_id
            """,
            [period, until, sub_ids, id_lists],
        )
        return {row[0] for row in cursor.fetchall()}


@lru_cache(maxsize=4096)
def _described(query: str) -> str:
    """The search in words, once per distinct search in a worker (it reads topic and
    institution names)."""
    return describe(query)


def digest_message(rows: list[SentDigest]) -> Any:
    row = rows[0]
    subscription = row.subscription
    ids = list(row.position_ids)
    shown_ids = ids[: settings.ALERTS_DIGEST_MAX_POSITIONS]
    by_id = {
        position.pk: position
        for position in Position.objects.filter(pk__in=shown_ids).only(
            "id", "title", "institution_name", "country", "deadline", "deadline_kind", "funding"
        )
    }
    positions = [
        {
            "position": by_id[pid],
            "url": alert_mail.absolute(reverse("position_detail", args=[pid])),
        }
        for pid in shown_ids
        if pid in by_id
    ]
    words = _described(subscription.query)
    count = len(ids)
    subject = f"{count} new PhD position{'s' if count != 1 else ''}: {words}"
    context = {
        "positions": positions,
        "count": count,
        "more": max(0, count - len(positions)),
        "search_words": words,
        "search_url": alert_mail.search_url(subscription.query),
        "frequency": subscription.get_frequency_display().lower(),
    }
    return alert_mail.build(
        "digest", subject, subscription.email, context, subscription=subscription
    )


def _since(subscription: Subscription, window_start: dt.datetime) -> dt.datetime:
    marks = [window_start, subscription.confirmed_at, subscription.last_sent_at]
    return max(mark for mark in marks if mark is not None)


def send_digests(
    frequency: str, *, now: dt.datetime | None = None, batch_size: int | None = None
) -> RunStats:
    """Send the period's digests. Raises MailServerDown when the mail server is away:
    what was sent stays sent, the rest is sent by the task's retry."""
    now = now or timezone.now()
    period = period_key(frequency, timezone.localdate(now))
    stats = RunStats(frequency, period)
    window_start = now - 2 * PERIOD[frequency]
    fresh = fresh_positions(window_start, now)
    stats.fresh_positions = len(fresh)
    if not fresh:
        return stats
    matcher = Matcher(fresh, timezone.localdate(now))
    with smtp_connection() as connection:
        for batch in batches(
            receiving(frequency, period), batch_size or settings.ALERTS_BATCH_SIZE
        ):
            stats.subscriptions += len(batch)
            wanted = {}
            for subscription in batch:
                new = matcher.new_for(subscription.query, _since(subscription, window_start))
                if new:
                    wanted[subscription.pk] = new
            mine = claim(period, wanted, now)
            stats.claimed += len(mine)
            rows = SentDigest.objects.filter(subscription_id__in=mine, period=period)
            _send_claimed([row.pk for row in rows.only("id")], stats, connection, fresh=True)
    stats.queries = matcher.queries_run
    logger.info("digests %s %s: %s", frequency, period, stats)
    return stats


def _send_claimed(ids: list[int], stats: RunStats, connection: Any, *, fresh: bool) -> None:
    for row_id in ids:
        for row in take(SentDigest, [row_id], fresh=fresh):
            if send_rows(SentDigest, [row], row.subscription, digest_message, connection):
                stats.sent += 1
            else:
                stats.not_sent += 1


def retry_digests(limit: int = 5000) -> RunStats:
    """Send the due failed digests (and those a dead worker claimed but never started)."""
    reap(SentDigest)
    stats = RunStats("retry", "")
    ids = list(
        SentDigest.objects.filter(retryable()).order_by("id").values_list("id", flat=True)[:limit]
    )
    with smtp_connection() as connection:
        try:
            _send_claimed(ids, stats, connection, fresh=False)
        except MailServerDown:
            stats.extra["mail_server_down"] = True  # the next sweep tries again
    return stats


__all__ = ["MailServerDown", "RunStats", "SendState", "retry_digests", "send_digests"]
