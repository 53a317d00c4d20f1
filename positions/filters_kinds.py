"""The query-string parameters of the kind-of-post facets (issue 22): working time,
programme or project, researcher level, region, city and stipend band; parsed by the
FilterSet below (PositionFilter extends it) and turned into one condition per facet.

- `schedule`: full_time | part_time (a post offered either way matches both);
- `programme`: programme | project;
- `level`: r1 | r2 | r3 | r4 (EURAXESS researcher profiles);
- `region`: an ISO 3166-2 first-level subdivision ("DE-BY");
- `city`: a city as the facet names it ("Munich");
- `stipend`: a band in euros a year, "15000-25000" (kinds.STIPEND_BANDS).
Each may repeat (OR within a facet, AND across facets).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from .kinds import SCHEDULE_MATCHES, STIPEND_BANDS, PositionLevel, PositionProgramme

KIND_PARAMETERS = ("schedule", "programme", "level", "region", "city", "stipend")
KIND_GROUPS = KIND_PARAMETERS
STIPEND_SORT = ("stipend", "Highest stipend")
_BANDS = {value: (low, high) for value, _label, low, high in STIPEND_BANDS}


def _one_of(allowed: Any) -> Any:
    def clean(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValidationError(f"Unknown value {raw[:40]!r}.")
        return value

    return clean


@functools.cache
def region_names() -> dict[str, str]:
    """ISO 3166-2 first-level subdivisions: code -> name (without ISO's bracketed notes)."""
    import pycountry

    return {
        sub.code: re.sub(r"\s*\[[^\]]*\]", "", sub.name).strip()
        for sub in pycountry.subdivisions
        if getattr(sub, "parent_code", None) is None
    }


def _region(raw: str) -> str:
    value = raw.strip().upper()
    if value not in region_names():
        raise ValidationError(f"Not an ISO 3166-2 first-level region: {raw[:40]!r}.")
    return value


def _city(raw: str) -> str:
    value = " ".join(raw.split())
    if not value or len(value) > 200:
        raise ValidationError(f"Not a city: {raw[:40]!r}.")
    return value


def _band(raw: str) -> str:
    value = raw.strip()
    if value not in _BANDS:
        raise ValidationError(f"Not a stipend band: {raw[:40]!r}.")
    return value


# How each parameter's values are cleaned (PositionFilter declares one filter each).
CLEAN = {
    "schedule": _one_of(SCHEDULE_MATCHES),
    "programme": _one_of(PositionProgramme.values),
    "level": _one_of(PositionLevel.values),
    "region": _region,
    "city": _city,
    "stipend": _band,
}


def kind_conditions(values: dict[str, Any]) -> dict[str, Q]:
    """The active kind-of-post conditions by facet group."""
    groups: dict[str, Q] = {}
    if values.get("schedule"):
        matching = {kind for value in values["schedule"] for kind in SCHEDULE_MATCHES[value]}
        groups["schedule"] = Q(schedule__in=sorted(matching))
    if values.get("programme"):
        groups["programme"] = Q(programme__in=values["programme"])
    if values.get("level"):
        groups["level"] = Q(researcher_level__in=values["level"])
    if values.get("region"):
        groups["region"] = Q(region__in=values["region"])
    if values.get("city"):
        groups["city"] = Q(city__in=values["city"])
    if values.get("stipend"):
        bands = Q()
        for value in values["stipend"]:
            low, high = _BANDS[value]
            band = Q(stipend_eur_year__gte=low)
            if high is not None:
                band &= Q(stipend_eur_year__lt=high)
            bands |= band
        groups["stipend"] = bands
    return groups
