"""FindAPhD (PhD projects, programmes and studentships, mostly UK and Europe).

Routes: its RSS feeds of a search are read as feeds (one item per project); a search page
(`/phds/<discipline>/?Keywords=...&PG=N`) holds one result row per project linking
`/phds/project/<slug>/?p<id>` with a "Next" pager link; a project page has the title in
`h1`, the institution and department, and key facts as label/value pairs ("Application
Deadline", "Funding Type", "PhD Type", "Supervisor").

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, feed_or_html, grid_fields
from scrapers.records import Page, ParseResult

NAME = "findaphd"
__all__ = ["ACCEPT", "NAME", "parse"]

_PROJECT_LINK = "a[href*='/phds/project/'], a[href*='/phds/program/']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"/phds/(project|program)/[^/?#]+/?\?p\d+", re.I),
    row_selector=f"div.resultsRow, div.phd-result, li:has({_PROJECT_LINK}), "
    f"article:has({_PROJECT_LINK})",
    link_selector=_PROJECT_LINK,
    label_aliases={"Application Deadline": "Application deadline", "Funding Type": "Funding"},
    content_selector=".phd-description, #phd-description, main",
    title_selector="h1",
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return feed_or_html(page, options, PLATFORM)
