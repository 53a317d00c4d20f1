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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextlib import suppress as suppress_errors
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Model, Q, Value
from django.db.models.functions import Coalesce, Greatest
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


@contextmanager
def smtp_connection() -> Iterator[Any]:
    """One SMTP connection for a run, opened by its first mail (so a server that is down
    fails that mail, inside send_rows, which marks it to retry) and closed at the end."""
    connection = mail.get_connection()
    try:
        yield connection
    finally:
        with suppress_errors(smtplib.SMTPException, OSError):
            connection.close()


def take(model: type[Model], ids: Sequence[int], *, fresh: bool) -> list[Any]:
    """Lock and move to "sending" the rows among `ids` still claimable (committed before
    returning). `fresh`: rows this worker has just claimed; else retryable ones only."""
    claimable = Q(state=SendState.CLAIMED) if fresh else retryable()
    with transaction.atomic():
        rows = list(
            model._default_manager.select_for_update(skip_locked=True)  # type: ignore[attr-defined]
            .filter(claimable, pk__in=list(ids))
            .select_related("subscription")
        )
        if rows:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).update(  # type: ignore[attr-defined]
                # While "sending", next_attempt_at is the lease's end (see reap).
                state=SendState.SENDING,
                attempts=F("attempts") + 1,
                next_attempt_at=timezone.now() + claim_lease(),
            )
    return rows


def send_rows(
    model: type[Model],
    rows: list[Any],
    subscription: Subscription,
    build: Callable[[list[Any]], EmailMessage],
    connection: Any,
) -> bool:
    """Send one mail for rows already "sending"; mark them. True when sent. Raises
    MailServerDown when the server is away (the rows are left to retry)."""
    manager = model._default_manager  # type: ignore[attr-defined]
    ids = [row.pk for row in rows]
    if is_suppressed(subscription.email_hash) or not subscription.may_receive:
        manager.filter(pk__in=ids).update(state=SendState.GAVE_UP, error="suppressed")
        return False
    try:
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
    with transaction.atomic():
        manager.filter(pk__in=ids).update(
            state=SendState.SENT, sent_at=now, error="", next_attempt_at=None
        )
        Subscription.objects.filter(pk=subscription.pk).update(
            last_sent_at=Greatest(Coalesce("last_sent_at", Value(covered)), Value(covered))
        )
    return True


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
        model._default_manager.filter(  # type: ignore[attr-defined]
            state=SendState.SENDING, next_attempt_at__lt=timezone.now(), sent_at__isnull=True
        ).update(state=SendState.GAVE_UP, error="worker stopped while sending; not resent")
    )
