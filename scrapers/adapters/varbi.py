"""Varbi (most Swedish universities, also Norway and Finland): API, embedded data, HTML.

Three kinds of results page, all from the same system:
- its JSON:API answer (`https://api.varbi.com/v1/jobs`, `{"meta", "links", "data": [job]}`):
  each job has `attributes.translations.texts.title/organization/placement`,
  `attributes.dates.deadline/published`, `attributes.reference`, `links.ad_rendered` (the
  advert page); `links.next` is the next API page;
- a university page that embeds that answer in a script
  (`window.__compressedData__NAME = "<URL-encoded JSON>"`, KTH), found anywhere in the
  decoded object;
- Varbi's own HTML list (`<uni>.varbi.com/en/`, `what:findjob`): one table row per job,
  `td.pos-title a[href*="what:job/jobID:N"]`, or a university page whose cards link there.

An advert page (`.../what:job/jobID:N/`) has the title in `h1`, the organisation in
`h2.org-desc`, the text in `.job-desc` and a "label | value" grid of facts ("Last
application date", "Reference number").

Options: as in scrapers.adapters._platform (`follow`, `max_adverts`, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from bs4 import BeautifulSoup

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

NAME = "varbi"
__all__ = ["ACCEPT", "NAME", "parse"]

_EMBEDDED = re.compile(r"window\.__compressedData__\w*\s*=\s*\"([^\"]{2,})\"")
_MAX_EMBEDDED = 5_000_000


def _facts(soup: BeautifulSoup) -> dict[str, str]:
    fields = grid_fields(soup.select_one(".content-wrap") or soup.body)
    organisation = soup.select_one("h2.org-desc")
    if organisation is not None and organisation.get_text(strip=True):
        fields.setdefault("Organisation", organisation.get_text(" ", strip=True))
    return fields


PLATFORM = Platform(
    name=NAME,
    advert_url=re.compile(r"/what:job/jobID:\d+", re.I),
    row_selector="tr:has(td.pos-title), tr:has(a[href*='what:job/jobID:']), "
    "li:has(a[href*='what:job/jobID:']), article:has(a[href*='what:job/jobID:']), "
    "div.card:has(a[href*='what:job/jobID:'])",
    link_selector="a[href*='what:job/jobID:']",
    label_aliases={
        "Last application date": "Application deadline",
        "Sista ansökningsdag": "Application deadline",
        "First day of employment": "Start date",
        "Reference number": "Reference",
    },
    content_selector=".job-desc",
    title_selector="h1",
    extra_fields=_facts,
)


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    options = valid_options(options)
    if not page.text or not page.text.strip():
        raise ParseError("varbi: empty page")
    data = load_json(page.text) if page.text.lstrip()[:1] in "{[" else None
    if data is not None:
        document = _find_jobs_document(data)
        if document is None:
            raise ParseError("varbi: a JSON answer without a JSON:API list of jobs")
        return _from_document(document, options, base=page.url)
    return parse_html(page, options, PLATFORM, extra_listing=_embedded_listing(options))


def _embedded_listing(options: Mapping[str, Any]) -> Any:
    def listing(page: Page, soup: BeautifulSoup) -> ParseResult | None:
        for match in _EMBEDDED.finditer(page.text[: 2 * _MAX_EMBEDDED]):
            decoded = unquote(match.group(1)[:_MAX_EMBEDDED])
            try:
                data = json.loads(decoded)
            except ValueError:
                continue
            document = _find_jobs_document(data)
            if document is not None:
                return _from_document(document, options, base=page.url)
        return None

    return listing


def _find_jobs_document(data: Any, depth: int = 0) -> dict[str, Any] | None:
    """The JSON:API document (`data` a list of `type: job` objects) inside `data`."""
    if depth > 6:
        return None
    if isinstance(data, dict):
        items = data.get("data")
        jobs = isinstance(items, list) and any(
            isinstance(item, dict) and item.get("type") == "job" for item in items
        )
        if jobs or (items == [] and "meta" in data):
            return data
        for value in data.values():
            found = _find_jobs_document(value, depth + 1)
            if found is not None:
                return found
    return None


def _jobs(document: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for item in document.get("data") or []:
        if isinstance(item, dict) and item.get("type") == "job":
            yield item


def _from_document(
    document: Mapping[str, Any], options: Mapping[str, Any], *, base: str
) -> ParseResult:
    records: list[RawRecord] = []
    for job in _jobs(document):
        record = _job_record(job)
        if record is not None:
            records.append(record)
        if len(records) >= max_adverts(options):
            break
    follow = [r.url for r in records] if option_bool(options, "follow", True) else []
    links = document.get("links")
    next_url = first_str(links, "next") if isinstance(links, dict) else ""
    if next_url.startswith("http"):
        follow.append(next_url)
    return ParseResult(records=records, follow=unique(follow))


def _job_record(job: Mapping[str, Any]) -> RawRecord | None:
    attributes = first_dict(job, "attributes")
    texts = first_dict(attributes, "translations", "texts")
    dates = first_dict(attributes, "dates")
    links = first_dict(job, "links")
    url = first_str(links, "ad_rendered", "self")
    title = first_str(texts, "title") or first_str(attributes, "title")
    if not url.startswith("http") or not title:
        return None
    location = attributes.get("location")
    country = ""
    if isinstance(location, list) and location and isinstance(location[0], dict):
        country = first_str(location[0], "country")
    organisation = first_str(texts, "organization", "organisation")
    deadline = first_str(dates, "deadline")
    fields = {
        "Organisation": organisation,
        "Application deadline": deadline,
        "Published": first_str(dates, "published"),
        "City": first_str(texts, "placement"),
        "Country": country,
        "Reference": first_str(attributes, "reference"),
        "Profession": first_str(texts, "profession"),
    }
    meta: dict[str, Any] = {"validThrough": deadline} if deadline else {}
    if organisation:
        meta["hiringOrganization"] = {"name": organisation}
    return entry_record(
        adapter=NAME, url=url, title=title, fields=fields, meta=meta, item_id=str(job.get("id", ""))
    )


def first_dict(data: Mapping[str, Any], *path: str) -> dict[str, Any]:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}
