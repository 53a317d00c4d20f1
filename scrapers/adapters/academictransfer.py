"""AcademicTransfer (every Dutch university and research institute's vacancies).

A results page (`/en/jobs/?q=...&vacancy_type=phd&page=N`) shows one card per vacancy
linking `/en/jobs/<id>/<slug>/`, with a next-page link; a vacancy page embeds its facts as
schema.org JobPosting (JSON-LD: `validThrough`, `hiringOrganization`, `baseSalary`) and
shows them as label/value pairs ("Application deadline", "Organisation", "Salary").

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, grid_fields, parse_html
from scrapers.records import Page, ParseResult

NAME = "academictransfer"
__all__ = ["ACCEPT", "NAME", "parse"]

_JOB_LINK = "a[href*='/jobs/']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"^https?://[^/]+/(\w{2}/)?jobs/\d+", re.I),
    row_selector=f"article:has({_JOB_LINK}), li:has({_JOB_LINK}), div.vacancy-card:has({_JOB_LINK})",
    link_selector="a[href*='/jobs/']",
    label_aliases={"Closing date": "Application deadline", "Employer": "Organisation"},
    title_selector="h1",
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return parse_html(page, options, PLATFORM)
