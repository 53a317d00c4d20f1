"""Visitors report outdated or wrong positions without an account; abuse is limited."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from positions.models import Report
from tests.factories import PositionFactory

from .admin_forms import post_admin_action

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_rate_limits():
    cache.clear()
    yield
    cache.clear()


def report_url(position) -> str:
    return reverse("position_report", args=[position.pk])


def test_the_report_url_is_the_documented_one():
    position = PositionFactory()
    assert report_url(position) == f"/positions/{position.pk}/report/"


def test_a_visitor_report_is_stored_and_puts_the_position_in_the_review_queue(client):
    position = PositionFactory()
    assert client.get(report_url(position)).status_code == 200

    response = client.post(report_url(position), {"reason": "filled", "message": "Filled in May"})

    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    report = Report.objects.get()
    assert (report.position, report.reason, report.message) == (position, "filled", "Filled in May")
    assert report.client_hash and "127.0.0.1" not in report.client_hash
    position.refresh_from_db()
    assert position.needs_review
    assert any("report" in reason for reason in position.review_reasons)
    assert b"Thank you" in client.get(response["Location"]).content


def test_reports_are_rate_limited_per_address(client, settings):
    settings.REPORTS_PER_HOUR = 5
    position = PositionFactory()
    for _ in range(5):
        assert client.post(report_url(position), {"reason": "wrong"}).status_code == 302
    limited = client.post(report_url(position), {"reason": "wrong"})
    assert limited.status_code == 429
    assert Report.objects.count() == 5
    other = client.post(report_url(position), {"reason": "wrong"}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 302


def test_a_bot_filling_the_honeypot_is_thanked_but_nothing_is_stored(client):
    position = PositionFactory()
    response = client.post(
        report_url(position), {"reason": "spam", "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert Report.objects.count() == 0


def test_the_form_needs_a_csrf_token():
    position = PositionFactory()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(report_url(position), {"reason": "filled"}).status_code == 403


def test_an_invalid_reason_is_a_clear_error_not_a_crash(client):
    position = PositionFactory()
    response = client.post(report_url(position), {"reason": "<script>", "message": "x" * 5000})
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_hidden_positions_cannot_be_reported(client):
    position = PositionFactory(moderation="hidden")
    assert client.get(report_url(position)).status_code == 404


def test_reports_are_resolved_in_the_admin(client):
    from tests.factories import make_curator

    position = PositionFactory()
    client.post(report_url(position), {"reason": "broken"})
    client.force_login(make_curator())
    report = Report.objects.get()
    response = post_admin_action(client, "/admin/positions/report/", "resolve", [report])
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.resolved
