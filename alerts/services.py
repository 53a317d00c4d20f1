"""Claiming a digest period; subscribing (double opt-in), confirming, unsubscribing."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import mail as alert_mail
from .models import SentDigest, Subscription, Suppression, address_hash, mask_address
from .queries import describe
from .sending import suppress

logger = logging.getLogger("alerts.services")


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


# --- Subscribing, confirming, unsubscribing ------------------------------------------------
# Every function answers the same whatever the address's state, so a page built on one
# cannot tell anyone whether an address is subscribed; mail failures are logged (masked)
# and not shown for the same reason.


def _send_now(message: Any, address: str) -> bool:
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("could not send to %s: %s", mask_address(address), type(error).__name__)
        return False
    return True


def request_subscription(
    email: str,
    *,
    query: str = "",
    frequency: str = Subscription.Frequency.WEEKLY,
    kind: str = Subscription.Kind.SEARCH,
    position_ids: list[int] | None = None,
) -> str:
    """Start (or restart) a double opt-in. Returns what happened, for tests and logs only:
    'confirmation', 'already', 'suppressed' or 'too_many'."""
    key = address_hash(email)
    if Suppression.objects.filter(email_hash=key).exists():
        return "suppressed"
    same = (
        Subscription.objects.filter(
            email_hash=key,
            kind=kind,
            query=query,
            position_ids=position_ids or [],
            unsubscribed_at__isnull=True,
            bounced_at__isnull=True,
        )
        .order_by("-id")
        .first()
    )
    if same is not None and same.confirmed_at:
        _send_now(
            alert_mail.build(
                "already",
                "You already have this alert",
                email,
                {"search_words": _words(same)},
                subscription=same,
            ),
            email,
        )
        return "already"
    if same is None:
        active = Subscription.objects.filter(email_hash=key, unsubscribed_at__isnull=True)
        if active.count() >= settings.ALERTS_SUBSCRIPTIONS_PER_ADDRESS:
            return "too_many"
        same = Subscription.objects.create(
            email=email.strip(),
            kind=kind,
            query=query,
            frequency=frequency,
            position_ids=position_ids or [],
        )
    elif same.frequency != frequency:
        same.frequency = frequency
        same.save(update_fields=["frequency", "email_hash"])
    context = {
        "search_words": _words(same),
        "confirm_url": alert_mail.confirm_url(same),
        "hours": settings.ALERTS_CONFIRM_HOURS,
        "subscription": same,
    }
    _send_now(alert_mail.build("confirm", "Confirm your e-mail alert", email, context), email)
    logger.info("confirmation requested by %s (#%d)", mask_address(email), same.pk)
    return "confirmation"


def _words(subscription: Subscription) -> str:
    if subscription.kind == Subscription.Kind.SHORTLIST:
        count = len(subscription.position_ids)
        return f"reminders for the {count} position{'s' if count != 1 else ''} on your shortlist"
    return describe(subscription.query)


def confirm(subscription_id: int) -> Subscription | None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.unsubscribed_at or subscription.bounced_at:
        return None
    if Suppression.objects.filter(email_hash=subscription.email_hash).exists():
        return None
    if not subscription.confirmed_at:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at", "email_hash"])
    return subscription


def unsubscribe(subscription_id: int, *, everything: bool = False) -> Subscription | None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return None
    if everything:
        suppress(subscription.email_hash, Suppression.Reason.UNSUBSCRIBED, "by the address")
    elif not subscription.unsubscribed_at:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "email_hash"])
    return subscription


def send_manage_link(email: str) -> bool:
    """Mail the manage link if the address has subscriptions (the caller's reply is the
    same either way). True when a mail was sent."""
    key = address_hash(email)
    if Suppression.objects.filter(email_hash=key).exists():
        return False
    subscription = (
        Subscription.objects.filter(email_hash=key, unsubscribed_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if subscription is None:
        return False
    context = {"manage_url": alert_mail.manage_url(key)}
    return _send_now(
        alert_mail.build("manage_link", "Your e-mail alerts", subscription.email, context),
        email,
    )
