"""The review queue holds what a curator should look at, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.curation import review_queue_condition
from positions.models import Position, PositionChange, ReviewQueuePosition
from positions.services import (
    position_mark_reviewed,
    position_upsert_from_record,
    report_create,
)
from tests.factories import PositionFactory, SourceFactory, make_record, make_superuser

from .admin_forms import post_admin_action

pytestmark = pytest.mark.django_db


def queue() -> set[int]:
    return set(Position.objects.filter(review_queue_condition()).values_list("pk", flat=True))


def test_a_reviewed_confident_position_is_not_in_the_queue():
    position = PositionFactory()
    assert position.pk not in queue()


def test_new_low_confidence_and_contradictory_positions_are_in_the_queue():
    new = PositionFactory(reviewed_at=None, moderation="pending")
    low = PositionFactory(reviewed_at=None, confidence=0.3)
    contradictory = PositionFactory(
        reviewed_at=None, contradictions=[{"field": "deadline", "values": "9 Jan / 19 Jan"}]
    )
    confident_and_published = PositionFactory(reviewed_at=None, confidence=0.95)
    assert {new.pk, low.pk, contradictory.pk} <= queue()
    assert confident_and_published.pk not in queue()


def test_a_position_whose_facts_a_scrape_changed_since_review_comes_back():
    source = SourceFactory()
    result = position_upsert_from_record(record=make_record(), source=source)
    position_mark_reviewed(position=result.position, user=make_superuser())
    assert result.position.pk not in queue()

    moved = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    position_upsert_from_record(record=make_record(deadline=moved), source=source)

    assert result.position.pk in queue()
    assert PositionChange.objects.filter(
        position=result.position, field="deadline", actor="scrape"
    ).exists()


def test_a_visitor_report_puts_the_position_in_the_queue_until_reviewed():
    position = PositionFactory()
    report_create(
        position=position, reason="filled", message="Filled last week", client_address="203.0.113.9"
    )
    assert position.pk in queue()
    position_mark_reviewed(position=position, user=make_superuser())
    assert position.pk not in queue()
    assert position.reports.get().resolved


def test_the_admin_review_queue_lists_queue_positions_with_their_reasons(client):
    waiting = PositionFactory(title="Low confidence PhD", reviewed_at=None, confidence=0.2)
    PositionFactory(title="Settled PhD")
    client.force_login(make_superuser())
    response = client.get("/admin/positions/reviewqueueposition/")
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.pk for row in rows] == [waiting.pk]
    assert "low confidence" in response.content.decode()
    assert ReviewQueuePosition.objects.filter(review_queue_condition()).count() == 1


def test_publishing_from_the_queue_counts_as_a_review(client):
    waiting = PositionFactory(reviewed_at=None, moderation="pending")
    client.force_login(make_superuser())
    response = post_admin_action(
        client, "/admin/positions/reviewqueueposition/", "publish", [waiting]
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.moderation == "published" and waiting.reviewed_at is not None
    assert waiting.pk not in queue()
    assert waiting.changes.filter(field="moderation", new_value="published", actor="admin").exists()


@pytest.mark.parametrize(
    "url", ["/admin/positions/position/", "/admin/positions/reviewqueueposition/"]
)
def test_the_admin_lists_take_a_fixed_number_of_queries(client, django_assert_max_num_queries, url):
    from tests.factories import ListingFactory

    for _ in range(30):
        ListingFactory(position=PositionFactory(reviewed_at=None, confidence=0.2))
    client.force_login(make_superuser())
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 30


def test_a_scraped_url_django_would_reject_does_not_block_moderation():
    position = PositionFactory(url="https://jobs.example.org/phd in maths", moderation="pending")
    from positions.services import position_set_moderation

    assert (
        position_set_moderation(positions=[position], moderation="published", user=make_superuser())
        == 1
    )
    position.refresh_from_db()
    assert position.moderation == "published"


def test_publishing_in_the_change_form_is_a_review_too():
    from positions.services import position_update_by_admin

    position = PositionFactory(reviewed_at=None, moderation="pending")
    position_update_by_admin(
        position=position, user=make_superuser(), data={"moderation": "published"}
    )
    position.refresh_from_db()
    assert position.reviewed_at is not None and position.pk not in queue()
    assert position.locked_fields == []  # moderation is the admin's alone: nothing to lock


def test_a_position_opened_from_the_queue_stays_open_after_it_leaves_the_queue(client):
    from .admin_forms import change_form_data

    waiting = PositionFactory(reviewed_at=None, moderation="pending")
    client.force_login(make_superuser())
    url = f"/admin/positions/reviewqueueposition/{waiting.pk}/change/"
    data = change_form_data(client.get(url))
    data["moderation"] = "published"
    data["_continue"] = "1"

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith(url)
    assert waiting.pk not in queue()
