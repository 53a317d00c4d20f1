"""The digest run: every subscription of one frequency, in keyset-paginated batches.

For a run at `now` (daily or weekly), the positions first seen or reopened in the last two
periods are loaded once (ids and times only). Each distinct saved search is matched against
them once a run, in Postgres, by the search page's own filters (queries.Matcher: one
statement per distinct search, cached); each subscription gets the matches newer than its
last digest (or its confirmation). A subscription with nothing new gets nothing, and no
send row. Those with something are claimed in one INSERT ... ON CONFLICT DO NOTHING per
batch (only the rows this run inserted are its to send), then sent one by one through one
SMTP connection kept open for the run, each with two statements of its own (and a SET LOCAL): one takes the
row ("sending", committed, with the suppression check) and one marks it sent
(alerts/sending.py: each at most once, even when a worker is killed mid-batch). A digest's
positions are read and its templates rendered once per distinct content (DigestMails).
Two periods of look-back let one missed run (beat down for a day) catch up; older
positions were in an earlier run's window."""

from __future__ import annotations

import datetime as dt
import logging
from collections import OrderedDict
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
from .sending import (
    MailServerDown,
    reap,
    retryable,
    send_rows,
    smtp_connection,
    take,
    take_one,
)
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


def claim(period: str, wanted: dict[int, list[int]], until: dt.datetime) -> dict[int, int]:
    """Insert the period's send rows: subscription id -> row id for those this call
    inserted (the others were claimed by a run before, and are not this run's to send)."""
    if not wanted:
        return {}
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
            RETURNING subscription_id, id
            """,
            [period, until, sub_ids, id_lists],
        )
        return dict(cursor.fetchall())


@lru_cache(maxsize=4096)
def _described(query: str) -> str:
    """The search in words, once per distinct search in a worker (it reads topic and
    institution names)."""
    return describe(query)


class DigestMails:
    """Digest mails for one run. Subscribers of the same search with the same new positions
    get the same digest but for their own links: its positions are read and its templates
    rendered once (mail.render, the links left as marks), kept in a bounded cache, and
    each mail is made from that (mail.message)."""

    def __init__(self, cache_size: int = 1000) -> None:
        # ~11 KB a digest: the cache holds ~11 MB at most.
        self._cache: OrderedDict[tuple[Any, ...], tuple[str, str, str]] = OrderedDict()
        self._cache_size = cache_size
        # What a digest shows of a position, read once a run (the run's fresh positions
        # only: a few thousand at most, like the Matcher's ids).
        self._positions: dict[int, Position] = {}
        self.rendered = 0

    def __call__(self, rows: list[SentDigest]) -> Any:
        subscription = rows[0].subscription
        subject, text, html = self._parts(subscription, list(rows[0].position_ids))
        return alert_mail.message(
            subject, subscription.email, text, html, subscription=subscription
        )

    def _parts(self, subscription: Subscription, ids: list[int]) -> tuple[str, str, str]:
        shown_ids = ids[: settings.ALERTS_DIGEST_MAX_POSITIONS]
        key = (subscription.query, subscription.frequency, len(ids), *shown_ids)
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        missing = [pid for pid in shown_ids if pid not in self._positions]
        if missing:
            self._positions.update(
                (position.pk, position)
                for position in Position.objects.filter(pk__in=missing).only(*_SHOWN)
            )
        found = _render(subscription, ids, shown_ids, self._positions)
        self.rendered += 1
        self._cache[key] = found
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return found


_SHOWN = ("id", "title", "institution_name", "country", "deadline", "deadline_kind", "funding")


def _render(
    subscription: Subscription, ids: list[int], shown_ids: list[int], by_id: dict[int, Position]
) -> tuple[str, str, str]:
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
        "unsubscribe_url": alert_mail.UNSUBSCRIBE_MARK,
        "manage_url": alert_mail.MANAGE_MARK,
    }
    text, html = alert_mail.render("digest", context)
    return subject, text, html


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
    counter = _StatementCounter()
    with db_connection.execute_wrapper(counter):
        try:
            _run(frequency, period, now, batch_size or settings.ALERTS_BATCH_SIZE, stats)
        finally:
            stats.extra["statements"] = counter.count
    logger.info("digests %s %s: %s", frequency, period, stats)
    return stats


def _run(frequency: str, period: str, now: dt.datetime, size: int, stats: RunStats) -> None:
    window_start = now - 2 * PERIOD[frequency]
    fresh = fresh_positions(window_start, now)
    stats.fresh_positions = len(fresh)
    if not fresh:
        return
    matcher = Matcher(fresh, timezone.localdate(now))
    mails = DigestMails()
    try:
        with smtp_connection() as connection:
            for batch in batches(receiving(frequency, period), size):
                stats.subscriptions += len(batch)
                stats.extra["batches"] = stats.extra.get("batches", 0) + 1
                wanted = {}
                for subscription in batch:
                    new = matcher.new_for(subscription.query, _since(subscription, window_start))
                    if new:
                        wanted[subscription.pk] = new
                mine = claim(period, wanted, now)
                stats.claimed += len(mine)
                for subscription in batch:
                    if subscription.pk in mine:
                        row = SentDigest(
                            pk=mine[subscription.pk],
                            subscription=subscription,
                            period=period,
                            position_ids=wanted[subscription.pk],
                            until=now,
                        )
                        _send_fresh(row, stats, connection, mails)
    finally:
        stats.queries = matcher.queries_run
        stats.extra["rendered"] = mails.rendered


def _send_fresh(row: SentDigest, stats: RunStats, connection: Any, mails: DigestMails) -> None:
    """A row this run has just claimed: taken and sent with two statements of its own."""
    may_receive = take_one(SentDigest, row.pk)
    if may_receive is None:
        return  # taken by a retry since (its lease ended): not ours any more
    sent = send_rows(
        SentDigest, [row], row.subscription, mails, connection, may_receive=may_receive
    )
    if sent:
        stats.sent += 1
    else:
        stats.not_sent += 1


class _StatementCounter:
    """Counts the SQL statements of a run (reported as extra["statements"])."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def _send_claimed(ids: list[int], stats: RunStats, connection: Any, *, fresh: bool) -> None:
    mails = DigestMails()
    for row_id in ids:
        for row in take(SentDigest, [row_id], fresh=fresh):
            if send_rows(SentDigest, [row], row.subscription, mails, connection):
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
