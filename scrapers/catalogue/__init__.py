"""The catalogue of real sources shipped with the project (scrapers/catalogue/sources.json).

Each entry is a university's or a board's endpoint on a platform an adapter reads: a key,
a name, a country (ISO 3166-1 alpha-2, or EU for a Europe-wide board), the adapter, the
start URL and options. Nothing in it is scraped until an admin enables it
(`manage.py sources_catalogue --enable KEY`), which registers it as a Source.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapers import ADAPTERS

CATALOGUE = Path(__file__).resolve().parent / "sources.json"


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    country: str
    adapter: str
    start_url: str
    options: dict[str, Any] = field(default_factory=dict)
    note: str = ""


def _entry(raw: Any, position: int) -> Entry:
    if not isinstance(raw, dict):
        raise CatalogueError(f"entry {position} is not an object")
    missing = [k for k in ("key", "name", "country", "adapter", "start_url") if not raw.get(k)]
    if missing:
        raise CatalogueError(f"entry {position} lacks {', '.join(missing)}")
    entry = Entry(
        key=str(raw["key"]),
        name=str(raw["name"]),
        country=str(raw["country"]).upper(),
        adapter=str(raw["adapter"]),
        start_url=str(raw["start_url"]),
        options=dict(raw.get("options") or {}),
        note=str(raw.get("note") or ""),
    )
    if entry.adapter not in ADAPTERS:
        raise CatalogueError(f"{entry.key}: unknown adapter {entry.adapter!r}")
    parts = urlsplit(entry.start_url)
    if parts.scheme != "https" or not parts.hostname:
        raise CatalogueError(f"{entry.key}: the start URL must be an https:// address")
    return entry


def load(path: Path = CATALOGUE) -> list[Entry]:
    """Every catalogue entry, checked: unique keys and names, known adapters, https URLs."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogueError(f"cannot read the catalogue {path}: {error}") from error
    raw_entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(raw_entries, list):
        raise CatalogueError(f"{path} has no list of sources")
    entries = [_entry(raw, i) for i, raw in enumerate(raw_entries)]
    for attribute in ("key", "name", "start_url"):
        values = [getattr(entry, attribute) for entry in entries]
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise CatalogueError(f"duplicate {attribute}: {', '.join(duplicates)}")
    return entries


@lru_cache(maxsize=1)
def shipped() -> tuple[Entry, ...]:
    return tuple(load())
