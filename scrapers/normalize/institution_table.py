"""The curated institution table (data/institutions.tsv) and the lookups over it and the
registry: a name or alias to its row, a web or e-mail host to its institution, the
canonical name. places.py reads adverts with these."""

from __future__ import annotations

import functools
import re

from scrapers.normalize.curated import Institution, institutions
from scrapers.normalize.registry import Institution as RegistryRow
from scrapers.normalize.registry import registry
from scrapers.normalize.text import fold, squash


@functools.cache
def _alias_index() -> dict[str, Institution]:
    index: dict[str, Institution] = {}
    for institution in institutions():
        for name in (institution.name, *institution.aliases):
            index.setdefault(_key(name), institution)
    return index


def _key(name: str) -> str:
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"^\s*the\s+", "", fold(name))
    name = name.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


@functools.cache
def _alias_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Names match case-insensitively; short acronyms ("KTH", "DTU") only as written."""
    insensitive: list[str] = []
    sensitive: list[str] = []
    for institution in institutions():
        for name in (institution.name, *institution.aliases):
            if re.fullmatch(r"[A-Z][A-Za-z/]{1,7}", name) and sum(c.isupper() for c in name) >= 2:
                sensitive.append(re.escape(name))
            elif len(name) > 4:
                insensitive.append(re.escape(name).replace(r"\ ", r"\s+"))
    insensitive.sort(key=len, reverse=True)
    sensitive.sort(key=len, reverse=True)
    return (
        re.compile(r"(?<![\w-])(?:" + "|".join(insensitive) + r")(?![\w-])", re.I),
        re.compile(r"(?<![\w-])(?:" + "|".join(sensitive) + r")(?![\w/-])"),
    )


def known_institution(name: str) -> Institution | None:
    """The curated table's row for a name or alias, else the registry's (data from swot)."""
    found = _alias_index().get(_key(name))
    if found:
        return found
    row = registry().for_name(name)
    return _as_institution(row) if row else None


def _as_institution(row: RegistryRow) -> Institution:
    return Institution(row.name, row.aliases, row.city, row.country, row.domains)


def canonical_institution(name: str) -> str:
    """The canonical name for a known alias; an unknown name is returned tidied."""
    known = known_institution(name)
    if known:
        return known.name
    cleaned = squash(name).strip(" ,.;:-\u2013")
    return re.sub(r"^(?:the)\s+", "", cleaned, flags=re.I)


def institution_by_domain(host_or_email: str) -> Institution | None:
    """The institution a web or e-mail host belongs to (cs.usc.edu -> usc.edu), from the
    curated table or the registry."""
    host = host_or_email.rsplit("@", 1)[-1].lower().strip(".")
    for institution in institutions():
        for domain in institution.domains:
            if host == domain or host.endswith("." + domain):
                return institution
    row = registry().for_host(host)
    return _as_institution(row) if row else None
