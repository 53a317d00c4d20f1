"""ReachMee (Chalmers, Gothenburg and other Nordic employers): job lists and job pages.

A ReachMee career site serves its list at `web<N>.reachmee.com/ext/<customer>/<site>/main?...`
(often framed into, or linked from, the university's own vacancies page): one table row or
list item per job, its link `.../ext/<customer>/<site>/job?...&job_id=N`, a reference and an
"Application deadline" cell. The job page has the title in a heading and the advert text
with labelled lines ("Application deadline", "Reference number"). An RSS route of the same
list, when a source uses it, is read as a feed.

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, feed_or_html, grid_fields
from scrapers.records import Page, ParseResult

NAME = "reachmee"
__all__ = ["ACCEPT", "NAME", "parse"]

_JOB_LINK = "a[href*='job_id='], a[href*='rmjob='], a[href*='/job?']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"/ext/[^?#]*/job\b[^#]*[?&](job_id|rmjob)=\d+", re.I),
    row_selector=f"tr:has({_JOB_LINK}), li:has({_JOB_LINK}), div.job:has({_JOB_LINK})",
    link_selector=_JOB_LINK,
    label_aliases={
        "Application deadline": "Application deadline",
        "Sista ansökningsdag": "Application deadline",
        "Last application date": "Application deadline",
        "Reference number": "Reference",
    },
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return feed_or_html(page, options, PLATFORM)
