"""Test support shared by the test process and the Celery workers the tests start:
registers the sample adapter, and a stand-in normaliser while scrapers.normalize (another
helper's package) has not landed yet."""

from __future__ import annotations

import importlib
import sys
import types
from datetime import date

import scrapers
from scrapers.records import PositionRecord, RawRecord


def _stand_in_normalize(raw: RawRecord, *, today: date | None = None) -> PositionRecord:
    deadline = raw.fields.get("Deadline") or None
    return PositionRecord(
        url=raw.url,
        title=raw.title,
        institution=raw.fields.get("Institution") or None,
        country=raw.fields.get("Country") or None,
        deadline=deadline,
        deadline_kind="fixed" if deadline else "unknown",
        description_text=raw.text,
        description_html=raw.html,
        source_item_id=raw.source_item_id,
    )


def install() -> None:
    scrapers.ADAPTERS.setdefault("sample", "tests.scrapers.sample_adapter")
    try:
        importlib.import_module("scrapers.normalize")
    except ImportError:
        module = types.ModuleType("scrapers.normalize")
        module.normalize = _stand_in_normalize  # type: ignore[attr-defined]
        sys.modules["scrapers.normalize"] = module
