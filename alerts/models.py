"""A saved search an address subscribed to, and one record per digest period sent.

The send record's unique (subscription, period) constraint is claimed *before* a mail goes
out, so a worker killed mid-batch and re-run sends no one the same period twice.
"""

from __future__ import annotations

import hashlib
from typing import Any

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

    email = models.EmailField(max_length=254)
    email_hash = models.CharField(max_length=64, db_index=True, editable=False)
    query = models.TextField(blank=True, help_text="The search's query string, as on the site.")
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("view_address", "Can read subscribers' e-mail addresses")]
        indexes = [models.Index(fields=["frequency", "id"], name="alerts_sub_freq_id")]

    def __str__(self) -> str:
        return f"{self.masked_email} ({self.frequency})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_hash = address_hash(self.email)
        super().save(*args, **kwargs)

    @property
    def masked_email(self) -> str:
        return mask_address(self.email)

    @property
    def may_receive(self) -> bool:
        """Confirmed, and never unsubscribed or bounced: the only ones ever written to."""
        return bool(self.confirmed_at) and not self.unsubscribed_at and not self.bounced_at


class SentDigest(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="sent")
    period = models.CharField(max_length=16, help_text="'2026-12-07' daily, '2026-W50' weekly.")
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    positions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "period"], name="alerts_one_send_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} #{self.subscription_id}"
