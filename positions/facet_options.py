"""A search's facet counts as the options a page and the API show: their labels, their
order, which are selected. `facet_options(rows, values, today)` reads the rows of the one
counting statement (search.counts._facet_counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .facet_kinds import KIND_BY_COUNT, kind_facet_options
from .filters import quarter_end
from .models import Position

DEADLINE_WINDOWS = (7, 30, 90)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False
    children: list[FacetOption] = field(default_factory=list)
    # Counted in a sample of the matches and scaled (shown with "≈").
    estimated: bool = False

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "label": self.label, "count": self.count}
        if self.children:
            data["children"] = [child.as_json() for child in self.children]
        return data


# Facets listed by count, most first (the others keep a fixed order).
_BY_COUNT = frozenset({"country", "institution", "topic", *KIND_BY_COUNT})


def _by_count(option: FacetOption) -> tuple[int, str]:
    return (-option.count, option.label)


def _walk_options(facets: dict[str, list[FacetOption]]) -> Iterator[FacetOption]:
    for options in facets.values():
        for option in options:
            yield option
            yield from option.children


_FUNDING_ORDER = [value for value, _label in Position.Funding.choices]
_CONTRACT_ORDER = [value for value, _label in Position.Contract.choices]
_ELIGIBILITY_ORDER = [value for value, _label in Position.Eligibility.choices]
_DEADLINE_KIND_ORDER = [value for value, _label in Position.DeadlineKind.choices]


_quarter_end = quarter_end


def _quarter_label(start: dt.date) -> str:
    return f"{start:%b}\u2013{_quarter_end(start):%b} {start.year}"


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """The country's common name (a search page shows ~60: pycountry takes ~15 µs each)."""
    import pycountry

    if not code:
        return "Country not stated"
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def facet_options(
    rows: list[tuple[Any, ...]], values: dict[str, Any], today: dt.date
) -> tuple[int, dict[str, list[FacetOption]]]:
    total, counts, labels, topic_rows = _read_rows(rows)
    facets: dict[str, list[FacetOption]] = {
        "funding": _options(counts, "funding", _FUNDING_ORDER, Position.Funding, values),
        "contract": _options(counts, "contract", _CONTRACT_ORDER, Position.Contract, values),
        "eligibility": _options(
            counts, "eligibility", _ELIGIBILITY_ORDER, Position.Eligibility, values
        ),
        "deadline_kind": _options(
            counts, "deadline_kind", _DEADLINE_KIND_ORDER, Position.DeadlineKind, values
        ),
        "deadline_within": _deadline_windows(counts, values),
        "country": _counted(
            counts.get("country", {}), set(values.get("country", [])), country_name
        ),
        "institution": _counted(
            counts.get("institution", {}),
            {str(value) for value in values.get("institution", [])},
            lambda value: labels.get(value, f"Institution {value}"),
        ),
        "start": _start_quarters(counts, values, today),
    }
    facets.update(kind_facet_options(counts, values, FacetOption))
    facets["topic"] = _topic_tree(counts.get("topic", {}), topic_rows, set(values.get("topic", [])))
    return total, facets


def _read_rows(
    rows: list[tuple[Any, ...]],
) -> tuple[int, dict[str, dict[str, int]], dict[str, str], dict[str, tuple[str, str, int | None]]]:
    """The counting statement's rows: the total, counts per facet value, institution labels
    and the topics' rows."""
    total = 0
    counts: dict[str, dict[str, int]] = {}
    institutions: dict[str, str] = {}
    topic_rows: dict[str, tuple[str, str, int | None]] = {}
    for facet, value, count, institution_name, topic_name, topic_slug, topic_parent in rows:
        if facet == "total":
            total = int(count or 0)
            continue
        counts.setdefault(facet, {})[value] = int(count or 0)
        if facet == "institution" and institution_name:
            institutions[value] = institution_name
        if facet == "topic" and topic_slug:
            topic_rows[value] = (topic_slug, topic_name, topic_parent)
    return total, counts, institutions, topic_rows


def _options(
    counts: dict[str, dict[str, int]],
    facet: str,
    order: list[str],
    choices: Any,
    values: dict[str, Any],
) -> list[FacetOption]:
    """A choice facet's options in their fixed order: those counted or selected."""
    found = counts.get(facet, {})
    labels = dict(choices.choices)
    selected = set(values.get(facet, []))
    return [
        FacetOption(
            value=value,
            label=labels[value],
            count=found.get(value, 0),
            selected=value in selected,
        )
        for value in order
        if found.get(value) or value in selected
    ]


def _deadline_windows(
    counts: dict[str, dict[str, int]], values: dict[str, Any]
) -> list[FacetOption]:
    within = values.get("deadline_within")
    return [
        FacetOption(
            value=str(days),
            label=f"Closing within {days} days",
            count=counts.get("deadline_within", {}).get(str(days), 0),
            selected=within == days,
        )
        for days in DEADLINE_WINDOWS
    ]


def _counted(
    found: dict[str, int], selected: set[str], label: Callable[[str], str]
) -> list[FacetOption]:
    """An open-ended facet (countries, institutions): counted or selected values, by count."""
    return sorted(
        (
            FacetOption(
                value=value,
                label=label(value),
                count=found.get(value, 0),
                selected=value in selected,
            )
            for value in set(found) | selected
            if value
        ),
        key=_by_count,
    )


def _start_quarters(
    counts: dict[str, dict[str, int]], values: dict[str, Any], today: dt.date
) -> list[FacetOption]:
    """Start quarters not long past, in date order, at most eight."""
    start_after, start_before = values.get("start_after"), values.get("start_before")
    start_options = []
    for value, count in counts.get("start", {}).items():
        quarter = dt.date.fromisoformat(value)
        if _quarter_end(quarter) < today - dt.timedelta(days=92):
            continue
        start_options.append(
            FacetOption(
                value=value,
                label=_quarter_label(quarter),
                count=count,
                selected=quarter in values.get("start", [])
                or (start_after == quarter and start_before == _quarter_end(quarter)),
            )
        )
    return sorted(start_options, key=lambda option: option.value)[:8]


def _topic_tree(
    counts: dict[str, int],
    topic_rows: dict[str, tuple[str, str, int | None]],
    selected: set[str],
) -> list[FacetOption]:
    parents: dict[str, FacetOption] = {}
    children: list[tuple[str, FacetOption]] = []
    seen_slugs: set[str] = set()
    for topic_id, (slug, name, parent_id) in topic_rows.items():
        option = FacetOption(
            value=slug, label=name, count=counts.get(topic_id, 0), selected=slug in selected
        )
        seen_slugs.add(slug)
        if parent_id is None:
            parents[topic_id] = option
        else:
            children.append((str(parent_id), option))
    for parent_key, option in children:
        parent = parents.get(parent_key)
        if parent is not None:
            parent.children.append(option)
        else:
            parents[f"orphan-{option.value}"] = option
    for parent in parents.values():
        parent.children.sort(key=_by_count)
    tree = sorted(parents.values(), key=_by_count)
    for slug in sorted(selected - seen_slugs):
        tree.append(
            FacetOption(
                value=slug, label=slug.replace("-", " ").capitalize(), count=0, selected=True
            )
        )
    return tree
