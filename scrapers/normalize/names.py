"""Generic institution names: "University of X", "X University", "Technische Universität X",
"Instituto de X", "Istituto Italiano di X", the words that are not part of a name, and a
windowed search that keeps the patterns fast. places.py reads adverts with them."""

from __future__ import annotations

import re

from scrapers.normalize.text import squash

_WORD = r"[A-Z][\w'\u2019.-]*"
_UNIVERSITY = re.compile(
    rf"(?:{_WORD}[ -]){{0,3}}(?:University|Universität|Universiteit|Université|Università|Universitat|Universidade|Universidad|Universitetet|Universitet)(?!\w)"
    rf"(?:\s(?:of|zu|de|di|degli Studi di|van|del|della|du|des|do|da|of the|i)\s(?:{_WORD})(?:\s(?:and\s|upon\s|at\s)?{_WORD}){{0,2}}"
    rf"|\s(?!Of\b|Press\b|College\b|Hospital\b|Assistants?\b|Lecturers?\b|Professors?\b|Researchers?\b|Library\b|Campus\b){_WORD}(?:\s{_WORD})?(?:\s(?:de|di|del|do|da)\s{_WORD})?)?"
)
# Institutes named in their own language, head first: "Instituto de Ciencias del Mar",
# "Istituto Italiano di Tecnologia", "Centre National de la Recherche Scientifique",
# "Institut für Geographie"; the name runs over capitalised words and the connectors between.
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\w'\u2019-]*"
_ROMANCE_HEAD = (
    r"Instituto|Istituto|Institut|Centro|Centre|Consejo|Consiglio|Fundación|Fundação|[EÉ]cole|"
    r"Fondazione|Escuela|Escola|Scuola|Politecnico|Laboratoire|Laboratorio|Observatoire|"
    r"Observatorio"
)
_CONNECTOR = (
    r"d'|l'|de la|de l'|del|de|di|della|delle|degli|dei|per|para|do|da|dos|das|des|du|für|et|e|y|en"
)
_ADJECTIVE = (
    r"national|nationale|nacional|nazionale|supérieure?|superior|superiore|fédérale?|federal"
)
_INSTITUTE = re.compile(
    rf"(?:{_ROMANCE_HEAD})(?!\w)(?:\s(?:{_ADJECTIVE})(?!\w))?"
    rf"(?:(?:\s(?:{_CONNECTOR}))?\s?(?<=[\s'])(?!(?:{_ROMANCE_HEAD})\b){_NAME_WORD})+"
    rf"|(?:{_WORD}[ -]){{0,4}}(?:Institute|Institutet|Institut|Center|Centre|College|Laborator(?:y|ies)|Polytechnic|Hochschule|Polytechnique|School)"
    rf"(?!\w)(?!\s(?:{_CONNECTOR})\s?(?<=[\s'])[A-ZÀ-ÖØ-Þ])(?:\s(?:of|for)\s(?:the\s)?{_WORD}(?:\s(?:{_WORD}|and|&|of|for))*)?"
)
_LEADING_STOP = {
    "the",
    "el",
    "la",
    "il",
    "le",
    "les",
    "los",
    "las",
    "lo",
    "der",
    "die",
    "das",
    "het",
    "at",
    "in",
    "from",
    "for",
    "with",
    "both",
    "and",
    "phd",
    "ph.d.",
    "position",
    "positions",
    "a",
    "an",
    "our",
    "new",
    "open",
    "two",
    "three",
    "several",
    "fully",
    "funded",
    "studentship",
    "studentships",
    "scholarship",
    "fellowship",
    "fellowships",
    "doctoral",
    "student",
    "apply",
    "department",
    "school",
    "faculty",
    "via",
    "by",
    "to",
    "of",
    "on",
    "is",
    "are",
    "this",
    "that",
    "contact",
    "professor",
    "prof.",
    "dr",
    "dr.",
    "please",
    "see",
    "visit",
    "top",
    "research",
}
_TRAILING_STOP = {
    "school",
    "department",
    "faculty",
    "centre",
    "center",
    "group",
    "lab",
    "phd",
    "graduate",
    "and",
    "the",
    "of",
    "in",
    "at",
    "press",
    "portal",
    "website",
    "web",
    "page",
}


_UNIVERSITY_WORD = re.compile(r"Universi[td]")
_INSTITUTE_WORD = re.compile(
    r"Institut|Istituto|Cent(?:er|re|ro)|College|Laborat|Polytechn|Politecnico|Hochschule|School|"
    r"Consejo|Consiglio|Funda|Fondazione|Escuela|Escola|Scuola|Observat|[EÉ]cole"
)


def _windowed(regex: re.Pattern[str], text: str, keyword: re.Pattern[str]) -> list[re.Match[str]]:
    """Matches of a slow pattern, tried only around the keyword it needs (much faster)."""
    found: list[re.Match[str]] = []
    last_end = -1
    for hit in keyword.finditer(text):
        start = max(0, hit.start() - 80, last_end)
        for match in regex.finditer(text, start, min(len(text), hit.end() + 160)):
            if match.start() <= hit.start() < match.end() and match.start() >= last_end:
                found.append(match)
                last_end = match.end()
                break
    return found


# Programmes and networks that are named like institutes but employ nobody.
_NOT_INSTITUTION = re.compile(
    r"Collaborative Research Cent|Research Training Group|Doctoral Training|Graduate School|"
    r"Training Cent|Excellence Cluster|Cluster of Excellence|Doctoral (?:School|College|Programme)",
    re.I,
)


def _trim(name: str, *, keep_unit: bool = False) -> str:
    tokens = squash(name).split(" ")
    while tokens and tokens[0].casefold().strip(",") in _LEADING_STOP:
        tokens.pop(0)
    while (
        tokens
        and tokens[-1].casefold().strip(",.") in _TRAILING_STOP
        and not (keep_unit and tokens[-1].casefold().strip(",.") in ("centre", "center", "school"))
    ):
        tokens.pop()
    return " ".join(tokens).strip(" ,.;:")
