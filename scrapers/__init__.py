"""Scrapers: fetch pages, parse them with an adapter, normalise the records.

The registry maps an adapter's name (stored on each Source) to its module. An adapter
module exposes `parse(page: Page) -> ParseResult` and a `NAME`; it is pure (no network,
no database). Adding a kind of page is one module under scrapers/adapters/ and one line here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

ADAPTERS: dict[str, str] = {
    "aggregator": "scrapers.adapters.aggregator",
    "lab_page": "scrapers.adapters.lab_page",
    "jsonld": "scrapers.adapters.jsonld",
    "feed": "scrapers.adapters.feed",
    "generic": "scrapers.adapters.generic",
    "varbi": "scrapers.adapters.varbi",
    "reachmee": "scrapers.adapters.reachmee",
    "successfactors": "scrapers.adapters.successfactors",
    "workday": "scrapers.adapters.workday",
    "jobbnorge": "scrapers.adapters.jobbnorge",
    "euraxess": "scrapers.adapters.euraxess",
    "jobs_ac_uk": "scrapers.adapters.jobs_ac_uk",
    "findaphd": "scrapers.adapters.findaphd",
    "academictransfer": "scrapers.adapters.academictransfer",
    "academicpositions": "scrapers.adapters.academicpositions",
}


class UnknownAdapter(LookupError):
    pass


def get_adapter(name: str) -> ModuleType:
    try:
        module_path = ADAPTERS[name]
    except KeyError as error:
        known = ", ".join(sorted(ADAPTERS))
        raise UnknownAdapter(f"unknown adapter {name!r}; known adapters: {known}") from error
    return importlib.import_module(module_path)


def adapter_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ").capitalize()) for name in ADAPTERS]
