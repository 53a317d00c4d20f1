"""The reconciliation of several listings and the completeness score: pure reads shared by
the upsert (positions/services.py) and the curation services (positions/curation.py). A
listing's JSON becomes Position values through the one table of positions/records.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .facts import funded_for, is_empty
from .models import Listing, Position
from .records import MAX_DESCRIPTION_CHARS as MAX_DESCRIPTION_CHARS
from .records import values_from_record as values_from_record

# How specific a kind of source is: a university's or lab's own page knows its advert
# better than an aggregator that syndicates it. Higher wins when listings disagree.
ADAPTER_SPECIFICITY: dict[str, int] = {
    "lab_page": 50,
    "jsonld": 45,
    "generic": 40,
    "feed": 20,
    "aggregator": 10,
}

# --- Reconciling the listings of one position ------------------------------------------------


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
