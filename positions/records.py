"""The record positions stores, typed and validated once, and the one table that maps it
onto Position's fields.

Scraping hands positions a normalised advert (scrapers.records.PositionRecord, or anything
of the `RecordLike` shape below) and, optionally, what the adapter saw of it (`RawLike`).
`StoredRecord.build()` turns the pair into the one typed record the store works with: the
record's JSON (kept on its listing, hashed to tell an unchanged advert), and its Position
values as Python values (dates, times, decimals, the model's choices), each bounded to its
column. That is the only place a record's strings become values; the upsert
(positions/services.py) only reads `StoredRecord.values`.

To add a field: add the Position field (positions/models.py and a migration), its line in
`FIELDS` (the record key it comes from and its converter) and its name in
facts.RECORD_FIELDS (the order the history lists changes in). A test checks the table and
RECORD_FIELDS name the same fields (tests/positions/test_records.py).

positions imports nothing of scraping: the shapes it needs are stated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol, TypeAlias

from .facts import funded_for
from .models import Position
from .sanitize import clean_html

MAX_DESCRIPTION_CHARS = 100_000
MAX_RAW_RECORD_CHARS = 200_000


# Scraping's rows as positions receives them: a scrapers.models.Source (positions reads its
# pk, name, adapter and auto_publish) and a ScrapeRun (kept on the history it writes).
# positions never imports scrapers, so their type here is any model instance.
SourceRow: TypeAlias = Any
RunRow: TypeAlias = Any


class RecordLike(Protocol):
    """A normalised advert (scrapers.records.PositionRecord)."""

    @property
    def url(self) -> str: ...

    @property
    def source_item_id(self) -> str: ...

    @property
    def topics(self) -> list[str]: ...

    def to_json(self, *, with_description: bool = False) -> dict[str, Any]: ...

    def content_hash(self) -> str: ...


class RawLike(Protocol):
    """What the adapter saw of it (scrapers.records.RawRecord), kept on its listing."""

    @property
    def meta(self) -> dict[str, Any]: ...

    def to_json(self) -> dict[str, Any]: ...


# --- Converters: a record's value to a column's, or the column's "not stated" ----------------


def as_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_time(value: Any) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


def as_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount >= 0 and amount < Decimal("1e10") else None


def as_text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def as_string_list(values: Any, limit: int = 200) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    seen: dict[str, None] = {}
    for value in values:
        text = as_text(value, limit)
        if text:
            seen.setdefault(text, None)
    return list(seen)


def text(limit: int) -> Callable[[Any], str]:
    return lambda value: as_text(value, limit)


def string_list(limit: int = 200) -> Callable[[Any], list[str]]:
    return lambda value: as_string_list(value, limit)


def choice(choices: Any, default: Any) -> Callable[[Any], Any]:
    # The values computed once: `Choices.values` builds a new list on every access (issue 7).
    allowed = frozenset(choices.values)
    return lambda value: value if value in allowed else default


def choices_list(choices: Any) -> Callable[[Any], list[str]]:
    allowed = frozenset(choices.values)
    return lambda value: [item for item in as_string_list(value) if item in allowed]


def code(length: int) -> Callable[[Any], str]:
    """An ISO code of `length` letters, upper case ("GB", "GBP"), else empty."""

    def convert(value: Any) -> str:
        found = as_text(value, length).upper()
        return found if len(found) == length and found.isalpha() else ""

    return convert


def int_between(low: int, high: int, *, high_included: bool = False) -> Callable[[Any], Any]:
    def convert(value: Any) -> int | None:
        if not isinstance(value, int):
            return None
        inside = low < value <= high if high_included else low < value < high
        return value if inside else None

    return convert


def bool_or_none(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


# --- The table: Position field <- record key(s), converter -----------------------------------


@dataclass(frozen=True)
class RecordField:
    """One Position field and where the record's JSON holds it.

    `keys` are paths into the JSON ("stipend.amount"); with several, the first that states a
    value wins. `convert` makes the column's value of it (or the column's "not stated").
    """

    column: str
    keys: tuple[str, ...]
    convert: Callable[[Any], Any]

    def read(self, data: Mapping[str, Any]) -> Any:
        value: Any = None
        for key in self.keys:
            value = _lookup(data, key)
            if value:
                break
        return self.convert(value)


def _lookup(data: Mapping[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _field(column: str, key: str, convert: Callable[[Any], Any], *more: str) -> RecordField:
    return RecordField(column, (key, *more), convert)


FIELDS: tuple[RecordField, ...] = (
    _field("title", "title", lambda value: as_text(value, 500) or "Untitled position"),
    _field("institution_name", "institution", text(300)),
    _field("department", "department", text(300)),
    _field("country", "country", code(2)),
    _field("city", "city", text(200)),
    # An ISO 3166-2 code of the position's own country: settled with the country in `_agree`.
    _field("region", "region", lambda value: as_text(value, 10).upper()),
    _field("deadline", "deadline", as_date),
    _field("deadline_time", "deadline_time", as_time),
    _field("deadline_timezone", "deadline_timezone", text(64)),
    # "fixed" needs a date: settled with the deadline in `_agree`.
    _field("deadline_kind", "deadline_kind", choice(Position.DeadlineKind, None)),
    _field("start_date", "start_date", as_date),
    _field("start_text", "start_text", text(300)),
    _field("duration_months", "duration_months", int_between(0, 240)),
    _field("funding", "funding", choice(Position.Funding, "unknown")),
    _field("contract", "contract", choice(Position.Contract, "unknown")),
    # Funded for nobody unless funded: settled with the funding in `_agree`.
    _field("eligibility", "eligibility", choices_list(Position.Eligibility)),
    _field("open_to", "open_to", choices_list(Position.Eligibility)),
    _field("stipend_amount", "stipend.amount", as_decimal),
    _field("stipend_amount_max", "stipend.amount_max", as_decimal),
    _field("stipend_currency", "stipend.currency", code(3)),
    _field("stipend_period", "stipend.period", choice(Position.Period, "")),
    _field("stipend_text", "stipend.text", text(500), "stipend_text"),
    _field("pay_scale", "stipend.pay_scale", text(100)),
    _field("fte_percent", "stipend.fte_percent", int_between(0, 100, high_included=True)),
    _field("stipend_eur_year", "stipend.yearly_eur", int_between(0, 10_000_000)),
    # The rate's day only with a converted amount: settled in `_agree`.
    _field("stipend_rate_date", "stipend.rate_date", as_date),
    _field("schedule", "schedule", choice(Position.Schedule, None)),
    _field("programme", "programme", choice(Position.Programme, None)),
    _field("researcher_level", "researcher_level", choice(Position.Level, None)),
    _field("fees_covered", "fees_covered", choice(Position.Fees, "not_stated")),
    _field("teaching_duty", "teaching_duty", bool_or_none),
    _field("supervisors", "supervisors", string_list()),
    _field("contact_emails", "contact_emails", string_list(254)),
    _field("tags", "tags", string_list()),
    _field("degree_level", "degree", text(40)),
    _field("description_html", "description_html", lambda value: clean_html(value or "")),
    _field("description_text", "description_text", text(MAX_DESCRIPTION_CHARS)),
    _field("url", "url", text(2000)),
    _field("apply_url", "apply_url", text(2000)),
)


def _agree(values: dict[str, Any]) -> dict[str, Any]:
    """The rules between fields: a fixed deadline has a date; funded for nobody unless funded;
    a region inside the country; a rate's day only with a converted amount."""
    kind = values["deadline_kind"]
    if kind is None or (kind == "fixed" and values["deadline"] is None):
        values["deadline_kind"] = "fixed" if values["deadline"] else "unknown"
    values["eligibility"] = funded_for(values["funding"], values["eligibility"])
    region, country = values["region"], values["country"]
    if not (country and region.startswith(f"{country}-") and len(region) > 3):
        values["region"] = None
    if values["stipend_eur_year"] is None:
        values["stipend_rate_date"] = None
    return values


def values_from_record(data: Mapping[str, Any]) -> dict[str, Any]:
    """Position field values from a record's JSON (RecordLike.to_json(with_description)).

    The one mapping from record to Position: `StoredRecord.build` uses it once per record;
    reading a listing's stored JSON back (reconciling several listings) uses it too.
    """
    return _agree({item.column: item.read(data) for item in FIELDS})


# --- The typed record ----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredRecord:
    """One advert as positions stores it: built once, read by the upsert.

    `values` are its Position field values (typed, bounded to their columns); `data` is the
    record's JSON as its listing keeps it (`Listing.normalized`), `content_hash` tells an
    unchanged advert; `raw_json` is what the adapter saw (`Listing.raw_record`).
    """

    url: str
    source_item_id: str
    topics: tuple[str, ...]
    values: Mapping[str, Any]
    data: dict[str, Any]
    content_hash: str
    raw_json: dict[str, Any] = field(default_factory=dict)
    # A feed item: the advert page it links to says more, so it never replaces that page.
    feed_entry: bool = False

    @classmethod
    def build(cls, record: RecordLike, raw: RawLike | None = None) -> StoredRecord:
        url = record.url[:2000]
        data = record.to_json(with_description=True)
        raw_json = raw.to_json() if raw is not None else {}
        if len(str(raw_json)) > MAX_RAW_RECORD_CHARS:
            raw_json = {"truncated": True, "url": url}
        return cls(
            url=url,
            source_item_id=record.source_item_id[:300],
            topics=tuple(record.topics),
            values=values_from_record(data),
            data=data,
            content_hash=record.content_hash(),
            raw_json=raw_json,
            feed_entry=bool(raw is not None and raw.meta.get("feed_entry")),
        )

    @property
    def evidence(self) -> dict[str, Any]:
        return self.data.get("evidence") or {}

    @property
    def contradictions(self) -> list[Any]:
        return self.data.get("contradictions") or []
