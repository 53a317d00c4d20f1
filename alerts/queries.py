"""A saved search: its canonical query string, the search in words, and its new matches.

The stored query keeps the search page's filters only (no sort, page or page size), in a
fixed order, so the same search saved twice is one string. Invalid values are dropped the
way the search page drops them: a typo'd or hostile query string still saves what it can.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from positions.filters import PARAMETERS, PositionFilter, clean_params
from positions.models import Institution, Position, Topic
from positions.search import clean_query_text
from positions.selectors import country_name

from .models import PositionEvent

NOT_SAVED = frozenset({"sort", "page", "per_page", "include_closed"})
MAX_VALUES = 30
MAX_QUERY_CHARS = 2000


def _filterset(query: QueryDict, today: dt.date | None = None, queryset: Any = None) -> Any:
    queryset = Position.objects.all() if queryset is None else queryset
    return PositionFilter(query, queryset=queryset, today=today)


def canonical_query(params: Mapping[str, Any] | QueryDict) -> str:
    """The search's filters as a query string ('' for every open position)."""
    cleaned = clean_params(params)
    for name in NOT_SAVED:
        cleaned.pop(name, None)
    valid = _filterset(cleaned).values
    pairs: list[tuple[str, str]] = []
    for name in PARAMETERS:
        if name not in valid:
            continue
        if name == "q":
            pairs.append(("q", clean_query_text(cleaned.get("q"))))
            continue
        raws = sorted({raw.strip() for raw in cleaned.getlist(name) if raw.strip()})
        pairs.extend((name, raw[:100]) for raw in raws[:MAX_VALUES])
    return urlencode(pairs)[:MAX_QUERY_CHARS]


def query_dict(query: str) -> QueryDict:
    return QueryDict(query or "", mutable=False)


def _labels(choices: Iterable[tuple[str, str]], values: list[str]) -> str:
    names = dict(choices)
    return ", ".join(str(names.get(value, value)) for value in values)


def describe(query: str) -> str:
    """'“machine learning”; fully funded; in Germany or France; topic: Physics'."""
    values = _filterset(query_dict(query)).values
    parts: list[str] = []
    if values.get("q"):
        parts.append(f"“{clean_query_text(values['q'])[:120]}”")
    if values.get("funding"):
        parts.append(_labels(Position.Funding.choices, values["funding"]).lower())
    if values.get("country"):
        parts.append("in " + " or ".join(country_name(code) for code in values["country"]))
    if values.get("topic"):
        topics = Topic.objects.filter(slug__in=values["topic"]).values_list("name", flat=True)
        parts.append("topic: " + ", ".join(sorted(topics) or values["topic"]))
    if values.get("institution"):
        institutions = Institution.objects.filter(pk__in=values["institution"]).values_list(
            "name", flat=True
        )
        parts.append("at " + " or ".join(sorted(institutions)[:5]))
    if values.get("eligibility"):
        parts.append("open to " + _labels(Position.Eligibility.choices, values["eligibility"]))
    if values.get("contract"):
        parts.append(_labels(Position.Contract.choices, values["contract"]).lower())
    if values.get("deadline_kind"):
        parts.append("deadline: " + _labels(Position.DeadlineKind.choices, values["deadline_kind"]))
    if values.get("deadline_within") is not None:
        parts.append(f"closing within {values['deadline_within']} days")
    if values.get("deadline_after") or values.get("deadline_before"):
        parts.append(
            _range("deadline", values.get("deadline_after"), values.get("deadline_before"))
        )
    if values.get("start") or values.get("start_after") or values.get("start_before"):
        parts.append(_range("starting", values.get("start_after"), values.get("start_before")))
    return "; ".join(parts) or "all open PhD positions"


def _range(label: str, after: dt.date | None, before: dt.date | None) -> str:
    low = after.strftime("%-d %b %Y") if after else "…"
    high = before.strftime("%-d %b %Y") if before else "…"
    return f"{label} {low} to {high}"


class Matcher:
    """The new or reopened positions of one period, and which of them each saved search
    matches. Searches repeat across subscribers, so each distinct query is matched once
    (kept in a bounded cache for the whole run)."""

    def __init__(self, fresh: dict[int, dt.datetime], today: dt.date, cache_size: int = 5000):
        self.fresh = fresh
        self.today = today
        self._ids = list(fresh)
        self._cache: OrderedDict[str, list[int]] = OrderedDict()
        self._cache_size = cache_size
        self.queries_run = 0

    def matches(self, query: str) -> list[int]:
        """Ids of the fresh positions the search matches, by deadline."""
        found = self._cache.get(query)
        if found is not None:
            self._cache.move_to_end(query)
            return found
        # One array parameter, not thousands of placeholders: compiling `id IN (...)` for
        # each search cost more than running it.
        candidates = Position.objects.filter(
            RawSQL("positions_position.id = ANY(%s::bigint[])", (self._ids,), BooleanField())
        )
        filterset = _filterset(query_dict(query), self.today, candidates)
        found = list(filterset.qs.order_by("deadline", "id").values_list("id", flat=True))
        self.queries_run += 1
        self._cache[query] = found
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return found

    def new_for(self, query: str, since: dt.datetime) -> list[int]:
        return [pid for pid in self.matches(query) if self.fresh[pid] > since]


def fresh_positions(since: dt.datetime, until: dt.datetime) -> dict[int, dt.datetime]:
    """Open, published positions first seen or reopened in [since, until): id -> when."""
    visible = Q(moderation=Position.Moderation.PUBLISHED, status=Position.Status.OPEN)
    fresh: dict[int, dt.datetime] = dict(
        Position.objects.filter(visible, first_seen__gte=since, first_seen__lt=until)
        .order_by()
        .values_list("id", "first_seen")
    )
    reopened = (
        PositionEvent.objects.filter(kind=PositionEvent.Kind.REOPENED, at__gte=since, at__lt=until)
        .order_by()
        .values_list("position_id", "at")
    )
    reopened_at: dict[int, dt.datetime] = {}
    for position_id, at in reopened:
        reopened_at[position_id] = max(at, reopened_at.get(position_id, at))
    still_open = set(
        Position.objects.filter(visible, id__in=list(reopened_at)).values_list("id", flat=True)
    )
    for position_id in still_open:
        fresh[position_id] = max(reopened_at[position_id], fresh.get(position_id, since))
    return fresh
