"""Adapters: one module per kind of page, each `NAME` and `parse(page, options=None)`.

An adapter only reads the decoded page it is given and returns raw records plus the URLs
to fetch next; it never fetches, never touches the database and never interprets a date or
an amount (that is the normaliser's job). A page that is not what the adapter expects
raises `ParseError`, which the scrape task records as a per-item error.

`options` is the Source's JSON options, so a new source of a known kind needs no code
(CSS selectors for result links and the advert container, label aliases, ...). Each
adapter documents the options it reads in its module docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from scrapers.records import Page, ParseResult


class ParseError(ValueError):
    """The page is not what the adapter expects (empty, not a feed, no advert found)."""


class Adapter(Protocol):
    NAME: str

    def parse(self, page: Page, options: Mapping[str, Any] | None = None) -> ParseResult: ...


def detect_adapter(page: Page) -> str:
    """The adapter name for a page whose kind nobody told us, guessed from its content."""
    from scrapers.adapters._common import detect_kind

    kind = detect_kind(page)
    return {
        "feed": "feed",
        "jsonld": "jsonld",
        "markdown": "lab_page",
        "lab_html": "lab_page",
        "html": "generic",
        "text": "generic",
    }.get(kind, "generic")


def parse_page(
    page: Page, *, adapter: str | None = None, options: Mapping[str, Any] | None = None
) -> ParseResult:
    """Parse `page` with the named adapter, or with the one its content calls for.

    A guess can be wrong (a JobPosting script that extruct cannot read): when the guessed
    adapter refuses the page, the generic adapter reads it as one advert. A named adapter's
    refusal stands.
    """
    from scrapers import get_adapter

    name = adapter or detect_adapter(page)
    try:
        result: ParseResult = get_adapter(name).parse(page, options)
    except ParseError:
        if adapter is not None or name in ("generic", "feed"):
            raise
        result = get_adapter("generic").parse(page, options)
    return result
