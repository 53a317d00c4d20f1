"""Every write to positions goes through here (STYLE: services write, selectors read).

The store's central rule: a listing is one appearance of an advert on one source; the
position's facts are reconciled from all its listings, most specific source first, and a
field an admin edited (Position.locked_fields) is never overwritten by a scrape: what the
source now says is kept in Position.source_values so the disagreement stays visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .bulk import (
    _insert_rows,
    _institutions_by_name,
    _institutions_create,
    _topic_index,
    _topic_key,
)

# Re-exported: callers import every write, and these reads, from positions.services.
from .documents import SEARCH_DOCUMENT_SQL as SEARCH_DOCUMENT_SQL
from .documents import position_refresh_search_vector as position_refresh_search_vector
from .documents import positions_clean_search_indexes as positions_clean_search_indexes
from .facts import FUNDED, RECORD_FIELDS, json_value
from .lifecycle import listing_mark_gone as listing_mark_gone
from .lifecycle import listings_record_run as listings_record_run
from .lifecycle import position_close_automatically as position_close_automatically
from .lifecycle import positions_close_expired as positions_close_expired
from .lifecycle import positions_close_unlisted as positions_close_unlisted
from .models import Institution, Listing, Position, PositionChange, Topic
from .records import RawLike, RecordLike, RunRow, SourceRow, StoredRecord
from .search import search_document_sql
from .values import ADAPTER_SPECIFICITY as ADAPTER_SPECIFICITY
from .values import COMPLETENESS_FIELDS as COMPLETENESS_FIELDS
from .values import MAX_DESCRIPTION_CHARS as MAX_DESCRIPTION_CHARS
from .values import (
    _listing_rank,
)
from .values import position_completeness as position_completeness
from .values import reconcile_values as reconcile_values

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class UpsertResult:
    position: Position
    listing: Listing
    outcome: Outcome


def _funded_for_nobody_unless_funded(
    position: Position, *, run: RunRow | None
) -> PositionChange | None:
    """After an admin's locked funding meets a scrape's groups (or the reverse): a position
    that is not funded is funded for nobody, whichever side set which fact."""
    if not position.eligibility or position.funding in FUNDED:
        return None
    change = PositionChange(
        position=position,
        actor=PositionChange.Actor.SCRAPE,
        run=run,
        field="eligibility",
        old_value=json_value(position.eligibility),
        new_value=[],
        note=f"funding is {position.funding}: funded for nobody",
    )
    position.eligibility = []
    return change


def _review_reasons(position: Position, record_data: dict[str, Any]) -> list[str]:
    reasons = []
    threshold = settings.SCRAPER_REVIEW_CONFIDENCE
    low = sorted(
        name
        for name, item in (record_data.get("evidence") or {}).items()
        if isinstance(item, dict) and float(item.get("confidence", 1)) < threshold
    )
    if low:
        reasons.append("low confidence: " + ", ".join(low)[:180])
    if record_data.get("contradictions"):
        fields = sorted({str(c.get("field", "?")) for c in record_data["contradictions"]})
        reasons.append("contradiction: " + ", ".join(fields)[:180])
    if position.moderation == Position.Moderation.PENDING:
        reasons.append("new position")
    return reasons


def auto_publish_threshold(source: SourceRow) -> int:
    """The completeness (0-100) below which an auto-publishing source's new position is
    queued for review: the source's own threshold, else AUTO_PUBLISH_MIN_COMPLETENESS."""
    own = getattr(source, "review_below_completeness", None)
    return int(settings.AUTO_PUBLISH_MIN_COMPLETENESS if own is None else own)


def _confidence(record_data: dict[str, Any]) -> float:
    values = [
        float(item.get("confidence", 1))
        for item in (record_data.get("evidence") or {}).values()
        if isinstance(item, dict)
    ]
    return max(0.0, min(1.0, min(values))) if values else 0.0


def institution_for(name: str, *, country: str = "", city: str = "") -> Institution | None:
    """The canonical institution for a name or one of its aliases, created when new."""
    name = name.strip()[:300]
    if not name:
        return None
    found = (
        Institution.objects.filter(Q(name__iexact=name) | Q(aliases__contains=[name]))
        .order_by("id")
        .first()
    )
    if found is None:
        found, _ = Institution.objects.get_or_create(
            name=name, defaults={"country": country, "city": city[:200]}
        )
    return found


def topics_for(paths: Iterable[str]) -> list[Topic]:
    """Taxonomy nodes for "Parent > Child" paths; unknown paths are skipped (kept as tags)."""
    topics: list[Topic] = []
    for path in paths:
        parts = [part.strip() for part in str(path).split(">") if part.strip()]
        if not parts:
            continue
        query = Topic.objects.filter(name__iexact=parts[-1])
        query = (
            query.filter(parent__name__iexact=parts[0])
            if len(parts) > 1
            else query.filter(parent=None)
        )
        topic = query.first()
        if topic is not None:
            topics.append(topic)
    return topics


# --- The upsert ------------------------------------------------------------------------------


def _lock_key(source_id: int, url: str) -> tuple[int, int]:
    digest = hashlib.blake2b(f"{source_id}\n{url}".encode(), digest_size=8).digest()
    return source_id & 0x7FFFFFFF, int.from_bytes(digest[:4], "big", signed=True)


def _record_changes(
    position: Position, values: dict[str, Any], *, run: RunRow | None
) -> list[PositionChange]:
    changes = []
    source_values = dict(position.source_values or {})
    for field in RECORD_FIELDS:
        new = values.get(field)
        old = getattr(position, field)
        if field in position.locked_fields:
            if new != old:
                source_values[field] = json_value(new)
            else:
                source_values.pop(field, None)
            continue
        if new != old:
            changes.append(
                PositionChange(
                    position=position,
                    actor=PositionChange.Actor.SCRAPE,
                    run=run,
                    field=field,
                    old_value=json_value(old)
                    if field not in {"description_html", "description_text"}
                    else None,
                    new_value=json_value(new)
                    if field not in {"description_html", "description_text"}
                    else None,
                    note="description changed" if field.startswith("description") else "",
                )
            )
            setattr(position, field, new)
    position.source_values = source_values
    return changes


def _apply_status(position: Position, *, run: RunRow | None = None) -> PositionChange | None:
    """Open or close a position by its deadline as the source now states it.

    A position the closer closed (deadline passed, or dropped by its sources) opens again
    when its advert comes back with a deadline still ahead; a status an admin set is locked
    and never changed here.
    """
    if "status" in position.locked_fields:
        return None
    past = bool(
        position.deadline_kind == "fixed"
        and position.deadline
        and position.deadline < timezone.localdate()
    )
    old = position.status
    if past and old == Position.Status.OPEN:
        position.status, position.closed_at = Position.Status.CLOSED, timezone.now()
        note = f"deadline {position.deadline} passed"
    elif not past and old == Position.Status.CLOSED:
        position.status, position.closed_at = Position.Status.OPEN, None
        note = "listed again with a deadline ahead"
    else:
        return None
    return PositionChange(
        position=position,
        actor=PositionChange.Actor.SCRAPE,
        run=run,
        field="status",
        old_value=old,
        new_value=position.status,
        note=note,
    )


def _new_position(record: StoredRecord, *, source: SourceRow, now: dt.datetime) -> Position:
    """An unsaved position from a typed record: status, review state and completeness set.

    Not validated field by field: the record's values are bounded to their columns when it
    is built (lengths, choices, ranges, positions/records.py) and Postgres checks types,
    lengths and CHECK constraints on the INSERT, while full_clean costs half a millisecond
    a position, as much as the rest of a batch's work (issue 7).
    """
    position = Position(**record.values, first_seen=now, last_seen=now, last_verified=now)
    position.evidence = record.evidence
    position.contradictions = record.contradictions
    position.confidence = _confidence(record.data)
    _apply_status(position)
    position.completeness = position_completeness(position)
    threshold = auto_publish_threshold(source)
    too_thin = position.completeness < threshold
    position.moderation = (
        Position.Moderation.PUBLISHED
        if source.auto_publish and not too_thin
        else Position.Moderation.PENDING
    )
    position.review_reasons = _review_reasons(position, record.data)
    if source.auto_publish and too_thin:
        position.review_reasons.insert(
            0, f"incomplete ({position.completeness}% < {threshold}% to auto-publish)"
        )
    position.needs_review = bool(position.review_reasons) and (
        position.moderation == Position.Moderation.PENDING
        or any(not r.startswith("new") for r in position.review_reasons)
    )
    return position


def position_upsert_from_record(
    *,
    record: RecordLike,
    source: SourceRow,
    run: RunRow | None = None,
    raw: RawLike | None = None,
) -> UpsertResult:
    """Create or update the listing of `record` on `source`, and its position: a batch of
    one (`positions_upsert`), so single and bulk upserts write the same way."""
    stored = StoredRecord.build(record, raw)
    return positions_upsert(records=[stored], source=source, run=run)[0]


def positions_upsert_from_records(
    *,
    records: Sequence[RecordLike],
    source: SourceRow,
    run: RunRow | None = None,
    raws: Sequence[RawLike | None] | None = None,
) -> list[UpsertResult]:
    """positions' entry point for scraping: store a batch of normalised records (a results
    page, a feed, one advert) with what the adapter saw of each.

    Each record is typed and validated once (`StoredRecord.build`), then `positions_upsert`
    stores the batch.
    """
    raws = list(raws) if raws is not None else [None] * len(records)
    typed = [StoredRecord.build(record, raw) for record, raw in zip(records, raws, strict=True)]
    return positions_upsert(records=typed, source=source, run=run)


def positions_upsert(
    *, records: Sequence[StoredRecord], source: SourceRow, run: RunRow | None = None
) -> list[UpsertResult]:
    """Store typed records: the one write path of scraped adverts.

    Idempotent and safe under concurrency: transaction-scoped advisory locks on (source,
    url) serialise two workers storing the same advert, and the unique constraint on
    Listing(source, url) backs them up. A constant number of queries for the batch's
    unchanged and new adverts: one query finds every listing and its content hash
    (unchanged ones write nothing); new adverts are inserted together in one transaction.
    A changed advert, or a URL the batch holds twice, is stored on its own (`_upsert_one`).
    """
    results: list[UpsertResult | None] = [None] * len(records)
    existing = {
        listing.url: listing
        for listing in Listing.objects.filter(source=source, url__in=[r.url for r in records])
        .order_by()
        .select_related("position")
        .only(
            "id", "url", "content_hash", "state", "position_id", "position__id", "position__title"
        )
    }
    new: list[tuple[int, StoredRecord]] = []
    one_by_one: list[int] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        listing = existing.get(record.url)
        if _unchanged(listing, record):
            assert listing is not None
            results[index] = UpsertResult(
                position=listing.position, listing=listing, outcome="unchanged"
            )
        elif listing is None and record.url not in seen:
            new.append((index, record))
        else:
            one_by_one.append(index)
        seen.add(record.url)
    if new:
        created = _create_positions_in_bulk(new, source=source, run=run)
        for index, result in created.items():
            if result is None:
                one_by_one.append(index)  # listed meanwhile by another worker
            else:
                results[index] = result
    for index in sorted(one_by_one):
        results[index] = _upsert_one(records[index], source=source, run=run)
    return [result for result in results if result is not None]


def _unchanged(listing: Listing | None, record: StoredRecord) -> bool:
    return bool(
        listing is not None
        and listing.content_hash == record.content_hash
        and listing.state == "active"
    )


def _upsert_one(record: StoredRecord, *, source: SourceRow, run: RunRow | None) -> UpsertResult:
    """Store one advert whose listing exists (or existed): under its advisory lock, update
    the listing and reconcile its position from all its listings."""
    url = record.url
    existing = (
        Listing.objects.filter(source=source, url=url)
        .select_related("position")
        .only("id", "content_hash", "state", "position_id", "position__id", "position__title")
        .first()
    )
    if existing is not None and (
        _unchanged(existing, record) or (existing.state == "active" and record.feed_entry)
    ):
        # A feed item shares its URL with the advert page the feed adapter follows; the
        # page says more, so once the listing exists the item's thinner text never wins.
        return UpsertResult(position=existing.position, listing=existing, outcome="unchanged")

    with transaction.atomic():
        with connection.cursor() as cursor:
            # A scraped advert can always be fetched again: not waiting for the WAL flush
            # on each item's commit is safe (a crash loses at most the last fraction of a
            # second, never consistency) and makes the upsert several times faster.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _lock_key(source.pk, url))
        listing = (
            Listing.objects.select_for_update()
            .select_related("source")
            .filter(source=source, url=url)
            .first()
        )
        if listing is None:  # gone meanwhile: a new advert after all (the lock is re-entrant)
            created = _create_positions_in_bulk([(0, record)], source=source, run=run)[0]
            assert created is not None
            return created
        if _unchanged(listing, record):
            return UpsertResult(position=listing.position, listing=listing, outcome="unchanged")
        return _update_listing(listing, record, run=run)


def _update_listing(listing: Listing, record: StoredRecord, *, run: RunRow | None) -> UpsertResult:
    """The locked listing takes the record; its position is reconciled from its listings."""
    now = timezone.now()
    listing.content_hash = record.content_hash
    listing.normalized = record.data
    listing.raw_record = record.raw_json
    listing.fetched_at = now
    listing.last_seen = now
    listing.state = Listing.State.ACTIVE
    listing.missed_runs = 0
    if record.source_item_id:
        listing.source_item_id = record.source_item_id
    listing.save()

    position = Position.objects.select_for_update().get(pk=listing.position_id)
    siblings = list(position.listings.select_related("source").exclude(state="gone"))
    values = reconcile_values(siblings or [listing])
    changes = _record_changes(position, values, run=run)
    unfunded = _funded_for_nobody_unless_funded(position, run=run)
    if unfunded is not None:
        changes.append(unfunded)
    primary = max(siblings or [listing], key=_listing_rank)
    if primary.pk == listing.pk:
        position.evidence = record.evidence
        position.contradictions = record.contradictions
        position.confidence = _confidence(record.data)
    status_change = _apply_status(position, run=run)
    if status_change is not None:
        changes.append(status_change)
    position.last_seen = now
    position.last_verified = now
    position.possibly_filled = False
    if changes:
        if any(c.field == "institution_name" for c in changes):
            position.institution = institution_for(
                position.institution_name, country=position.country, city=position.city
            )
        position.completeness = position_completeness(position)
        reasons = [r for r in _review_reasons(position, record.data) if not r.startswith("new")]
        if position.reviewed_at is not None:
            reasons.append("facts changed since review")
        if reasons:
            position.needs_review = True
            position.review_reasons = sorted(set(position.review_reasons) | set(reasons))
    position.full_clean(exclude=["url", "apply_url", "institution"], validate_constraints=False)
    position.save()
    PositionChange.objects.bulk_create(changes)
    if "topics" not in position.locked_fields:
        position.topics.set(topics_for(record.topics))
    position_refresh_search_vector(position_ids=[position.pk])
    return UpsertResult(position=position, listing=listing, outcome="updated")


@dataclass
class _NewAdvert:
    """One new advert of a batch on its way in: its record, listing and position."""

    index: int
    record: StoredRecord
    position: Position
    topic_keys: list[tuple[str, str]]

    @property
    def url(self) -> str:
        return self.record.url

    @property
    def institution_name(self) -> str:
        return self.position.institution_name.strip()[:300]


def _create_positions_in_bulk(
    new: list[tuple[int, StoredRecord]], *, source: SourceRow, run: RunRow | None
) -> dict[int, UpsertResult | None]:
    """Create the positions of new adverts, in a constant number of queries.

    Each gets its position (one builder, _new_position), listing, topics, search document
    and "created" entry in the history. What needs no lock (the positions' values, the
    institutions and topics they name) is worked out first; then, under the advisory locks
    of all the batch's URLs, the adverts another worker listed meanwhile are left out (None:
    the caller stores them one by one) and the rest inserted, one statement per table.
    """
    now = timezone.now()
    adverts: list[_NewAdvert] = []
    for index, record in new:
        keys = [key for key in map(_topic_key, record.topics) if key is not None]
        position = _new_position(record, source=source, now=now)
        position.updated_at = now
        adverts.append(_NewAdvert(index, record, position, keys))
    topic_index = _topic_index(key for advert in adverts for key in advert.topic_keys)
    known = _institutions_by_name(advert.institution_name for advert in adverts)

    out: dict[int, UpsertResult | None] = {}
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            lock_keys = sorted({_lock_key(source.pk, advert.url) for advert in adverts})
            cursor.execute(
                "SELECT pg_advisory_xact_lock(k1, k2) FROM unnest(%s::int[], %s::int[]) AS k(k1, k2)",
                [[k[0] for k in lock_keys], [k[1] for k in lock_keys]],
            )
        taken = set(
            Listing.objects.filter(source=source, url__in=[advert.url for advert in adverts])
            .order_by()
            .values_list("url", flat=True)
        )
        for advert in adverts:
            if advert.url in taken:
                out[advert.index] = None  # listed meanwhile by another worker
        adverts = [advert for advert in adverts if advert.url not in taken]
        if not adverts:
            return out
        _resolve_institutions(adverts, known)
        listings = _insert_new(adverts, topic_index, source=source, run=run, now=now)

    for advert, listing in zip(adverts, listings, strict=True):
        for instance in (advert.position, listing):
            instance._state.adding = False
            instance._state.db = connection.alias
        out[advert.index] = UpsertResult(
            position=advert.position, listing=listing, outcome="created"
        )
    return out


def _resolve_institutions(adverts: list[_NewAdvert], known: dict[str, Institution]) -> None:
    """institution_for for each name: found, or created (the first spelling, place and
    country a batch gives a name, as storing its adverts in turn would)."""
    missing: dict[str, tuple[str, str, str]] = {}
    for advert in adverts:
        name = advert.institution_name
        if name and name not in known:
            place = (name, advert.position.country, advert.position.city)
            missing.setdefault(name.upper(), place)
    created = _institutions_create(list(missing.values()))
    for advert in adverts:
        name = advert.institution_name
        institution = known.get(name)
        if institution is None and name:
            institution = created.get(missing[name.upper()][0])
        advert.position.institution = institution


def _insert_new(
    adverts: list[_NewAdvert],
    topic_index: dict[tuple[str, str], int],
    *,
    source: SourceRow,
    run: RunRow | None,
    now: dt.datetime,
) -> list[Listing]:
    """INSERT the adverts' topic links, positions, listings and history, one statement each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')),"
            " nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Position._meta.db_table, Listing._meta.db_table, len(adverts)],
        )
        ids = cursor.fetchall()
    listings = []
    links: list[tuple[int, int]] = []
    for advert, (position_id, listing_id) in zip(adverts, ids, strict=True):
        position = advert.position
        position.pk = position_id
        listings.append(
            Listing(
                pk=listing_id,
                source=source,
                position=position,
                url=advert.url,
                source_item_id=advert.record.source_item_id,
                content_hash=advert.record.content_hash,
                raw_record=advert.record.raw_json,
                normalized=advert.record.data,
                fetched_at=now,
                first_seen=now,
                last_seen=now,
            )
        )
        topic_ids = {topic_index[key] for key in advert.topic_keys if key in topic_index}
        links.extend((position_id, topic_id) for topic_id in sorted(topic_ids))
    # The links first: the search document written with each position reads its topics
    # (the foreign keys are checked at the commit).
    if links:
        through = Position.topics.through._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {through.db_table} ({through.get_field('position').column},"  # noqa: S608
                f" {through.get_field('topic').column})"
                " SELECT * FROM unnest(%s::bigint[], %s::bigint[])",
                [[link[0] for link in links], [link[1] for link in links]],
            )
    _insert_rows(
        Position,
        [advert.position for advert in adverts],
        computed={
            "search_vector": search_document_sql("r"),
            # The links went in before their positions existed, so their trigger found
            # nothing to update: the topic ids the facets count are written here.
            "topic_ids": "positions_topic_ids(r.id)",
        },
    )
    _insert_rows(Listing, listings)
    _insert_rows(
        PositionChange,
        [
            PositionChange(
                position=advert.position,
                actor=PositionChange.Actor.SCRAPE,
                run=run,
                field="*",
                note=f"created from {source.name}",
            )
            for advert in adverts
        ],
    )
    return listings


# --- Curation --------------------------------------------------------------------------------
# Admin edits and locks, moderation, duplicates (detect, merge, split), visitor reports,
# liveness and source health live in positions/curation.py; re-exported here so every write
# is imported from positions.services. Imported last: curation imports this module lazily.
from . import curation as _curation  # noqa: E402
from . import duplicates as _duplicates  # noqa: E402
from .facts import LOCKABLE_FIELDS as LOCKABLE_FIELDS  # noqa: E402

DuplicateMatch = _duplicates.DuplicateMatch
DuplicateOutcome = _duplicates.DuplicateOutcome
duplicate_candidate_decide = _duplicates.duplicate_candidate_decide
listing_split = _duplicates.listing_split
position_close = _curation.position_close
position_detect_duplicates = _duplicates.position_detect_duplicates
position_duplicate_score = _duplicates.position_duplicate_score
position_find_duplicates = _duplicates.position_find_duplicates
position_mark_possibly_filled = _curation.position_mark_possibly_filled
position_mark_reviewed = _curation.position_mark_reviewed
position_merge = _duplicates.position_merge
position_reconcile = _duplicates.position_reconcile
position_rescrape = _curation.position_rescrape
position_set_featured = _curation.position_set_featured
position_set_moderation = _curation.position_set_moderation
position_unlock_fields = _curation.position_unlock_fields
position_update_by_admin = _curation.position_update_by_admin
report_create = _curation.report_create
report_resolve = _curation.report_resolve
