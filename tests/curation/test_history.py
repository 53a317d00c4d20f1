"""Every position keeps its history: who or which scrape changed what, and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.models import Listing, PositionChange
from positions.services import (
    position_close,
    position_rescrape,
    position_set_featured,
    position_update_by_admin,
    position_upsert_from_record,
)
from tests.factories import SourceFactory, make_record, make_superuser

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_a_moving_deadline_and_an_admin_edit_are_both_in_the_history_inline(client):
    source = SourceFactory(name="Uni jobs")
    position = position_upsert_from_record(
        record=make_record(deadline=in_days(20)), source=source
    ).position
    position_upsert_from_record(record=make_record(deadline=in_days(27)), source=source)
    admin = make_superuser("grace")
    position_update_by_admin(
        position=position, user=admin, data={"title": "PhD in Bilevel Optimisation (EPSRC)"}
    )
    position_close(positions=[position], user=admin)
    position_set_featured(positions=[position], featured=True, user=admin)

    history = list(
        PositionChange.objects.filter(position=position)
        .order_by("id")
        .values_list("field", "actor", "old_value", "new_value")
    )
    assert ("deadline", "scrape", in_days(20), in_days(27)) in history
    assert (
        "title",
        "admin",
        "PhD in Bilevel Optimisation",
        "PhD in Bilevel Optimisation (EPSRC)",
    ) in history
    assert ("status", "admin", "open", "closed") in history
    assert ("featured", "admin", False, True) in history

    client.force_login(admin)
    page = client.get(f"/admin/positions/position/{position.pk}/change/").content.decode()
    assert "change history" in page.lower()
    assert in_days(27) in page and "grace" in page


def test_rescrape_now_queues_the_positions_sources_and_forgets_their_hashes(
    monkeypatch, django_capture_on_commit_callbacks
):
    tasks = pytest.importorskip("scrapers.tasks")
    queued = []
    # The broker is the outer boundary: record what would be sent to it.
    monkeypatch.setattr(
        tasks.scrape_source, "delay", lambda *args, **kwargs: queued.append((args, kwargs))
    )
    source = SourceFactory()
    position = position_upsert_from_record(record=make_record(), source=source).position

    with django_capture_on_commit_callbacks(execute=True):
        position_rescrape(positions=[position])

    assert queued == [((source.pk,), {"trigger": "manual"})]
    assert Listing.objects.get().content_hash == ""
