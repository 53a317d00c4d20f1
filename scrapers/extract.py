"""One page in, normalised records out: the path shared by `manage.py extract`, the golden
tests, scripts/score_extract.py and scripts/bench_normalize.py.

The page's kind is detected from its content (unless an adapter is named), the adapter turns
it into raw records, and `scrapers.normalize.normalize` turns each into a PositionRecord. A
page an adapter cannot read raises the adapter's ParseError (a clear error for the caller);
the normaliser itself never raises, whatever the record holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._common import detect_kind
from scrapers.records import Page, PositionRecord

_CONTENT_TYPES = {
    "feed": "application/rss+xml",
    "jsonld": "application/ld+json",
    "markdown": "text/markdown",
    "text": "text/plain",
}


def page_from_text(text: str, url: str, content_type: str | None = None) -> Page:
    """A Page whose content type is guessed from the text when none is given."""
    if content_type:
        return Page(url=url, text=text, content_type=content_type)
    kind = detect_kind(Page(url=url, text=text, content_type=""))
    return Page(url=url, text=text, content_type=_CONTENT_TYPES.get(kind, "text/html"))


def extract_records(
    text: str,
    url: str,
    *,
    adapter: str | None = None,
    today: dt.date | None = None,
    options: Mapping[str, Any] | None = None,
    content_type: str | None = None,
) -> list[PositionRecord]:
    from scrapers.adapters import parse_page
    from scrapers.normalize import normalize

    page = page_from_text(text, url, content_type)
    result = parse_page(page, adapter=adapter, options=options)
    return [normalize(raw, today=today) for raw in result.records]
