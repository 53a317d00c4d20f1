"""The alert form on every search page (typos, no results, hostile query strings: never a
500), and the admin's masking of addresses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from alerts.models import SentDigest, Subscription
from tests.factories import PositionFactory, UserFactory, refresh_search

pytestmark = pytest.mark.django_db

HOSTILE = [
    "q=machin+lerning",  # a typo
    "q=zzzqqxxnothing",  # no results
    "q=%00%ff%fe",
    "q=" + "a" * 5000,
    "q=<script>alert(1)</script>&country=<x>",
    "funding=full&funding=%27%3B+DROP+TABLE+positions_position%3B--",
    "deadline_within=-1&page=0&per_page=100000&sort=nonsense",
    "start_after=2026-13-45&deadline_before=yesterday&institution=abc&topic=%2F..%2F",
    "q=%22unclosed+quote&q=second",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_every_search_page_offers_the_alert_form(query):
    refresh_search([PositionFactory(title="Machine learning for proteins")])
    client = Client()
    response = client.get("/?" + query)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert 'id="alert-form"' in body and 'form="alert-form"' in body
    assert "<script>alert(1)" not in body
    # The swapped fragment of the same search carries the fields too.
    fragment = client.get("/?" + query, headers={"X-Requested-With": "fetch"})
    assert fragment.status_code in (200, 400)
    assert 'name="email"' in fragment.content.decode()
    # The form on a page of its own (no JavaScript) takes the same query string.
    alone = client.get("/alerts/subscribe/?" + query)
    assert alone.status_code == 200 and 'name="email"' in alone.content.decode()
    # And saving it never fails: the subscribe form takes what it can of the search.
    saved = client.post(
        "/alerts/subscribe/", {"email": "a@example.org", "frequency": "daily", "query": query}
    )
    assert saved.status_code == 200


def test_the_subscribe_page_works_without_the_search_page():
    response = Client().get("/alerts/subscribe/?q=ecology&funding=full&page=3")
    assert response.status_code == 200
    assert b"ecology" in response.content
    assert b'name="query" value="q=ecology&amp;funding=full"' in response.content


def _staff(client: Client, *, address_permission: bool):
    user = UserFactory(is_staff=True, is_superuser=False)
    names = ["view_subscription", "view_sentdigest"]
    if address_permission:
        names.append("view_address")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="alerts", codename__in=names)
    )
    client.force_login(user)
    return user


@pytest.mark.parametrize("allowed", [False, True])
def test_admin_masks_addresses_without_the_permission(allowed, settings):
    subscription = Subscription.objects.create(
        email="secret.person@uni.example.org",
        query="q=ecology",
        frequency="daily",
        confirmed_at=timezone.now(),
        last_sent_at=timezone.now() - dt.timedelta(days=1),
    )
    SentDigest.objects.create(
        subscription=subscription, period="2026-12-06", state="sent", positions=3
    )
    client = Client()
    _staff(client, address_permission=allowed)
    admin = "/" + settings.ADMIN_URL
    pages = [
        client.get(f"{admin}alerts/subscription/"),
        client.get(f"{admin}alerts/subscription/{subscription.pk}/change/"),
        client.get(f"{admin}alerts/sentdigest/"),
        client.get(f"{admin}alerts/subscription/?q=secret.person@uni.example.org"),
    ]
    for page in pages:
        assert page.status_code == 200
    shown = [b"secret.person@uni.example.org" in page.content for page in pages]
    if allowed:
        assert shown[0] and shown[1] and shown[3]
    else:
        assert not any(shown[:3])  # (the search box echoes what the user typed)
        assert b"s***@u***.org" in pages[0].content
        assert b"s***@u***.org" not in pages[3].content  # no search by address either
    assert b"ecology" in pages[0].content
    assert b"active" in pages[0].content  # the counts over the list
    assert b"s***@u***.org" in pages[2].content  # sent mail, masked always
