"""Workday careers sites (`<tenant>.wd<N>.myworkdayjobs.com/<site>`: many US, UK, Canadian,
Australian and European universities).

The careers site is a JavaScript application over a JSON API on the same host:
- the list: `POST /wday/cxs/<tenant>/<site>/jobs` with `{"appliedFacets": {}, "limit": L,
  "offset": O, "searchText": Q}` answers `{"total": T, "jobPostings": [{"title",
  "externalPath", "locationsText", "postedOn", "bulletFields"}]}`;
- one job: `GET /wday/cxs/<tenant>/<site>/job/<...>` (the list's `externalPath` under the
  site's API root) answers `{"jobPostingInfo": {"title", "jobDescription" (HTML),
  "location", "postedOn", "startDate", "timeType", "jobReqId", "externalUrl", ...},
  "hiringOrganization": {"name"}}`.

A source may start at the careers site's own address (what a careers office copies from
its browser): the adapter turns it into the API list. The list is asked for with
`?offset=O&searchText=Q` in its URL; `request_body(url)` gives the pipeline the POST body
that URL stands for. Each job is followed to its JSON; `follow: false` stores the list's
entries alone.

Options: `search_text` (the list's searchText, e.g. "PhD"), `page_size` (default 20, at
most 50), `tenant` (when the careers site's host does not start with it), and those of
scrapers.adapters._platform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from scrapers.adapters import ParseError
from scrapers.adapters._common import load_json, valid_options
from scrapers.adapters._platform import (
    ACCEPT,
    entry_record,
    first_str,
    max_adverts,
    option_bool,
    unique,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "workday"
__all__ = ["ACCEPT", "NAME", "parse", "request_body"]

_LIST_PATH = re.compile(r"^/wday/cxs/([^/]+)/([^/]+)/jobs/?$")
_JOB_PATH = re.compile(r"^/wday/cxs/([^/]+)/([^/]+)/job/")
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
DEFAULT_PAGE_SIZE = 20


def request_body(url: str) -> bytes | None:
    """The POST body the list URL `.../jobs?offset=O&searchText=Q&limit=L` stands for."""
    parts = urlsplit(url)
    if not _LIST_PATH.match(parts.path):
        return None
    query = parse_qs(parts.query)
    offset = _int((query.get("offset") or ["0"])[0], 0, 0, 100_000)
    limit = _int((query.get("limit") or [str(DEFAULT_PAGE_SIZE)])[0], DEFAULT_PAGE_SIZE, 1, 50)
    search = (query.get("searchText") or [""])[0][:200]
    body = {"appliedFacets": {}, "limit": limit, "offset": offset, "searchText": search}
    return json.dumps(body).encode()


def _int(value: str, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except ValueError:
        return default


def list_url(
    site_url: str, options: Mapping[str, Any] | None = None, offset: int = 0
) -> str | None:
    """The API list URL of a careers site's address, or None when it is not one."""
    parts = urlsplit(site_url)
    host = (parts.hostname or "").lower()
    match = _LIST_PATH.match(parts.path) or _JOB_PATH.match(parts.path)
    if match:
        tenant, site = match.group(1), match.group(2)
    else:
        segments = [s for s in parts.path.split("/") if s and not _LOCALE.match(s)]
        if not host or not segments or segments[0] in ("wday", "job"):
            return None
        tenant, site = host.split(".", 1)[0], segments[0]
    options = options or {}
    own_tenant = options.get("tenant")
    if not match and isinstance(own_tenant, str) and re.fullmatch(r"[\w-]{1,100}", own_tenant):
        tenant = own_tenant  # a careers site on its own domain names its tenant
    size = options.get("page_size")
    limit = size if isinstance(size, int) and 0 < size <= 50 else DEFAULT_PAGE_SIZE
    query = {"offset": offset, "limit": limit}
    search = options.get("search_text")
    if isinstance(search, str) and search.strip():
        query["searchText"] = search.strip()[:200]  # type: ignore[assignment]
    root = f"{parts.scheme}://{parts.netloc}/wday/cxs/{quote(tenant)}/{quote(site)}/jobs"
    return f"{root}?{urlencode(query)}"


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    options = valid_options(options)
    if not page.text or not page.text.strip():
        raise ParseError("workday: empty page")
    path = urlsplit(page.url).path
    data = load_json(page.text) if page.text and page.text.lstrip()[:1] == "{" else None
    if isinstance(data, dict) and isinstance(data.get("jobPostings"), list):
        return _from_list(page, data, options)
    if isinstance(data, dict) and isinstance(data.get("jobPostingInfo"), dict):
        return ParseResult(records=[_job_record(page, data)])
    if data is None and not _LIST_PATH.match(path) and not _JOB_PATH.match(path):
        # The careers site's HTML shell: its jobs are in the API behind it.
        first = list_url(page.url, options)
        if first:
            return ParseResult(records=[], follow=[first])
    raise ParseError("workday: neither a careers-site list nor a job in Workday's JSON")


def _from_list(page: Page, data: Mapping[str, Any], options: Mapping[str, Any]) -> ParseResult:
    parts = urlsplit(page.url)
    match = _LIST_PATH.match(parts.path)
    if match is None:
        raise ParseError(
            "workday: a job list that was not read from /wday/cxs/<tenant>/<site>/jobs"
        )
    api_root = f"{parts.scheme}://{parts.netloc}/wday/cxs/{match.group(1)}/{match.group(2)}"
    site_root = f"{parts.scheme}://{parts.netloc}/{match.group(2)}"
    postings = [p for p in data["jobPostings"] if isinstance(p, dict)][: max_adverts(options)]
    follow_jobs = option_bool(options, "follow", True)
    records: list[RawRecord] = []
    follow: list[str] = []
    for posting in postings:
        path = first_str(posting, "externalPath")
        title = first_str(posting, "title")
        if not path.startswith("/job/") or not title:
            continue
        if follow_jobs:
            follow.append(api_root + path)
        else:
            bullets = posting.get("bulletFields")
            records.append(
                entry_record(
                    adapter=NAME,
                    url=site_root + path,
                    title=title,
                    fields={
                        "Location": first_str(posting, "locationsText"),
                        "Posted": first_str(posting, "postedOn"),
                        "Reference": bullets[0] if isinstance(bullets, list) and bullets else "",
                    },
                )
            )
    query = parse_qs(parts.query)
    offset = _int((query.get("offset") or ["0"])[0], 0, 0, 100_000)
    total = data.get("total")
    if postings and isinstance(total, int) and offset + len(postings) < total:
        next_url = list_url(page.url, options, offset=offset + len(data["jobPostings"]))
        if next_url:
            follow.append(next_url)
    return ParseResult(records=records, follow=unique(follow))


def _job_record(page: Page, data: Mapping[str, Any]) -> RawRecord:
    info: Mapping[str, Any] = data["jobPostingInfo"]
    title = first_str(info, "title")
    if not title:
        raise ParseError("workday: a job without a title")
    parts = urlsplit(page.url)
    match = _JOB_PATH.match(parts.path)
    public = first_str(info, "externalUrl")
    if not public.startswith("http") and match:
        public = (
            f"{parts.scheme}://{parts.netloc}/{match.group(2)}/" + parts.path[match.end() - 4 :]
        )
    organisation = first_str(data, "hiringOrganization.name")
    deadline = first_str(info, "endDate", "applicationDeadline")
    fields = {
        "Organisation": organisation,
        "Location": first_str(info, "location"),
        "Country": first_str(info, "country.descriptor"),
        "Posted": first_str(info, "postedOn"),
        "Start date": first_str(info, "startDate"),
        "Application deadline": deadline,
        "Time type": first_str(info, "timeType"),
        "Reference": first_str(info, "jobReqId"),
    }
    meta: dict[str, Any] = {"hiringOrganization": {"name": organisation}} if organisation else {}
    if deadline:
        meta["validThrough"] = deadline
    return entry_record(
        adapter=NAME,
        url=public or page.url,
        title=title,
        fields=fields,
        meta=meta,
        description_html=first_str(info, "jobDescription"),
        item_id=first_str(info, "jobReqId", "id"),
    )
