"""The kind-of-post facets (issue 22) in the one counting statement (search.counts._facet_counts):
which columns the candidate set carries, which facets are GROUPING SETS over a column and
which FILTERed counts, and their options as the page and the API show them.

- programme, level, region, city and stipend band are scalar: one grouping set each (the
  band is computed in the candidate set from stipend_eur_year);
- schedule is two FILTERed counts: a post offered full- or part-time counts in both, as
  the filter finds it under both (kinds.SCHEDULE_MATCHES).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .kinds import SCHEDULE_MATCHES, STIPEND_BANDS, PositionLevel, PositionProgramme
from .kinds import PositionSchedule as Schedule

if TYPE_CHECKING:
    from .facet_options import FacetOption

# Position columns the candidate set reads for these facets.
KIND_COLUMNS = ("schedule", "programme", "researcher_level", "region", "city", "stipend_eur_year")


def _band_sql() -> str:
    cases = " ".join(
        f"WHEN s.stipend_eur_year < {int(high)} THEN '{value}'"
        for value, _label, _low, high in STIPEND_BANDS
        if high is not None
    )
    last = STIPEND_BANDS[-1][0]
    return f"CASE WHEN s.stipend_eur_year IS NULL THEN NULL {cases} ELSE '{last}' END"


# The candidate set's columns (SQL over its subquery `s`), appended to the others.
CANDIDATE_COLUMNS_SQL = (
    ", s.schedule, s.programme, s.researcher_level, s.region, s.city,"
    f" {_band_sql()} AS stipend_band"
)
# (facet name, column in the candidate set, condition group left out of its counts)
KIND_SCALAR_FACETS = (
    ("programme", "programme", "programme"),
    ("level", "researcher_level", "level"),
    ("region", "region", "region"),
    ("city", "city", "city"),
    ("stipend", "stipend_band", "stipend"),
)
# (facet, value, group, condition over the candidate set `b`), counted in one pass.
KIND_FILTERED_COUNTS = tuple(
    (
        "schedule",
        str(value),
        "schedule",
        "b.schedule IN (" + ", ".join(f"'{kind}'" for kind in matches) + ")",
    )
    for value, matches in SCHEDULE_MATCHES.items()
)
# Facets with many values show the most common (and the selected ones).
KIND_LIMITS = {"region": 40, "city": 30}
KIND_BY_COUNT = frozenset(KIND_LIMITS)
KIND_GROUP_OF = {name: group for name, _column, group in KIND_SCALAR_FACETS} | {
    "schedule": "schedule"
}


def region_label(code: str) -> str:
    from .filters_kinds import region_names

    return region_names().get(code, code)


def kind_facet_options(
    counts: dict[str, dict[str, int]], values: dict[str, Any], option: type[FacetOption]
) -> dict[str, list[FacetOption]]:
    """The options of each kind-of-post facet: fixed order for the enumerations and the
    bands, by count for regions and cities; a selected value is shown even at zero."""

    def fixed(facet: str, param: str, choices: list[tuple[str, str]]) -> list[FacetOption]:
        found, selected = counts.get(facet, {}), set(values.get(param, []))
        return [
            option(value=value, label=label, count=found.get(value, 0), selected=value in selected)
            for value, label in choices
            if found.get(value) or value in selected
        ]

    def by_count(facet: str, label: Any) -> list[FacetOption]:
        found, selected = counts.get(facet, {}), set(values.get(facet, []))
        options = [
            option(
                value=value,
                label=label(value),
                count=found.get(value, 0),
                selected=value in selected,
            )
            for value in set(found) | selected
            if value
        ]
        return sorted(options, key=lambda item: (-item.count, item.label))

    schedule_labels = dict(Schedule.choices)
    return {
        "schedule": fixed(
            "schedule",
            "schedule",
            [(str(value), schedule_labels[value]) for value in SCHEDULE_MATCHES],
        ),
        "programme": fixed("programme", "programme", list(PositionProgramme.choices)),
        "level": fixed("level", "level", list(PositionLevel.choices)),
        "stipend": fixed(
            "stipend", "stipend", [(value, label) for value, label, _low, _high in STIPEND_BANDS]
        ),
        "region": by_count("region", region_label),
        "city": by_count("city", str),
    }
