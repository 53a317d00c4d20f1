"""Academic Positions (academicpositions.com: PhD, postdoc and faculty jobs in Europe).

A results page (`/jobs/position/phd?page=N`, also per country/field) shows one card per job
linking `/ad/<employer>/<year>/<slug>/<id>`, and a next-page link; a job page embeds a
schema.org JobPosting (JSON-LD) and shows "Employer", "Location", "Application deadline"
as label/value pairs.

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, grid_fields, parse_html
from scrapers.records import Page, ParseResult

NAME = "academicpositions"
__all__ = ["ACCEPT", "NAME", "parse"]

_AD_LINK = "a[href*='/ad/']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"^https?://[^/]+/ad/[^?#]+/\d+", re.I),
    row_selector=f"article:has({_AD_LINK}), li:has({_AD_LINK}), div.job-list-item:has({_AD_LINK})",
    link_selector=_AD_LINK,
    label_aliases={"Employer": "Organisation"},
    title_selector="h1",
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return parse_html(page, options, PLATFORM)
