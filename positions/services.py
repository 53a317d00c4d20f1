"""Every write to positions goes through here (STYLE: services write, selectors read).

The store's central rule: a listing is one appearance of an advert on one source; the
position's facts are reconciled from all its listings, most specific source first, and a
field an admin edited (Position.locked_fields) is never overwritten by a scrape: what the
source now says is kept in Position.source_values so the disagreement stays visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

# Re-exported: callers import every write, and these reads, from positions.services.
from .documents import SEARCH_DOCUMENT_SQL as SEARCH_DOCUMENT_SQL
from .documents import position_refresh_search_vector as position_refresh_search_vector
from .documents import positions_clean_search_indexes as positions_clean_search_indexes
from .facts import FUNDED, RECORD_FIELDS, json_value
from .models import Institution, Listing, Position, PositionChange, Topic
from .records import StoredRaw, StoredRecord
from .search import search_document_sql
from .values import ADAPTER_SPECIFICITY as ADAPTER_SPECIFICITY
from .values import COMPLETENESS_FIELDS as COMPLETENESS_FIELDS
from .values import MAX_DESCRIPTION_CHARS as MAX_DESCRIPTION_CHARS
from .values import (
    _listing_rank,
)
from .values import position_completeness as position_completeness
from .values import reconcile_values as reconcile_values
from .values import values_from_record as values_from_record

if TYPE_CHECKING:  # scraping's models, for the types only: positions never imports scrapers
    from scrapers.models import ScrapeRun, Source

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged"]

MAX_RAW_RECORD_CHARS = 200_000


@dataclass
class UpsertResult:
    position: Position
    listing: Listing
    outcome: Outcome


def _funded_for_nobody_unless_funded(
    position: Position, *, run: ScrapeRun | None
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
    position: Position, values: dict[str, Any], *, run: ScrapeRun | None
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


def _apply_status(position: Position, *, run: ScrapeRun | None = None) -> PositionChange | None:
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


def _new_position(
    data: dict[str, Any],
    *,
    source: Source,
    now: dt.datetime,
    institution: Callable[..., Institution | None] | None,
    validate: bool = True,
) -> Position:
    """An unsaved position from a record's JSON: status, review state and completeness set.

    `institution` resolves its institution; None leaves it to the caller (a batch resolves
    all its names in one query).
    """
    position = Position(
        **values_from_record(data),
        moderation=Position.Moderation.PUBLISHED
        if source.auto_publish
        else Position.Moderation.PENDING,
        first_seen=now,
        last_seen=now,
        last_verified=now,
    )
    position.evidence = data.get("evidence") or {}
    position.contradictions = data.get("contradictions") or []
    position.confidence = _confidence(data)
    _apply_status(position)
    position.completeness = position_completeness(position)
    position.review_reasons = _review_reasons(position, data)
    position.needs_review = bool(position.review_reasons) and (
        position.moderation == Position.Moderation.PENDING
        or any(not r.startswith("new") for r in position.review_reasons)
    )
    if institution is not None:
        position.institution = institution(
            position.institution_name, country=position.country, city=position.city
        )
    if validate:
        # Postgres enforces the model's CHECK constraints on the INSERT itself; validating
        # them here too costs a query and a savepoint each (issue 7).
        position.full_clean(exclude=["url", "apply_url", "institution"], validate_constraints=False)
    return position


def position_upsert_from_record(
    *,
    record: StoredRecord,
    source: Source,
    run: ScrapeRun | None = None,
    raw: StoredRaw | None = None,
) -> UpsertResult:
    """Create or update the listing of `record` on `source`, and its position.

    Idempotent and safe under concurrency: a transaction-scoped advisory lock on
    (source, url) serialises two workers storing the same advert, and the unique
    constraint on Listing(source, url) backs it up. An unchanged record writes nothing.
    """
    data = record.to_json(with_description=True)
    content_hash = record.content_hash()
    url = record.url[:2000]
    existing = (
        Listing.objects.filter(source=source, url=url)
        .select_related("position")
        .only("id", "content_hash", "state", "position_id", "position__id", "position__title")
        .first()
    )
    if (
        existing is not None
        and existing.content_hash == content_hash
        and existing.state == "active"
    ):
        return UpsertResult(position=existing.position, listing=existing, outcome="unchanged")
    if (
        existing is not None
        and existing.state == "active"
        and raw is not None
        and raw.meta.get("feed_entry")
    ):
        # A feed item shares its URL with the advert page the feed adapter follows; the
        # page says more, so once the listing exists the item's thinner text never wins.
        return UpsertResult(position=existing.position, listing=existing, outcome="unchanged")

    now = timezone.now()
    raw_json = raw.to_json() if raw is not None else {}
    if len(str(raw_json)) > MAX_RAW_RECORD_CHARS:
        raw_json = {"truncated": True, "url": url}
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
        if (
            listing is not None
            and listing.content_hash == content_hash
            and listing.state == "active"
        ):
            return UpsertResult(position=listing.position, listing=listing, outcome="unchanged")

        if listing is None:
            position = _new_position(data, source=source, now=now, institution=institution_for)
            position.save()
            listing = Listing.objects.create(
                source=source,
                position=position,
                url=url,
                source_item_id=record.source_item_id[:300],
                content_hash=content_hash,
                raw_record=raw_json,
                normalized=data,
                fetched_at=now,
                first_seen=now,
                last_seen=now,
            )
            position.topics.set(topics_for(record.topics))
            position_refresh_search_vector(position_ids=[position.pk])
            PositionChange.objects.create(
                position=position,
                actor=PositionChange.Actor.SCRAPE,
                run=run,
                field="*",
                note=f"created from {source.name}",
            )
            return UpsertResult(position=position, listing=listing, outcome="created")

        listing.content_hash = content_hash
        listing.normalized = data
        listing.raw_record = raw_json
        listing.fetched_at = now
        listing.last_seen = now
        listing.state = Listing.State.ACTIVE
        listing.missed_runs = 0
        if record.source_item_id:
            listing.source_item_id = record.source_item_id[:300]
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
            position.evidence = data.get("evidence") or {}
            position.contradictions = data.get("contradictions") or []
            position.confidence = _confidence(data)
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
            reasons = [r for r in _review_reasons(position, data) if not r.startswith("new")]
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


def positions_upsert_from_records(
    *,
    records: Sequence[StoredRecord],
    source: Source,
    run: ScrapeRun | None = None,
    raws: Sequence[StoredRaw | None] | None = None,
) -> list[UpsertResult]:
    """`position_upsert_from_record` for a batch (a results page, a feed), in bulk.

    The same outcome as storing each record in turn, with a constant number of queries
    for the batch's unchanged and new adverts: one query finds every listing and its
    content hash (unchanged ones write nothing); new adverts are inserted together in one
    transaction under the same advisory locks. A changed advert, or a URL the batch holds
    twice, takes the one-by-one path.
    """
    raws = list(raws) if raws is not None else [None] * len(records)
    results: list[UpsertResult | None] = [None] * len(records)
    prepared = []
    for index, record in enumerate(records):
        url = record.url[:2000]
        prepared.append((index, record, url, record.content_hash()))
    existing = {
        listing.url: listing
        for listing in Listing.objects.filter(source=source, url__in=[p[2] for p in prepared])
        .order_by()
        .select_related("position")
        .only(
            "id", "url", "content_hash", "state", "position_id", "position__id", "position__title"
        )
    }
    new: list[tuple[int, StoredRecord, str, str]] = []
    one_by_one: list[int] = []
    seen: set[str] = set()
    for index, record, url, content_hash in prepared:
        listing = existing.get(url)
        if (
            listing is not None
            and listing.content_hash == content_hash
            and listing.state == "active"
        ):
            results[index] = UpsertResult(
                position=listing.position, listing=listing, outcome="unchanged"
            )
        elif listing is None and url not in seen:
            new.append((index, record, url, content_hash))
        else:
            one_by_one.append(index)
        seen.add(url)
    if new:
        created = _create_positions_in_bulk(new, raws=raws, source=source, run=run)
        for index, result in created.items():
            if result is None:
                one_by_one.append(index)  # listed meanwhile by another worker
            else:
                results[index] = result
    for index in sorted(one_by_one):
        results[index] = position_upsert_from_record(
            record=records[index], source=source, run=run, raw=raws[index]
        )
    return [result for result in results if result is not None]


def _institutions_by_name(names: Iterable[str]) -> dict[str, Institution]:
    """institution_for's lookup (the name case-insensitively, or an exact alias; the lowest
    id wins) for many names in one query. Keyed by the name as given; names found nowhere
    are absent."""
    wanted = {name for name in names if name}
    if not wanted:
        return {}
    by_upper: dict[str, list[str]] = {}
    for name in wanted:
        by_upper.setdefault(name.upper(), []).append(name)
    found: dict[str, Institution] = {}
    candidates = (
        Institution.objects.annotate(upper_name=Upper("name"))
        .filter(Q(upper_name__in=list(by_upper)) | Q(aliases__overlap=list(wanted)))
        .order_by("-id")
    )  # institution_for takes the lowest id: it comes last and wins
    for institution in candidates:
        for name in by_upper.get(institution.name.upper(), ()):
            found[name] = institution
        for alias in institution.aliases:
            if alias in wanted:
                found[alias] = institution
    return found


def _institutions_create(places: Sequence[tuple[str, str, str]]) -> dict[str, Institution]:
    """institution_for's get_or_create for the (name, country, city) of many new names, in
    two statements; keyed by name. A name another worker created meanwhile is taken as it is
    (ON CONFLICT DO NOTHING, then the one read finds it). Inserted in name order, so two
    workers creating overlapping names never wait on each other in a cycle."""
    if not places:
        return {}
    ordered = sorted(places)
    table = Institution._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, aliases, country, city, website)"  # noqa: S608
            " SELECT name, '{}', country, city, ''"
            " FROM unnest(%s::text[], %s::text[], %s::text[]) AS n(name, country, city)"
            " ON CONFLICT (name) DO NOTHING",
            [
                [name for name, _country, _city in ordered],
                [country for _name, country, _city in ordered],
                [city[:200] for _name, _country, city in ordered],
            ],
        )
    return {
        institution.name: institution
        for institution in Institution.objects.filter(name__in=[name for name, _c, _t in ordered])
    }


def _topic_key(path: str) -> tuple[str, str] | None:
    """topics_for's reading of a "Parent > Child" path: (parent, name) upper-cased, ("", name)
    for a root; None for an empty path."""
    parts = [part.strip() for part in str(path).split(">") if part.strip()]
    if not parts:
        return None
    return (parts[0].upper(), parts[-1].upper()) if len(parts) > 1 else ("", parts[0].upper())


def _topic_index(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """topics_for's lookup for many paths in one query: _topic_key -> topic id, for the
    taxonomy nodes the keys name (a key naming none is absent)."""
    names = {name for _parent, name in keys}
    if not names:
        return {}
    index: dict[tuple[str, str], int] = {}
    nodes = (
        Topic.objects.annotate(upper_name=Upper("name"))
        .filter(upper_name__in=names)
        .order_by("-parent__name", "-name", "-id")  # topics_for's .first() comes last, wins
        .values_list("id", "name", "parent__name")
    )
    for topic_id, name, parent in nodes:
        index[((parent or "").upper(), name.upper())] = topic_id
    return index


def _json_default(value: Any) -> Any:
    """What json.dumps cannot write itself, in the text form Postgres reads for the column."""
    if isinstance(value, dt.date | dt.time):  # datetimes too: full precision, with offset
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _insert_rows(
    model: type[models.Model],
    rows: Sequence[models.Model],
    *,
    computed: dict[str, str] | None = None,
) -> None:
    """INSERT `rows` in one statement whose one parameter is a JSON array of them:
    jsonb_populate_recordset reads it as rows of the table's own type (alias r), so every
    column is typed and checked by Postgres as on any INSERT, and a `computed` column is
    an SQL expression over r evaluated in the INSERT itself.

    Why not bulk_create: it prepares every value of every field through the ORM (a third
    of the cost of a batch of new positions, issue 7), and it cannot write a column
    computed from the row, which would then need a second UPDATE of every row.
    A primary key left unset is given by the table's identity column.
    """
    if not rows:
        return
    computed = computed or {}
    meta = model._meta
    with_pk = all(row.pk is not None for row in rows)
    fields = [
        f
        for f in meta.concrete_fields
        if f.column not in computed
        and (with_pk or not f.primary_key)
        and not f.generated  # Postgres computes those
    ]
    quote = connection.ops.quote_name
    names = [(f.column or f.attname, f.attname) for f in fields]  # concrete: a column each
    columns = [quote(column) for column, _ in names] + [quote(column) for column in computed]
    select = [f"r.{quote(column)}" for column, _ in names] + list(computed.values())
    payload = json.dumps(
        [{column: getattr(row, attname) for column, attname in names} for row in rows],
        default=_json_default,
        ensure_ascii=False,
    )
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)}"  # noqa: S608
            f" FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) AS r",
            [payload],
        )


@dataclass
class _NewAdvert:
    """One new advert of a batch on its way in: its record, listing and position."""

    index: int
    record: StoredRecord
    url: str
    content_hash: str
    data: dict[str, Any]
    raw_json: dict[str, Any]
    position: Position
    topic_keys: list[tuple[str, str]]


def _create_positions_in_bulk(
    new: list[tuple[int, StoredRecord, str, str]],
    *,
    raws: Sequence[StoredRaw | None],
    source: Source,
    run: ScrapeRun | None,
) -> dict[int, UpsertResult | None]:
    """Create the positions of a batch's new adverts, in a constant number of queries.

    Each gets what position_upsert_from_record gives a new advert: the same position
    (one builder, _new_position), listing, topics, search document and "created" entry in
    the history. What needs no lock (the positions' values, the institutions and topics
    they name) is worked out first; then, under the advisory locks of all the batch's
    URLs, the adverts another worker listed meanwhile are left out (None: the caller
    stores them one by one) and the rest inserted, one statement per table.
    """
    now = timezone.now()
    adverts: list[_NewAdvert] = []
    for index, record, url, content_hash in new:
        data = record.to_json(with_description=True)
        raw = raws[index]
        raw_json = raw.to_json() if raw is not None else {}
        if len(str(raw_json)) > MAX_RAW_RECORD_CHARS:
            raw_json = {"truncated": True, "url": url}
        keys = [key for key in map(_topic_key, record.topics) if key is not None]
        # Not validated field by field: values_from_record bounds every value to its column
        # (lengths, choices, ranges) and Postgres checks types, lengths and CHECK constraints
        # on the INSERT, while full_clean costs half a millisecond a position, as much as
        # the rest of the batch's work (issue 7). A batch that fails is stored again one by
        # one by the pipeline, where the validation names the field.
        position = _new_position(data, source=source, now=now, institution=None, validate=False)
        position.updated_at = now
        adverts.append(_NewAdvert(index, record, url, content_hash, data, raw_json, position, keys))
    topic_index = _topic_index(key for advert in adverts for key in advert.topic_keys)
    known = _institutions_by_name(
        advert.position.institution_name.strip()[:300] for advert in adverts
    )

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

        # institution_for for each name: found, or created (the first spelling, place and
        # country a batch gives a name, as storing its adverts in turn would).
        missing: dict[str, tuple[str, str, str]] = {}
        for advert in adverts:
            name = advert.position.institution_name.strip()[:300]
            if name and name not in known:
                place = (name, advert.position.country, advert.position.city)
                missing.setdefault(name.upper(), place)
        created = _institutions_create(list(missing.values()))
        for advert in adverts:
            name = advert.position.institution_name.strip()[:300]
            institution = known.get(name)
            if institution is None and name:
                institution = created.get(missing[name.upper()][0])
            advert.position.institution = institution

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
                    source_item_id=advert.record.source_item_id[:300],
                    content_hash=advert.content_hash,
                    raw_record=advert.raw_json,
                    normalized=advert.data,
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

    for advert, listing in zip(adverts, listings, strict=True):
        for instance in (advert.position, listing):
            instance._state.adding = False
            instance._state.db = connection.alias
        out[advert.index] = UpsertResult(
            position=advert.position, listing=listing, outcome="created"
        )
    return out


# --- Listing lifecycle: missed runs, gone listings, closing positions ---------------------
# (written for the scrape pipeline and the daily housekeeping task)


def position_close_automatically(
    *,
    position: Position,
    reason: str,
    run: ScrapeRun | None = None,
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
    position_ids: Iterable[int], *, run: ScrapeRun | None, reason: str
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


def listing_mark_gone(*, listing: Listing, reason: str, run: ScrapeRun | None = None) -> int:
    """A listing's page answered 404/410: it is gone at once, and its position closes if
    no other listing is left. Returns the number of positions closed (0 or 1)."""
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(state=Listing.State.GONE)
        return _close_positions_without_active_listing(
            [listing.position_id], run=run, reason=reason
        )


def listings_record_run(
    *,
    source: Source,
    seen_urls: Iterable[str],
    count_misses: bool,
    run: ScrapeRun | None = None,
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


def positions_close_unlisted(*, run: ScrapeRun | None = None) -> int:
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


# --- Curation --------------------------------------------------------------------------------
# Admin edits and locks, moderation, duplicates (detect, merge, split), visitor reports,
# liveness and source health live in positions/curation.py; re-exported here so every write
# is imported from positions.services. Imported last: curation imports this module lazily.
from . import curation as _curation  # noqa: E402
from .facts import LOCKABLE_FIELDS as LOCKABLE_FIELDS  # noqa: E402

DuplicateMatch = _curation.DuplicateMatch
DuplicateOutcome = _curation.DuplicateOutcome
duplicate_candidate_decide = _curation.duplicate_candidate_decide
listing_split = _curation.listing_split
position_close = _curation.position_close
position_detect_duplicates = _curation.position_detect_duplicates
position_duplicate_score = _curation.position_duplicate_score
position_find_duplicates = _curation.position_find_duplicates
position_mark_possibly_filled = _curation.position_mark_possibly_filled
position_mark_reviewed = _curation.position_mark_reviewed
position_merge = _curation.position_merge
position_reconcile = _curation.position_reconcile
position_rescrape = _curation.position_rescrape
position_set_featured = _curation.position_set_featured
position_set_moderation = _curation.position_set_moderation
position_unlock_fields = _curation.position_unlock_fields
position_update_by_admin = _curation.position_update_by_admin
report_create = _curation.report_create
report_resolve = _curation.report_resolve
