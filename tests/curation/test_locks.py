"""An admin's correction sticks: the field is locked and later scrapes only note what they saw."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.models import Listing, Position, PositionChange
from positions.services import (
    position_unlock_fields,
    position_update_by_admin,
    position_upsert_from_record,
)
from tests.factories import SourceFactory, make_record, make_superuser

from .admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_editing_a_deadline_in_the_admin_locks_it_and_records_who(client):
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position
    admin = make_superuser()
    client.force_login(admin)
    url = f"/admin/positions/position/{position.pk}/change/"
    data = change_form_data(client.get(url))
    data["deadline"] = in_days(30).isoformat()

    response = client.post(url, data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    position.refresh_from_db()
    assert position.deadline == in_days(30)
    assert position.locked_fields == ["deadline"]
    change = PositionChange.objects.get(position=position, field="deadline", actor="admin")
    assert change.user == admin
    assert change.new_value == in_days(30).isoformat()


def test_rescrape_keeps_admin_edited_deadline_and_records_what_the_source_says():
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position
    position_update_by_admin(
        position=position, user=make_superuser(), data={"deadline": in_days(30)}
    )

    source_says = in_days(45).isoformat()
    result = position_upsert_from_record(record=make_record(deadline=source_says), source=source)

    assert result.outcome == "updated"
    position.refresh_from_db()
    assert position.deadline == in_days(30)
    assert position.source_values["deadline"] == source_says
    assert not PositionChange.objects.filter(
        position=position, field="deadline", actor="scrape"
    ).exists()


def test_the_change_form_shows_the_disagreement_and_the_evidence(client):
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position
    position_update_by_admin(
        position=position, user=make_superuser(), data={"deadline": in_days(30)}
    )
    position_upsert_from_record(record=make_record(deadline=in_days(45).isoformat()), source=source)
    client.force_login(make_superuser())

    page = client.get(f"/admin/positions/position/{position.pk}/change/").content.decode()

    assert "locked by an admin" in page
    assert f"source now says: <code>{in_days(45).isoformat()}</code>" in page
    assert "fully funded studentship" in page  # the funding evidence snippet
    assert "keyword" in page  # its rule


def test_unlocking_hands_the_field_back_to_the_next_scrape():
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position
    admin = make_superuser()
    position_update_by_admin(position=position, user=admin, data={"funding": "partial"})
    position_upsert_from_record(
        record=make_record(title="PhD in Bilevel Optimisation (2)"), source=source
    )

    position_unlock_fields(position=position, fields=["funding"], user=admin)
    assert Listing.objects.get().content_hash == ""
    position_upsert_from_record(
        record=make_record(title="PhD in Bilevel Optimisation (2)"), source=source
    )

    position.refresh_from_db()
    assert position.funding == "full"
    assert position.locked_fields == []


def test_a_status_the_admin_set_is_not_reopened_by_a_scrape():
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position
    position_update_by_admin(position=position, user=make_superuser(), data={"status": "closed"})
    position_upsert_from_record(record=make_record(title="Renamed"), source=source)
    position.refresh_from_db()
    assert position.status == "closed"
    assert Position.objects.get().title == "Renamed"
