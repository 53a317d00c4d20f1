"""Jobbnorge (Norway's academic and public-sector board: UiO, NTNU, UiB, UiT, ...).

Its search pages are filled from a public JSON API the site itself calls:
`https://publicapi.jobbnorge.no/v3/jobs?language=1&employer=<id>&page=N&results=M` answers
`{"jobs": [job], "meta": {"jobCountTotal": T}}` (v2 answers the bare list). Each job has
`id`, `title`, `employer`, `department`, `summary` (HTML), `link` (the advert page),
`publicationDate`, `deadline`, `jobScope` and `locations` (`area`, `municipality`). When
`jobCountTotal` says more jobs exist, the next `page` is followed.

HTML: a results page's job cards link `/en/available-jobs/job/<id>/...` (or
`/ledige-stillinger/stilling/<id>`); an advert page there is one record, its facts
("Deadline", "Employer", "Location") read as labelled fields.

Options: as in scrapers.adapters._platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from scrapers.adapters import ParseError
from scrapers.adapters._common import load_json, valid_options
from scrapers.adapters._platform import (
    ACCEPT,
    Platform,
    entry_record,
    first_str,
    grid_fields,
    max_adverts,
    option_bool,
    parse_html,
    unique,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "jobbnorge"
__all__ = ["ACCEPT", "NAME", "parse"]

_JOB_LINK = "a[href*='/job/'], a[href*='/stilling/']"

PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"/(\w{2}/)?(available-jobs/job|ledige-stillinger/stilling)/\d+", re.I),
    row_selector=f"article:has({_JOB_LINK}), li:has({_JOB_LINK}), tr:has({_JOB_LINK}), "
    f"div.job-card:has({_JOB_LINK})",
    link_selector=_JOB_LINK,
    label_aliases={
        "Søknadsfrist": "Application deadline",
        "Deadline": "Application deadline",
        "Arbeidsgiver": "Employer",
        "Arbeidssted": "Location",
    },
    extra_fields=lambda soup: grid_fields(soup.body),
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    options = valid_options(options)
    if not page.text or not page.text.strip():
        raise ParseError("jobbnorge: empty page")
    if page.text.lstrip()[:1] in "{[":
        data = load_json(page.text)
        jobs = (
            data
            if isinstance(data, list)
            else (data or {}).get("jobs")
            if isinstance(data, dict)
            else None
        )
        if not isinstance(jobs, list):
            raise ParseError("jobbnorge: a JSON answer without a list of jobs")
        return _from_api(page, data, jobs, options)
    return parse_html(page, options, PLATFORM)


def _from_api(page: Page, data: Any, jobs: list[Any], options: Mapping[str, Any]) -> ParseResult:
    records: list[RawRecord] = []
    for job in jobs[: max_adverts(options)]:
        record = _job_record(job) if isinstance(job, dict) else None
        if record is not None:
            records.append(record)
    follow = [r.url for r in records] if option_bool(options, "follow", True) else []
    next_url = _next_api_page(page.url, data, len(jobs))
    if next_url:
        follow.append(next_url)
    return ParseResult(records=records, follow=unique(follow))


def _job_record(job: Mapping[str, Any]) -> RawRecord | None:
    title = first_str(job, "title")
    url = first_str(job, "link", "url")
    if not title or not url.startswith("http"):
        return None
    places: list[str] = []
    for location in job.get("locations") or []:
        if isinstance(location, dict):
            for key in ("municipality", "area"):
                value = first_str(location, key)
                if value and value not in places:
                    places.append(value)
    deadline = first_str(job, "deadline", "applicationDeadline")
    employer = first_str(job, "employer", "employerName")
    fields = {
        "Employer": employer,
        "Department": first_str(job, "department"),
        "Application deadline": deadline,
        "Published": first_str(job, "publicationDate", "published"),
        "Location": ", ".join(places),
        "Country": "Norway" if places else "",
        "Extent": first_str(job, "jobScope"),
        "Positions": first_str(job, "positionCount"),
    }
    meta: dict[str, Any] = {"validThrough": deadline} if deadline else {}
    if employer:
        meta["hiringOrganization"] = {"name": employer}
    return entry_record(
        adapter=NAME,
        url=url,
        title=title,
        fields=fields,
        meta=meta,
        description_html=first_str(job, "summary", "description"),
        item_id=first_str(job, "id"),
    )


def _next_api_page(url: str, data: Any, count: int) -> str | None:
    """The next `page` of the v3 API while `meta.jobCountTotal` says more jobs exist."""
    if not isinstance(data, dict) or count == 0:
        return None
    total = (
        (data.get("meta") or {}).get("jobCountTotal")
        if isinstance(data.get("meta"), dict)
        else None
    )
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    try:
        page_number = int((query.get("page") or ["1"])[0])
        per_page = int((query.get("results") or [str(count)])[0])
    except ValueError:
        return None
    if not isinstance(total, int) or page_number * per_page >= total or page_number >= 100:
        return None
    query["page"] = [str(page_number + 1)]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))
