"""Sending a claimed mail at most once, and retrying what the mail server refused.

Every mail about a subscription has send rows (a `SentDigest`, or the `Reminder`s it tells
of), inserted under a unique constraint *before* anything is sent. A row then moves:

    claimed --(locked, committed)--> sending --(SMTP accepted)--> sent
                                          \\--(SMTP refused or server away)--> failed
    failed --(next_attempt_at passed: locked again)--> sending ...   (at most SEND_RETRIES)

"sending" is committed before the SMTP conversation starts, so a worker killed at any point
leaves either "claimed" (nothing went out: `reap` lets a retry send it once) or "sending"
(it may have gone out: `reap` marks it given up, never sent again). No one gets a duplicate;
the price is that a worker killed during the SMTP conversation itself loses that one mail.

A refused recipient (SMTP 5xx) is a hard bounce: the address is suppressed. A mail server
that is down or answers 4xx leaves the rows "failed" with an exponential backoff and raises
MailServerDown, so the batch stops and its task retries later.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextlib import suppress as suppress_errors
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from .models import SendState, Subscription, Suppression

logger = logging.getLogger("alerts.sending")


def claim_lease() -> dt.timedelta:
    """How long a claim or a send is left to the worker that holds it before a retry may
    take it (ALERTS_CLAIM_LEASE_SECONDS). Taking is atomic either way (claimed -> sending
    under a row lock), so a short lease cannot cause a duplicate, only an early give-up."""
    return dt.timedelta(seconds=settings.ALERTS_CLAIM_LEASE_SECONDS)


class MailServerDown(Exception):
    """The mail server did not take a mail for a reason of its own (down, 4xx)."""


def is_suppressed(email_hash: str) -> bool:
    return Suppression.objects.filter(email_hash=email_hash).exists()


def suppress(email_hash: str, reason: str, detail: str = "") -> None:
    """Never write to this address again; its subscriptions stop at once."""
    Suppression.objects.get_or_create(
        email_hash=email_hash, defaults={"reason": reason, "detail": detail[:300]}
    )
    now = timezone.now()
    subscriptions = Subscription.objects.filter(email_hash=email_hash)
    if reason == Suppression.Reason.UNSUBSCRIBED:
        subscriptions.filter(unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    else:
        subscriptions.filter(bounced_at__isnull=True).update(bounced_at=now)


def backoff(attempts: int) -> dt.timedelta:
    """60 s, 2 min, 4 min, ... (ALERTS_RETRY_BACKOFF_SECONDS doubled per attempt), at most 6 h."""
    seconds = settings.ALERTS_RETRY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, 6 * 3600))


def retryable() -> Q:
    """Rows a retry may take: refused earlier and due, or claimed by a worker that died
    before it started sending."""
    now = timezone.now()
    return Q(state=SendState.FAILED, next_attempt_at__lte=now) | Q(
        state=SendState.CLAIMED, claimed_at__lt=now - claim_lease()
    )


class RunConnection:
    """The run's SMTP connection, opened by its first mail (so a server that is down fails
    that mail, inside send_rows, which marks it to retry) and kept open for the mails after
    it; reopened, between two mails, after ALERTS_SMTP_MESSAGES_PER_CONNECTION mails or
    ALERTS_SMTP_IDLE_SECONDS without one, before the server's own per-connection limit or
    idle timeout would drop it in the middle of a mail (which would then wait for a retry)."""

    def __init__(self) -> None:
        self.backend = mail.get_connection()
        self.sent = 0
        self.last_used = time.monotonic()

    def open(self) -> None:
        idle = time.monotonic() - self.last_used
        if self.sent >= settings.ALERTS_SMTP_MESSAGES_PER_CONNECTION or (
            idle > settings.ALERTS_SMTP_IDLE_SECONDS
        ):
            self.close()
        self.backend.open()  # a no-op while the connection is open

    def send_messages(self, messages: list[EmailMessage]) -> int:
        try:
            return int(self.backend.send_messages(messages) or 0)
        finally:
            self.sent += len(messages)
            self.last_used = time.monotonic()

    def close(self) -> None:
        with suppress_errors(smtplib.SMTPException, OSError):
            self.backend.close()
        self.sent = 0


@contextmanager
def smtp_connection() -> Iterator[RunConnection]:
    """One SMTP connection for a run (RunConnection), closed at the end."""
    connection = RunConnection()
    try:
        yield connection
    finally:
        connection.close()


def take(model: type[Model], ids: Sequence[int], *, fresh: bool) -> list[Any]:
    """Lock and move to "sending" the rows among `ids` still claimable (committed before
    returning). `fresh`: rows this worker has just claimed; else retryable ones only."""
    claimable = Q(state=SendState.CLAIMED) if fresh else retryable()
    with transaction.atomic():
        rows = list(
            model._default_manager.select_for_update(skip_locked=True)
            .filter(claimable, pk__in=list(ids))
            .select_related("subscription")
        )
        if rows:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).update(
                # While "sending", next_attempt_at is the lease's end (see reap).
                state=SendState.SENDING,
                attempts=F("attempts") + 1,
                next_attempt_at=timezone.now() + claim_lease(),
            )
    return rows


# Whether the row's subscription may still be written to, read in the same statement that
# takes the row: the check "just before the send" costs no round trip of its own.
_MAY_RECEIVE = """EXISTS (
    SELECT 1 FROM alerts_subscription s
     WHERE s.id = t.subscription_id AND s.confirmed_at IS NOT NULL
       AND s.unsubscribed_at IS NULL AND s.bounced_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM alerts_suppression x WHERE x.email_hash = s.email_hash))"""


def take_one(model: type[Model], row_id: int) -> bool | None:
    """`take` for one row this worker has just claimed, in one statement (autocommit):
    None when it is no longer "claimed" (not this worker's to send), else whether its
    subscription may still be written to (send_rows gives it up when not). The row's
    UPDATE is atomic: of two workers taking the same row, the second finds it "sending"."""
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {model._meta.db_table} AS t
                   SET state = %s, attempts = t.attempts + 1, next_attempt_at = %s
                 WHERE t.id = %s AND t.state = %s
             RETURNING {_MAY_RECEIVE}""",  # noqa: S608 (a model's table name)
            [SendState.SENDING, timezone.now() + claim_lease(), row_id, SendState.CLAIMED],
        )
        found = cursor.fetchone()
    return None if found is None else bool(found[0])


def send_rows(
    model: type[Model],
    rows: list[Any],
    subscription: Subscription,
    build: Callable[[list[Any]], EmailMessage],
    connection: Any,
    *,
    may_receive: bool | None = None,
) -> bool:
    """Send one mail for rows already "sending"; mark them. True when sent. Raises
    MailServerDown when the server is away (the rows are left to retry). `may_receive`:
    what take_one read, else the suppression list and the subscription are read here."""
    manager = model._default_manager
    ids = [row.pk for row in rows]
    if may_receive is None:
        may_receive = subscription.may_receive and not is_suppressed(subscription.email_hash)
    if not may_receive:
        manager.filter(pk__in=ids).update(state=SendState.GAVE_UP, error="suppressed")
        return False
    try:
        connection.open()  # a no-op while the run's connection is open and fresh
        connection.send_messages([build(rows)])
    except smtplib.SMTPRecipientsRefused as error:
        _bounced(manager, ids, subscription, error)
        return False
    except (smtplib.SMTPException, OSError) as error:
        _failed(manager, rows, error)
        raise MailServerDown(str(error)) from error
    now = timezone.now()
    # What the mail covered: a digest's positions up to its run's time (a position arriving
    # while the batch is sent is in the next one), else the time it went.
    covered = max((getattr(row, "until", None) or now) for row in rows)
    _mark_sent(model, ids, subscription.pk, now, covered)
    return True


def _mark_sent(
    model: type[Model], ids: list[int], subscription_id: int, now: dt.datetime, covered: Any
) -> None:
    """The rows "sent" and the subscription's last_sent_at moved on, in one statement.
    Committed without waiting for the disk: lost only if Postgres itself crashes within a
    fraction of a second, and then the rows stay "sending", which `reap` gives up, never
    resends (what "sending" is for). The "sending" before the SMTP conversation waits."""
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"""WITH sent AS (
                    UPDATE {model._meta.db_table}
                       SET state = %s, sent_at = %s, error = '', next_attempt_at = NULL
                     WHERE id = ANY(%s))
                UPDATE alerts_subscription
                   SET last_sent_at = GREATEST(COALESCE(last_sent_at, %s), %s)
                 WHERE id = %s""",  # noqa: S608 (a model's table name)
            [SendState.SENT, now, ids, covered, covered, subscription_id],
        )


def _bounced(manager: Any, ids: list[int], subscription: Subscription, error: Exception) -> None:
    codes = [code for code, _ in getattr(error, "recipients", {}).values()]
    permanent = any(500 <= int(code) < 600 for code in codes)
    detail = f"SMTP refused the recipient: {codes}"
    if permanent:
        logger.warning("hard bounce for %s: suppressed", subscription.masked_email)
        suppress(subscription.email_hash, Suppression.Reason.BOUNCE, detail)
        manager.filter(pk__in=ids).update(state=SendState.GAVE_UP, error=detail[:300])
    else:
        manager.filter(pk__in=ids).update(
            state=SendState.FAILED,
            error=detail[:300],
            next_attempt_at=timezone.now() + backoff(1),
        )


def _failed(manager: Any, rows: list[Any], error: Exception) -> None:
    attempts = max(row.attempts for row in rows) + 1
    detail = f"{type(error).__name__}: {error}"[:300]
    if attempts >= settings.ALERTS_SEND_RETRIES:
        state, next_attempt = SendState.GAVE_UP, None
    else:
        state, next_attempt = SendState.FAILED, timezone.now() + backoff(attempts)
    manager.filter(pk__in=[row.pk for row in rows]).update(
        state=state, error=detail, next_attempt_at=next_attempt
    )
    logger.warning("mail server refused a mail (%s); attempt %d", type(error).__name__, attempts)


def reap(model: type[Model]) -> int:
    """Rows left "sending" by a worker that died mid-conversation: given up (they may have
    gone out). Returns how many."""
    return int(
        model._default_manager.filter(
            state=SendState.SENDING, next_attempt_at__lt=timezone.now(), sent_at__isnull=True
        ).update(state=SendState.GAVE_UP, error="worker stopped while sending; not resent")
    )
