"""Saved searches and shortlists an address subscribed to, what was sent to them, and the
addresses never to be written to again.

A send record (`SentDigest`, `Reminder`) is claimed *before* its mail goes out, under a
unique constraint, so a worker killed mid-batch and re-run sends no one the same mail twice
(alerts/sending.py has the states).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


def address_hash(address: str) -> str:
    """A stable key for an address (case-insensitive), to find its subscriptions without it."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def mask_address(address: str) -> str:
    """An address as it may appear in logs and pages: 'j***@e***.org'."""
    local, _, domain = address.strip().partition("@")
    if not domain:
        return "***"
    host, _, tld = domain.rpartition(".")
    host = host or tld
    masked_domain = f"{host[:1]}***.{tld}" if tld and host != tld else f"{domain[:1]}***"
    return f"{local[:1]}***@{masked_domain}"


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    class Kind(models.TextChoices):
        SEARCH = "search", "Saved search"
        SHORTLIST = "shortlist", "Shortlist reminders"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SEARCH)
    email = models.EmailField(max_length=254)
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    query = models.TextField(blank=True, help_text="The search's query string, as on the site.")
    position_ids = ArrayField(
        models.BigIntegerField(), default=list, blank=True, help_text="A shortlist's positions."
    )
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("view_address", "Can read subscribers' e-mail addresses")]
        indexes = [
            models.Index(fields=["frequency", "id"], name="alerts_sub_freq_id"),
            # Reminders find the shortlists holding a position: position_ids && ARRAY[...].
            GinIndex(fields=["position_ids"], name="alerts_sub_positions"),
        ]

    def __str__(self) -> str:
        return f"{self.masked_email} ({self.get_kind_display()}, {self.frequency})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_hash = address_hash(self.email)
        super().save(*args, **kwargs)

    @property
    def masked_email(self) -> str:
        return mask_address(self.email)

    @property
    def may_receive(self) -> bool:
        """Confirmed, and never unsubscribed or bounced: the only ones ever written to
        (the address's suppression is checked again just before each send)."""
        return bool(self.confirmed_at) and not self.unsubscribed_at and not self.bounced_at


class SendState(models.TextChoices):
    CLAIMED = "claimed", "Claimed"  # no SMTP conversation yet: safe to send on a re-run
    SENDING = "sending", "Sending"  # handed to SMTP: if left so, never sent again
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"  # SMTP refused it: nothing went out
    GAVE_UP = "gave_up", "Gave up"


class SentDigest(models.Model):
    State = SendState
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent")
    period = models.CharField(max_length=16, help_text="'2026-12-07' daily, '2026-W50' weekly.")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    positions = models.PositiveIntegerField(default=0)
    position_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    until = models.DateTimeField(
        null=True, blank=True, help_text="Positions new up to this time are in it."
    )
    state = models.CharField(max_length=8, choices=SendState.choices, default=SendState.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="alerts_one_send_per_period"
            )
        ]
        indexes = [models.Index(fields=["state", "claimed_at"], name="alerts_digest_state")]

    def __str__(self) -> str:
        return f"{self.period} #{self.subscription_id}"


class Reminder(models.Model):
    """One reminder about one position to one shortlist subscription: `key` is 'd14:<date>',
    'd3:<date>', 'deadline:<date>' or 'filled' (unique, so each goes out once)."""

    State = SendState
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="reminders"
    )
    position = models.ForeignKey("positions.Position", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=8, choices=SendState.choices, default=SendState.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "position", "key"], name="alerts_one_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.position_id} to #{self.subscription_id}"


class Suppression(models.Model):
    """An address (by its hash only) never written to again: it bounced, complained, or
    asked for no more mail from us at all."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", "Bounced"
        COMPLAINT = "complaint", "Complaint"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed from everything"

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.email_hash[:12]}… ({self.reason})"


class PositionEvent(models.Model):
    """Written by a database trigger (migration 0003) whenever a position reopens, changes
    its deadline, closes or is marked possibly filled, whatever wrote it (services, bulk
    upserts, the admin): digests find reopened positions here, reminders the changes."""

    class Kind(models.TextChoices):
        REOPENED = "reopened", "Reopened"
        DEADLINE = "deadline", "Deadline changed"
        FILLED = "filled", "Closed or filled"

    # No database constraint: the trigger writes it inside the position's own UPDATE, and
    # a raw delete of positions must not be refused because of their change log.
    position = models.ForeignKey(
        "positions.Position", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    old_deadline = models.DateField(null=True, blank=True)
    new_deadline = models.DateField(null=True, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["at"], name="alerts_event_at")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.position_id} at {self.at:%Y-%m-%d %H:%M}"
