"""Shortlist reminders: 14 and 3 days before a deadline, a changed deadline, a filled
position; each once, through real mail; the shortlist's share token (positions' contract)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from alerts.models import Reminder, Subscription
from alerts.reminders import send_reminders
from tests.alerts.conftest import csrf_post, link_to, parts
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db
ADDRESS = "sam@lab.example.org"


def share_token(ids: list[int]) -> str:
    return signing.dumps(sorted(ids), salt="positions.shortlist", compress=True)


def subscribe_shortlist(client: Client, inbox, ids: list[int]) -> Subscription:
    response = client.post("/alerts/shortlist/", {"token": share_token(ids), "email": ADDRESS})
    assert response.status_code == 200
    (message,) = inbox.to(ADDRESS)
    path = link_to(message, "/alerts/confirm/").split("://", 1)[1].split("/", 1)[1]
    assert csrf_post(client, "/" + path).status_code == 200
    inbox.clear()
    subscription = Subscription.objects.get(kind="shortlist")
    assert subscription.confirmed_at and subscription.position_ids == sorted(ids)
    return subscription


def test_reminders_14_and_3_days_before_and_on_changes(inbox):
    today = timezone.localdate()
    soon = PositionFactory(title="Soil microbiology", deadline=today + dt.timedelta(days=14))
    later = PositionFactory(title="Ocean acoustics", deadline=today + dt.timedelta(days=40))
    other = PositionFactory(title="Not on the list", deadline=today + dt.timedelta(days=14))
    client = Client()
    subscribe_shortlist(client, inbox, [soon.pk, later.pk])

    assert send_reminders()["sent"] == 1
    (message,) = inbox.to(ADDRESS)
    text, html = parts(message)
    assert "Soil microbiology" in text and "closes in 14 days" in text.lower()
    assert "Soil microbiology" in html
    assert "Ocean acoustics" not in text and other.title not in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    inbox.clear()
    assert send_reminders()["sent"] == 0  # each reminder once

    # 3 days before (eleven days on).
    eleven_days = timezone.now() + dt.timedelta(days=11)
    assert send_reminders(now=eleven_days)["sent"] == 1
    assert "closes in 3 days" in parts(inbox.to(ADDRESS)[0])[0].lower()
    inbox.clear()

    # The other position changes its deadline, then the first is filled.
    later.deadline = today + dt.timedelta(days=50)
    later.save(update_fields=["deadline"])
    soon.possibly_filled = True
    soon.save(update_fields=["possibly_filled"])
    assert send_reminders()["sent"] == 1
    text = parts(inbox.to(ADDRESS)[0])[0].lower()
    assert "ocean acoustics" in text and "new deadline" in text
    assert "soil microbiology" in text and "possibly filled" in text
    inbox.clear()
    assert send_reminders()["sent"] == 0
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}


def test_an_unsubscribed_shortlist_gets_nothing(inbox):
    today = timezone.localdate()
    position = PositionFactory(deadline=today + dt.timedelta(days=3))
    subscription = subscribe_shortlist(Client(), inbox, [position.pk])
    subscription.unsubscribed_at = timezone.now()
    subscription.save()
    assert send_reminders()["sent"] == 0
    assert inbox.messages == []


def test_a_forged_or_foreign_token_is_refused(inbox):
    client = Client()
    forged = signing.dumps([1, 2], salt="another.salt", compress=True)
    assert client.post("/alerts/shortlist/", {"token": forged, "email": ADDRESS}).status_code == 400
    bad_ids = signing.dumps(["x", -1], salt="positions.shortlist", compress=True)
    assert (
        client.post("/alerts/shortlist/", {"token": bad_ids, "email": ADDRESS}).status_code == 400
    )
    assert inbox.messages == []


def test_the_partial_renders_the_form_with_the_token(rf):
    from django.template.loader import render_to_string

    token = share_token([3, 1, 2])
    html = render_to_string("alerts/_shortlist_remind_form.html", {"shortlist_token": token})
    assert 'action="/alerts/shortlist/"' in html and token in html
    assert render_to_string("alerts/_shortlist_remind_form.html", {}).strip() == ""
