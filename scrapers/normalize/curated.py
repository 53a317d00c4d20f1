"""The curated institution table, data/institutions.tsv: canonical name | aliases |
city | country | domains, one institution a line. Read once; no other module needed, so
the registry can merge it without importing the lookups built over both."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "institutions.tsv"


@dataclass(frozen=True)
class Institution:
    name: str
    aliases: tuple[str, ...]
    city: str | None
    country: str | None
    domains: tuple[str, ...]


@functools.cache
def institutions() -> tuple[Institution, ...]:
    rows: list[Institution] = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = [*line.split("|"), "", "", "", ""][:5]
        name, aliases, city, country, domains = (part.strip() for part in parts)
        rows.append(
            Institution(
                name=name,
                aliases=tuple(a.strip() for a in aliases.split(";") if a.strip()),
                city=city or None,
                country=country or None,
                domains=tuple(d.strip().lower() for d in domains.split(";") if d.strip()),
            )
        )
    return tuple(rows)
