"""jobs.ac.uk (UK and international academic jobs): RSS feeds, search results, adverts.

Routes: the RSS feeds (`/feeds/...`, one item per job: title, link, description, date) are
the machine-readable list; the search page (`/search/?keywords=...&startIndex=N`) holds one
`div.j-search-result__result` per job linking `/job/<REF>/<slug>`, and a "Next" pager link;
the advert page (`/job/<REF>/...`) has the title in `h1` and its facts as label/value rows
("Location:", "Salary:", "Closes:", "Job Ref:", "Placed On:", "Hours:", "Contract Type:").

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, feed_or_html, grid_fields
from scrapers.records import Page, ParseResult

NAME = "jobs_ac_uk"
__all__ = ["ACCEPT", "NAME", "parse"]

_JOB_LINK = "a[href*='/job/']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"^https?://[^/]+/job/[A-Z0-9]{3,}(/|$|\?)", re.I),
    row_selector=f"div.j-search-result__result, li:has({_JOB_LINK}), article:has({_JOB_LINK}), "
    f"div.search-result:has({_JOB_LINK})",
    link_selector=_JOB_LINK,
    label_aliases={"Closes": "Closing date", "Job Ref": "Reference", "Placed On": "Published"},
    content_selector="#job-description, .j-advert__body, main",
    title_selector="h1",
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return feed_or_html(page, options, PLATFORM)
