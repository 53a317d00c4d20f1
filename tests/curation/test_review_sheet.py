"""The review queue's form opens with a sheet: facts beside their evidence and contradictions,
each reason once, and Approve / Reject / Next that work without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from positions.curation import merge_reasons, review_queue_condition
from positions.models import Position
from positions.services import position_upsert_from_record
from scrapers.records import Evidence
from tests.factories import SourceFactory, make_record, make_superuser

from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/positions/reviewqueueposition/"


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def waiting(n: int, **extra) -> Position:
    record = make_record(
        url=f"https://jobs.example.org/phd-{n}",
        title=f"PhD in Glaciology {n}",
        deadline=in_days(40).isoformat(),
        evidence={
            "deadline": Evidence("applications close early in the new year", "month-guess", 0.3),
            "funding": Evidence("Fully funded studentship", "keyword", 0.95),
        },
        contradictions=[
            {
                "field": "deadline",
                "chosen": in_days(40).isoformat(),
                "other": in_days(55).isoformat(),
                "why": "the advert's own text wins over the listing's closing date",
            }
        ],
        **extra,
    )
    source = SourceFactory(name="Queue board", auto_publish=False)
    return position_upsert_from_record(record=record, source=source).position


def _sheet(html: str) -> str:
    return html[html.index('id="review-sheet"') : html.index("</section>")]


def test_each_reason_is_shown_once_however_many_places_wrote_it():
    merged = merge_reasons(
        [
            "low confidence: deadline",
            "contradiction: deadline",
            "new position",
            "new",
            "low confidence (0.30)",
            "contradictions",
            "2 visitor report(s)",
        ]
    )
    assert merged == [
        "low confidence (0.30): deadline",
        "contradictions: deadline",
        "new position",
        "2 visitor report(s)",
    ]


def test_the_sheet_puts_each_fact_beside_its_evidence_and_contradiction(client):
    position = waiting(1)
    client.force_login(make_superuser())
    html = client.get(f"{QUEUE}{position.pk}/change/").content.decode()
    sheet = _sheet(html)

    row = re.search(
        r'<tr class="contradicted">\s*<th scope="row">Deadline</th>(.*?)</tr>', sheet, re.S
    )
    assert row, sheet
    assert f"{in_days(40):%d %b %Y}" in row[1]
    assert "applications close early in the new year" in row[1] and "month-guess" in row[1]
    assert in_days(55).isoformat() in row[1]  # the contradiction, on the same row
    reasons = re.findall(r"<li>(.*?)</li>", sheet[sheet.index("Why it waits") :])
    assert len(reasons) == len(set(reasons)) and any("low confidence" in r for r in reasons)
    assert html.count("low confidence") == 1  # not again in the form below
    assert "Why it is in the review queue" not in html
    for key in ("A", "R", "N"):
        assert f"<kbd>{key}</kbd>" in sheet


def test_approve_without_javascript_saves_the_correction_publishes_and_opens_the_next(client):
    first, second = waiting(1), waiting(2)
    client.force_login(make_superuser())
    url = f"{QUEUE}{first.pk}/change/"
    page = client.get(url)
    assert f'href="{QUEUE}{second.pk}/change/"' in page.content.decode()  # Next
    data = change_form_data(page)
    data["deadline"] = in_days(55).isoformat()
    data["_review"] = "approve"

    response = client.post(url, data)

    assert response.status_code == 302 and response["Location"] == f"{QUEUE}{second.pk}/change/"
    first.refresh_from_db()
    assert first.moderation == "published" and first.deadline == in_days(55)
    assert "deadline" in first.locked_fields
    assert not Position.objects.filter(review_queue_condition(), pk=first.pk).exists()


def test_reject_hides_it_and_the_last_one_returns_to_the_empty_queue(client):
    only = waiting(1)
    client.force_login(make_superuser())
    url = f"{QUEUE}{only.pk}/change/"
    data = {**change_form_data(client.get(url)), "_review": "reject"}

    response = client.post(url, data, follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assert "The review queue is empty" in response.content.decode()
    only.refresh_from_db()
    assert only.moderation == "hidden" and only.reviewed_at is not None
    assert not Position.objects.filter(review_queue_condition()).exists()


def test_saving_without_a_decision_keeps_the_usual_buttons_working(client):
    position = waiting(1)
    client.force_login(make_superuser())
    url = f"{QUEUE}{position.pk}/change/"
    data = {**change_form_data(client.get(url)), "_continue": "1"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    position.refresh_from_db()
    assert position.moderation == "pending"
