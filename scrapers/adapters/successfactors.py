"""SAP SuccessFactors career sites (TU Delft, Eindhoven, ETH domain, many others).

The Recruiting Marketing ("RMK") career site, on the employer's own host or on
`career<N>.successfactors.<tld>`, lists jobs at `/search/?q=...&startrow=N`: one
`tr.data-row` per job, its title link `a.jobTitle-link` (twice: desktop and phone), the
facility/department/closing-date columns; the pager links the next `startrow`. A job
page (`/job/<slug>/<id>/`) carries schema.org microdata (`itemprop="title"`,
`<meta itemprop="validThrough">`, `hiringOrganization`) and the advert in
`.jobdescription` / `[itemprop=description]`. The classic career page
(`career?company=...&career_job_req_id=N`) is read the same way. RMK's RSS route
(`/services/rss/job/...`) is read as a feed.

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scrapers.adapters._platform import ACCEPT, Platform, feed_or_html
from scrapers.records import Page, ParseResult

NAME = "successfactors"
__all__ = ["ACCEPT", "NAME", "parse"]

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"/job/[^/?#]+/\d+/?(\?|$)|[?&]career_job_req_id=\d+", re.I),
    row_selector="tr.data-row, li.job-tile, div.job-tile, li:has(a.jobTitle-link)",
    link_selector="a.jobTitle-link, a[href*='/job/'], a[href*='career_job_req_id=']",
    next_selector="a.paginationItemNext, a[title='Next Page'], li.next a, a.next",
    label_aliases={"Closing date": "Application deadline"},
    content_selector=".jobdescription, [itemprop=description], .job",
    title_selector="[itemprop=title], h1",
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    return feed_or_html(page, options, PLATFORM)
