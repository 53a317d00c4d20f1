"""A stored record's JSON as Position field values, the reconciliation of several
listings, and the completeness score: pure reads shared by the upsert
(positions/services.py) and the curation services (positions/curation.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .facts import funded_for, is_empty
from .models import Listing, Position
from .sanitize import clean_html

# How specific a kind of source is: a university's or lab's own page knows its advert
# better than an aggregator that syndicates it. Higher wins when listings disagree.
ADAPTER_SPECIFICITY: dict[str, int] = {
    "lab_page": 50,
    "jsonld": 45,
    "generic": 40,
    "feed": 20,
    "aggregator": 10,
}

MAX_DESCRIPTION_CHARS = 100_000


# --- Mapping a normalised record onto Position fields ------------------------------------


def _parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _parse_time(value: Any) -> dt.time | None:
    if not value:
        return None
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount >= 0 and amount < Decimal("1e10") else None


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _string_list(values: Any, limit: int = 200) -> list[str]:
    if not isinstance(values, list | tuple):
        return []
    seen: dict[str, None] = {}
    for value in values:
        text = _text(value, limit)
        if text:
            seen.setdefault(text, None)
    return list(seen)


# The choices' values, computed once: `Choices.values` builds a new list on every access,
# and values_from_record runs for every stored record (issue 7).
_PERIODS = frozenset(Position.Period.values)
_DEADLINE_KINDS = frozenset(Position.DeadlineKind.values)
_FUNDINGS = frozenset(Position.Funding.values)
_CONTRACTS = frozenset(Position.Contract.values)
_ELIGIBILITIES = frozenset(Position.Eligibility.values)
_FEES = frozenset(Position.Fees.values)
_SCHEDULES = frozenset(Position.Schedule.values)
_PROGRAMMES = frozenset(Position.Programme.values)
_LEVELS = frozenset(Position.Level.values)


def _one_of(value: Any, allowed: frozenset[str]) -> str | None:
    return value if value in allowed else None


def _region(value: Any, country: str) -> str | None:
    """An ISO 3166-2 code of the position's own country ("DE-BY"), else None."""
    text = _text(value, 10).upper()
    return text if country and text.startswith(f"{country}-") and len(text) > 3 else None


def _yearly_eur(stipend: dict[str, Any]) -> int | None:
    value = stipend.get("yearly_eur")
    return value if isinstance(value, int) and 0 < value < 10_000_000 else None


def values_from_record(data: dict[str, Any]) -> dict[str, Any]:
    """Position field values from a record's JSON (StoredRecord.to_json(with_description))."""
    stipend = data.get("stipend") or {}
    period = stipend.get("period") if stipend.get("period") in _PERIODS else ""
    currency = _text(stipend.get("currency"), 3).upper()
    deadline = _parse_date(data.get("deadline"))
    deadline_kind = data.get("deadline_kind")
    if deadline_kind not in _DEADLINE_KINDS or (deadline_kind == "fixed" and deadline is None):
        deadline_kind = "fixed" if deadline else "unknown"
    fte = stipend.get("fte_percent")
    country = _text(data.get("country"), 2).upper()
    return {
        "title": _text(data.get("title"), 500) or "Untitled position",
        "institution_name": _text(data.get("institution"), 300),
        "department": _text(data.get("department"), 300),
        "country": country if len(country) == 2 and country.isalpha() else "",
        "city": _text(data.get("city"), 200),
        "deadline": deadline,
        "deadline_time": _parse_time(data.get("deadline_time")),
        "deadline_timezone": _text(data.get("deadline_timezone"), 64),
        "deadline_kind": deadline_kind,
        "start_date": _parse_date(data.get("start_date")),
        "start_text": _text(data.get("start_text"), 300),
        "duration_months": data.get("duration_months")
        if isinstance(data.get("duration_months"), int) and 0 < data["duration_months"] < 240
        else None,
        "funding": data.get("funding") if data.get("funding") in _FUNDINGS else "unknown",
        "contract": data.get("contract") if data.get("contract") in _CONTRACTS else "unknown",
        "eligibility": funded_for(
            data.get("funding"),
            [e for e in _string_list(data.get("eligibility")) if e in _ELIGIBILITIES],
        ),
        "open_to": [e for e in _string_list(data.get("open_to")) if e in _ELIGIBILITIES],
        "stipend_amount": _decimal(stipend.get("amount")),
        "stipend_amount_max": _decimal(stipend.get("amount_max")),
        "stipend_currency": currency if len(currency) == 3 and currency.isalpha() else "",
        "stipend_period": period or "",
        "stipend_text": _text(stipend.get("text") or data.get("stipend_text"), 500),
        "pay_scale": _text(stipend.get("pay_scale"), 100),
        "fte_percent": fte if isinstance(fte, int) and 0 < fte <= 100 else None,
        "stipend_eur_year": _yearly_eur(stipend),
        "stipend_rate_date": _parse_date(stipend.get("rate_date"))
        if _yearly_eur(stipend)
        else None,
        "schedule": _one_of(data.get("schedule"), _SCHEDULES),
        "programme": _one_of(data.get("programme"), _PROGRAMMES),
        "researcher_level": _one_of(data.get("researcher_level"), _LEVELS),
        "region": _region(data.get("region"), country),
        "fees_covered": data.get("fees_covered")
        if data.get("fees_covered") in _FEES
        else "not_stated",
        "teaching_duty": data.get("teaching_duty")
        if isinstance(data.get("teaching_duty"), bool)
        else None,
        "supervisors": _string_list(data.get("supervisors")),
        "contact_emails": _string_list(data.get("contact_emails"), 254),
        "tags": _string_list(data.get("tags")),
        "degree_level": _text(data.get("degree"), 40),
        "description_html": clean_html(data.get("description_html") or ""),
        "description_text": _text(data.get("description_text"), MAX_DESCRIPTION_CHARS),
        "url": _text(data.get("url"), 2000),
        "apply_url": _text(data.get("apply_url"), 2000),
    }


def _listing_rank(listing: Listing) -> tuple[int, int, int]:
    filled = sum(1 for v in values_from_record(listing.normalized).values() if not is_empty(v))
    return (ADAPTER_SPECIFICITY.get(listing.source.adapter, 30), filled, -listing.id)


def reconcile_values(listings: Iterable[Listing]) -> dict[str, Any]:
    """The documented rule: each field from the most specific listing that states it."""
    ranked = sorted(listings, key=_listing_rank, reverse=True)
    values: dict[str, Any] = {}
    for listing in ranked:
        for field, value in values_from_record(listing.normalized).items():
            if field not in values or (is_empty(values[field]) and not is_empty(value)):
                values[field] = value
    # One source's "funded for" never outlives another's "self-funded" (issue 22).
    values["eligibility"] = funded_for(values.get("funding"), values.get("eligibility") or [])
    return values


# --- Derived values ------------------------------------------------------------------------


COMPLETENESS_FIELDS = ("deadline", "funding", "stipend", "duration", "eligibility", "supervisors")


def position_completeness(position: Position) -> int:
    """Share (0-100) of the facts a student needs that the position states."""
    stated = [
        position.deadline is not None or position.deadline_kind == "rolling",
        position.funding != "unknown",
        position.stipend_amount is not None or bool(position.pay_scale),
        position.duration_months is not None,
        bool(position.eligibility or position.open_to),  # who is funded, or who may apply
        bool(position.supervisors),
    ]
    return round(100 * sum(stated) / len(stated))
