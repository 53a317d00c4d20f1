"""Subscriptions: masked addresses, and one claimed send per period even when re-run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from alerts.models import SentDigest, Subscription, address_hash, mask_address
from alerts.services import claim_period, period_key

pytestmark = pytest.mark.django_db


def test_mask_address_never_shows_the_whole_address():
    assert mask_address("jane.doe@example.org") == "j***@e***.org"
    assert "jane.doe" not in mask_address("jane.doe@uni.example.ac.uk")
    assert mask_address("not-an-address") == "***"


def test_address_hash_ignores_case_and_spaces():
    assert address_hash(" Jane@Example.org ") == address_hash("jane@example.org")


def test_period_keys():
    day = dt.date(2026, 12, 7)
    assert period_key("daily", day) == "2026-12-07"
    assert period_key("weekly", day) == "2026-W50"
    assert period_key("weekly", day + dt.timedelta(days=6)) == "2026-W50"


def test_claim_period_once_per_period_and_only_for_confirmed():
    sub = Subscription.objects.create(email="a@example.org", query="q=physics", frequency="daily")
    day = dt.date(2026, 12, 7)
    assert claim_period(sub, day) is None  # not confirmed yet
    sub.confirmed_at = timezone.now()
    sub.save()
    assert claim_period(sub, day) is not None
    assert claim_period(sub, day) is None  # a re-run after a killed worker sends nothing again
    assert claim_period(sub, day + dt.timedelta(days=1)) is not None
    sub.unsubscribed_at = timezone.now()
    sub.save()
    assert claim_period(sub, day + dt.timedelta(days=2)) is None
    assert SentDigest.objects.filter(subscription=sub).count() == 2
    with pytest.raises(IntegrityError):
        SentDigest.objects.create(subscription=sub, period="2026-12-07")
