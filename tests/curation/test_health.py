"""A source that breaks is flagged and the admins hear about it once per incident."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from positions.models import Position
from positions.services import position_mark_possibly_filled, position_upsert_from_record
from scrapers.models import Source
from scrapers.services import source_check_health
from tests.factories import (
    ListingFactory,
    PositionFactory,
    ScrapeRunFactory,
    SourceFactory,
    make_record,
)

pytestmark = pytest.mark.django_db


def finish_run(source, django_capture_on_commit_callbacks, **fields) -> Source:
    run = ScrapeRunFactory(source=source, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        return source_check_health(source=source, run=run)


def test_a_source_that_fails_n_runs_in_a_row_is_flagged_and_mailed_once(
    settings, django_capture_on_commit_callbacks
):
    settings.SOURCE_FAILURES_BEFORE_ALERT = 3
    settings.ADMINS = [("Ops", "ops@example.org")]
    source = SourceFactory(name="Flaky university")

    for _ in range(2):
        source = finish_run(source, django_capture_on_commit_callbacks, status="failed", found=0)
    assert source.health == "ok" and mail.outbox == []

    source = finish_run(source, django_capture_on_commit_callbacks, status="failed", found=0)
    assert source.health == "failing" and source.consecutive_failures == 3
    assert len(mail.outbox) == 1
    assert "Flaky university" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["ops@example.org"]

    source = finish_run(source, django_capture_on_commit_callbacks, status="failed", found=0)
    assert len(mail.outbox) == 1  # still the same incident


def test_a_source_that_used_to_yield_and_now_yields_nothing_is_flagged_empty(
    django_capture_on_commit_callbacks,
):
    source = SourceFactory(name="Quiet board")
    source = finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=12)
    assert source.health == "ok" and mail.outbox == []

    source = finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=0)

    assert source.health == "empty"
    assert len(mail.outbox) == 1 and "no positions" in mail.outbox[0].subject


def test_a_new_source_that_never_yielded_is_not_an_incident(django_capture_on_commit_callbacks):
    source = SourceFactory()
    source = finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=0)
    assert source.health == "ok" and mail.outbox == []


def test_recovery_resets_the_flag_and_the_next_incident_mails_again(
    settings, django_capture_on_commit_callbacks
):
    settings.SOURCE_FAILURES_BEFORE_ALERT = 1
    source = SourceFactory()
    source = finish_run(source, django_capture_on_commit_callbacks, status="failed", found=0)
    source = finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=4)
    assert source.health == "ok" and source.consecutive_failures == 0
    source = finish_run(source, django_capture_on_commit_callbacks, status="failed", found=0)
    assert len(mail.outbox) == 2


def test_the_source_list_shows_health_and_the_last_run(client, django_capture_on_commit_callbacks):
    from tests.factories import make_superuser

    source = SourceFactory(name="Quiet board")
    finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=12, created=5)
    finish_run(source, django_capture_on_commit_callbacks, status="succeeded", found=0)
    client.force_login(make_superuser())
    page = client.get("/admin/scrapers/source/").content.decode()
    assert "Yields nothing" in page
    assert "0 found" in page


def test_a_position_that_vanished_before_its_deadline_is_possibly_filled():
    position = PositionFactory(deadline=timezone.localdate() + dt.timedelta(days=20))
    ListingFactory(position=position, state="gone")

    assert position_mark_possibly_filled(position=position)

    position.refresh_from_db()
    assert position.possibly_filled and position.needs_review
    assert position.changes.filter(field="possibly_filled").exists()


def test_a_position_past_its_deadline_or_listed_elsewhere_is_not_possibly_filled():
    expired = PositionFactory(deadline=timezone.localdate() - dt.timedelta(days=1))
    ListingFactory(position=expired, state="gone")
    elsewhere = PositionFactory()
    ListingFactory(position=elsewhere, state="gone")
    ListingFactory(position=elsewhere, state="active")

    assert not position_mark_possibly_filled(position=expired)
    assert not position_mark_possibly_filled(position=elsewhere)


def test_seeing_the_advert_again_clears_possibly_filled_and_refreshes_last_verified():
    source = SourceFactory()
    result = position_upsert_from_record(record=make_record(), source=source)
    result.listing.state = "gone"
    result.listing.save()
    position_mark_possibly_filled(position=result.position)

    position_upsert_from_record(record=make_record(title="Back again"), source=source)

    position = Position.objects.get()
    assert not position.possibly_filled
    assert position.last_verified > result.position.first_seen


def test_the_closer_marks_a_position_gone_before_its_deadline_as_possibly_filled():
    from positions.services import listing_mark_gone

    source = SourceFactory()
    result = position_upsert_from_record(record=make_record(), source=source)

    listing_mark_gone(listing=result.listing, reason="404 on the advert page")

    position = Position.objects.get()
    assert position.status == "closed"
    assert position.possibly_filled and position.needs_review
    assert any("possibly filled" in reason for reason in position.review_reasons)


def test_the_closer_does_not_call_an_expired_position_possibly_filled():
    from positions.services import listing_mark_gone

    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    source = SourceFactory()
    result = position_upsert_from_record(record=make_record(deadline=yesterday), source=source)
    Position.objects.update(status="open")

    listing_mark_gone(listing=result.listing, reason="404 on the advert page")

    assert not Position.objects.get().possibly_filled
