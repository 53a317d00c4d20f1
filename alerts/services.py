"""Claiming a digest period for a subscription before its mail goes out."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from .models import SentDigest, Subscription


def period_key(frequency: str, day: dt.date) -> str:
    if frequency == Subscription.Frequency.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def claim_period(subscription: Subscription, day: dt.date) -> SentDigest | None:
    """The period's send record if this call claimed it; None if it was claimed already
    or the subscription may not be written to (unconfirmed, unsubscribed, bounced)."""
    if not subscription.may_receive:
        return None
    try:
        with transaction.atomic():
            return SentDigest.objects.create(
                subscription=subscription, period=period_key(subscription.frequency, day)
            )
    except IntegrityError:
        return None
