"""EURAXESS (euraxess.ec.europa.eu/jobs): search results and job pages.

A search page (`/jobs/search?...&page=N`, Drupal with the Europa Component Library) holds
one `article.ecl-content-item` per job, its title link `h3 a[href="/jobs/N"]`, the
organisation and an "Application Deadline" `<time datetime>`; the ECL pager links the next
`page=N`. A job page (`/jobs/N`) lays its facts out as `dl.ecl-description-list` pairs:
"Organisation/Company", "Department", "Research Field", "Researcher Profile", "Country",
"Application Deadline" ("12 Apr 2026 - 23:59 (Europe/Brussels)"), "Offer Starting Date",
... which are renamed to the labels the normaliser reads.

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, parse_html
from scrapers.records import Page, ParseResult

NAME = "euraxess"
__all__ = ["ACCEPT", "NAME", "parse"]

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"^https?://[^/]+/jobs/\d+/?(\?|$)", re.I),
    row_selector="article.ecl-content-item, div.ecl-content-item",
    link_selector="h3 a[href*='/jobs/'], a[href*='/jobs/']",
    next_selector="li.ecl-pagination__item--next a, a[rel~=next]",
    label_aliases={
        "Organisation/Company": "Organisation",
        "Application Deadline": "Application deadline",
        "Offer Starting Date": "Start date",
        "Work Location(s)": "Location",
        "Is the job funded through the EU Research Framework Programme?": "EU funding",
    },
    content_selector="main",
    # The page header says "Job offer"; the advert's own heading sits in its article.
    title_selector="article h1, h1.ecl-content-block__title",
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return parse_html(page, options, PLATFORM)
