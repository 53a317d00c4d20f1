"""A search's facet counts as the options a page and the API show: their labels, their
order, which are selected. `facet_options(rows, values, today)` reads the rows of the one
counting statement (selectors._facet_counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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
    total = 0
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, dict[str, str]] = {"institution": {}, "topic": {}}
    topic_rows: dict[str, tuple[str, str, int | None]] = {}
    for facet, value, count, institution_name, topic_name, topic_slug, topic_parent in rows:
        if facet == "total":
            total = int(count or 0)
            continue
        counts.setdefault(facet, {})[value] = int(count or 0)
        if facet == "institution" and institution_name:
            labels["institution"][value] = institution_name
        if facet == "topic" and topic_slug:
            topic_rows[value] = (topic_slug, topic_name, topic_parent)

    def options(
        facet: str, order: list[str], choices: dict[str, str], selected: set[str]
    ) -> list[FacetOption]:
        found = counts.get(facet, {})
        return [
            FacetOption(
                value=value,
                label=choices[value],
                count=found.get(value, 0),
                selected=value in selected,
            )
            for value in order
            if found.get(value) or value in selected
        ]

    facets: dict[str, list[FacetOption]] = {}
    facets["funding"] = options(
        "funding", _FUNDING_ORDER, dict(Position.Funding.choices), set(values.get("funding", []))
    )
    facets["contract"] = options(
        "contract",
        _CONTRACT_ORDER,
        dict(Position.Contract.choices),
        set(values.get("contract", [])),
    )
    facets["eligibility"] = options(
        "eligibility",
        _ELIGIBILITY_ORDER,
        dict(Position.Eligibility.choices),
        set(values.get("eligibility", [])),
    )
    facets["deadline_kind"] = options(
        "deadline_kind",
        _DEADLINE_KIND_ORDER,
        dict(Position.DeadlineKind.choices),
        set(values.get("deadline_kind", [])),
    )
    within = values.get("deadline_within")
    facets["deadline_within"] = [
        FacetOption(
            value=str(days),
            label=f"Closing within {days} days",
            count=counts.get("deadline_within", {}).get(str(days), 0),
            selected=within == days,
        )
        for days in DEADLINE_WINDOWS
    ]

    selected_countries = set(values.get("country", []))
    country_counts = counts.get("country", {})
    facets["country"] = sorted(
        (
            FacetOption(
                value=code,
                label=country_name(code),
                count=country_counts.get(code, 0),
                selected=code in selected_countries,
            )
            for code in set(country_counts) | selected_countries
            if code
        ),
        key=_by_count,
    )

    selected_institutions = {str(value) for value in values.get("institution", [])}
    institution_counts = counts.get("institution", {})
    facets["institution"] = sorted(
        (
            FacetOption(
                value=value,
                label=labels["institution"].get(value, f"Institution {value}"),
                count=institution_counts.get(value, 0),
                selected=value in selected_institutions,
            )
            for value in set(institution_counts) | selected_institutions
        ),
        key=_by_count,
    )

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
    facets["start"] = sorted(start_options, key=lambda option: option.value)[:8]

    facets.update(kind_facet_options(counts, values, FacetOption))
    facets["topic"] = _topic_tree(counts.get("topic", {}), topic_rows, set(values.get("topic", [])))
    return total, facets


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
