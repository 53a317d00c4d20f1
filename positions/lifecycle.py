"""The listing lifecycle: missed runs, gone listings, positions closed automatically
(for the scrape pipeline and the daily housekeeping task). Re-exported by
positions.services, where callers import them from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .curation import position_mark_possibly_filled
from .models import Listing, Position, PositionChange
from .records import RunRow, SourceRow


def position_close_automatically(
    *,
    position: Position,
    reason: str,
    run: RunRow | None = None,
    actor: str = PositionChange.Actor.SYSTEM,
) -> bool:
    """Close an open position and record why. A status an admin locked is left alone."""
    if position.status != Position.Status.OPEN or "status" in position.locked_fields:
        return False
    now = timezone.now()
    Position.objects.filter(pk=position.pk).update(
        status=Position.Status.CLOSED, closed_at=now, updated_at=now
    )
    position.status, position.closed_at = Position.Status.CLOSED, now
    PositionChange.objects.create(
        position=position,
        actor=actor,
        run=run,
        field="status",
        old_value="open",
        new_value="closed",
        note=reason[:300],
    )
    return True


def _close_positions_without_active_listing(
    position_ids: Iterable[int], *, run: RunRow | None, reason: str
) -> int:
    candidates = (
        Position.objects.open()
        .filter(pk__in=list(position_ids))
        .exclude(listings__state__in=[Listing.State.ACTIVE, Listing.State.MISSING])
    )
    actor = PositionChange.Actor.SCRAPE if run is not None else PositionChange.Actor.SYSTEM
    closed = 0
    for position in candidates.select_for_update(of=("self",)):
        # Gone before its deadline: flag it "possibly filled" for the curators (a position
        # past its deadline simply expired and is left unflagged).
        position_mark_possibly_filled(position=position, run=run)
        closed += position_close_automatically(
            position=position, reason=reason, run=run, actor=actor
        )
    return closed


def listing_mark_gone(*, listing: Listing, reason: str, run: RunRow | None = None) -> int:
    """A listing's page answered 404/410: it is gone at once, and its position closes if
    no other listing is left. Returns the number of positions closed (0 or 1)."""
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(state=Listing.State.GONE)
        return _close_positions_without_active_listing(
            [listing.position_id], run=run, reason=reason
        )


def listings_record_run(
    *,
    source: SourceRow,
    seen_urls: Iterable[str],
    count_misses: bool,
    run: RunRow | None = None,
) -> int:
    """Book-keeping after a scrape run of `source`.

    Listings seen again are active. When `count_misses` (a successful run that saw the
    whole source), every listing not seen gets one more missed run; after
    settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS in a row it is gone, and a position left
    with no listing closes. Returns the number of positions closed. Rows that need no
    change are not written.
    """
    seen = list(set(seen_urls))
    threshold = settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS
    with transaction.atomic():
        listings = Listing.objects.filter(source=source)
        # Each statement only runs when it has rows to change: an unchanged source
        # writes nothing.
        seen_again = listings.filter(url__in=seen).exclude(
            state=Listing.State.ACTIVE, missed_runs=0
        )
        if seen_again.exists():
            seen_again.update(state=Listing.State.ACTIVE, missed_runs=0)
        if not count_misses:
            return 0
        unseen = listings.exclude(url__in=seen).exclude(state=Listing.State.GONE)
        unseen = unseen.filter(pinned=False)
        if not unseen.exists():
            return 0
        unseen.update(missed_runs=models.F("missed_runs") + 1, state=Listing.State.MISSING)
        gone = list(
            listings.filter(
                state=Listing.State.MISSING, missed_runs__gte=threshold, pinned=False
            ).values_list("pk", "position_id")
        )
        if not gone:
            return 0
        Listing.objects.filter(pk__in=[pk for pk, _ in gone]).update(state=Listing.State.GONE)
        return _close_positions_without_active_listing(
            {position_id for _, position_id in gone},
            run=run,
            reason=f"no longer listed by {source.name} for {threshold} successful runs",
        )


def positions_close_unlisted(*, run: RunRow | None = None) -> int:
    """Listings missed on too many successful runs are gone; positions left with no
    listing close. (The scrape run does this as it goes; this is the daily catch-up.)"""
    threshold = settings.SCRAPER_CLOSE_AFTER_MISSED_RUNS
    with transaction.atomic():
        missed = Listing.objects.filter(
            state=Listing.State.MISSING, missed_runs__gte=threshold, pinned=False
        )
        position_ids = set(missed.values_list("position_id", flat=True))
        missed.update(state=Listing.State.GONE)
        position_ids |= set(
            Position.objects.open()
            .filter(listings__state=Listing.State.GONE)
            .values_list("pk", flat=True)
        )
        return _close_positions_without_active_listing(
            position_ids, run=run, reason="no source lists it any more"
        )


def positions_close_expired(*, today: dt.date | None = None) -> int:
    """Close open positions whose fixed deadline has passed (the deadline day still counts)."""
    today = today or timezone.localdate()
    closed = 0
    with transaction.atomic():
        # Published or not, written as the two cases: each is then read from a partial
        # index (position_open_deadline, position_unpublished) instead of the whole table.
        published = Q(moderation=Position.Moderation.PUBLISHED)
        expired = (
            Position.objects.open()
            .filter(deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=today)
            .filter(published | ~published)
            .select_for_update(skip_locked=True)
        )
        for position in expired:
            closed += position_close_automatically(
                position=position, reason=f"deadline {position.deadline} passed"
            )
    return closed
