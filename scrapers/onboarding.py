"""A source from a pasted vacancies URL: which adapter reads it, with which options.

The admin's "Add from URL" calls `suggest_source(url)`, shows what it found and a preview
(scrapers.preview) and saves nothing until the admin confirms. The platform is named by the
URL's host and path (scrapers.platforms.detect_url); when the URL says nothing (a
university's own vacancies page) the page is fetched through the guarded fetch layer and its
markers decide (embedded Varbi data, links to an ATS, Workday's API route). Each platform's
identifiers (the Varbi company, the Workday tenant and site, the Jobbnorge employer) are read
from the URL or the page and shown; where an adapter needs one as an option it is filled in,
and where the pasted page is only a doorway to the platform, the platform's own list becomes
the start URL. A page of no known platform goes to the reader its content calls for (the
generic reader of results pages and adverts, a feed, JSON-LD, a lab page).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError

from scrapers import fetch, platforms
from scrapers.records import Page
from scrapers.validators import validate_public_url

_WORKDAY_SITE = re.compile(
    r"https://([a-z0-9-]+)\.(wd\d+\.)?myworkday(jobs|site)\.com/(?:[a-z]{2}-[A-Z]{2}/)?"
    r"([A-Za-z0-9_-]+)"
)
_WORKDAY_API = re.compile(r"/wday/cxs/([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)/")
_VARBI_HOST = re.compile(r"\b([a-z0-9-]+)\.varbi\.com\b")
_VARBI_NOT_A_COMPANY = {"api", "www", "cdn", "static", "assets"}
_JOBBNORGE_EMPLOYER = re.compile(r"jobbnorge\.no/[^\"'\s<>]*?[?&/]employer[=/](\d+)", re.I)
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)

# Workday lists every post of a university; its own search narrows the list server-side.
WORKDAY_SEARCH = "PhD"


@dataclass
class Suggestion:
    """What a pasted URL becomes: the Source's fields and how they were found."""

    url: str
    start_url: str = ""
    adapter: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    how: str = ""  # "the URL's host", "the page's markers", "the page's content"
    facts: dict[str, str] = field(default_factory=dict)  # the platform's identifiers
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    page: Page | None = None  # the start page as fetched, when it is the start URL
    refused: bool = False  # not an address a source may have (private, not http...)
    fetched: bool = False

    @property
    def usable(self) -> bool:
        """Whether a Source can be made of it (a page not reachable from here still can,
        when its URL named the platform)."""
        return bool(self.adapter and self.start_url and not self.refused)


def suggest_source(url: str) -> Suggestion:
    """Detect the platform of `url` and fill in a Source's fields. Never raises for a bad
    URL or an unreachable page: the reason is in `errors`."""
    url = (url or "").strip()
    suggestion = Suggestion(url=url, start_url=url)
    if not url:
        suggestion.errors.append("Paste the address of a vacancies page.")
        return suggestion
    try:
        validate_public_url(url)
    except ValidationError as error:
        suggestion.errors.extend(error.messages)
        suggestion.refused = True
        by_url = platforms.detect_url(url)
        if by_url:  # said anyway, so the admin sees the address was understood
            _from_url(suggestion, by_url)
        return suggestion
    suggestion.name = urlsplit(url).hostname or ""
    by_url = platforms.detect_url(url)
    if by_url:
        _from_url(suggestion, by_url)
    page = _fetch(suggestion, url)
    if page is None:
        return suggestion
    suggestion.fetched = True
    suggestion.name = _page_name(page.text) or urlsplit(page.url).hostname or ""
    suggestion.page = page
    if not by_url:
        _from_page(suggestion, page)
    return suggestion


def _fetch(suggestion: Suggestion, url: str) -> Page | None:
    try:
        return fetch.fetch_page(url, accept=fetch.ACCEPT_ANY_TEXT).page()
    except fetch.SSRFRefused as error:
        suggestion.errors.append(f"Refused: {error}. Sources must be public web sites.")
        suggestion.refused = True
    except fetch.FetchError as error:
        suggestion.errors.append(f"The page could not be fetched: {error}.")
    return None


# --- From the URL ---------------------------------------------------------------------------
def _from_url(suggestion: Suggestion, adapter: str) -> None:
    suggestion.adapter = adapter
    suggestion.how = "the URL's host"
    parts = urlsplit(suggestion.url)
    host = (parts.hostname or "").lower()
    if adapter == "varbi":
        company = host.split(".", 1)[0]
        if company not in _VARBI_NOT_A_COMPANY:
            suggestion.facts["Varbi company"] = company
    elif adapter == "workday":
        segments = [s for s in parts.path.split("/") if s and not _LOCALE.match(s)]
        api = _WORKDAY_API.search(parts.path + "/")
        tenant, site = (api.group(1), api.group(2)) if api else (host.split(".", 1)[0], "")
        site = site or (segments[0] if segments else "")
        suggestion.facts["Workday tenant"] = tenant
        if site:
            suggestion.facts["Workday site"] = site
        else:
            suggestion.notes.append(
                "The address names no Workday careers site: paste the careers site's own "
                "address (https://<tenant>.wdN.myworkdayjobs.com/<site>)."
            )
        suggestion.options = {"search_text": WORKDAY_SEARCH}
    elif adapter == "jobbnorge":
        employer = (parse_qs(parts.query).get("employer") or [""])[0]
        if employer.isdigit():
            suggestion.facts["Jobbnorge employer"] = employer


# --- From the page ----------------------------------------------------------------------------
def _from_page(suggestion: Suggestion, page: Page) -> None:
    adapter = platforms.detect(page.url, page.text)
    if adapter is None:
        from scrapers.adapters import detect_adapter

        suggestion.adapter = detect_adapter(page)
        suggestion.how = "the page's content (no known recruitment platform)"
        return
    suggestion.adapter = adapter
    suggestion.how = "the page's markers"
    reader = {"varbi": _varbi_page, "workday": _workday_page, "jobbnorge": _jobbnorge_page}
    if adapter in reader:
        reader[adapter](suggestion, page)


def _varbi_page(suggestion: Suggestion, page: Page) -> None:
    companies = [c for c in _VARBI_HOST.findall(page.text) if c not in _VARBI_NOT_A_COMPANY]
    if companies:
        company = max(set(companies), key=companies.count)
        suggestion.facts["Varbi company"] = company
        if not _reads_as_listing(suggestion, page):
            _move_to(suggestion, f"https://{company}.varbi.com/en/", "its Varbi list")


def _workday_page(suggestion: Suggestion, page: Page) -> None:
    site_link = _WORKDAY_SITE.search(page.text)
    api = _WORKDAY_API.search(page.text)
    suggestion.options = {"search_text": WORKDAY_SEARCH}
    if site_link and not api:
        # A university page linking out to its Workday careers site: that site is the source.
        tenant, site = site_link.group(1), site_link.group(4)
        suggestion.facts.update({"Workday tenant": tenant, "Workday site": site})
        _move_to(suggestion, site_link.group(0), "its Workday careers site")
        return
    if api:
        # A careers site on the university's own domain: the API lives on the same host,
        # under the tenant's name, which the host does not say.
        tenant, site = api.group(1), api.group(2)
        suggestion.facts.update({"Workday tenant": tenant, "Workday site": site})
        suggestion.options["tenant"] = tenant
        parts = urlsplit(page.url)
        segments = [s for s in parts.path.split("/") if s and not _LOCALE.match(s)]
        if not segments or segments[0] != site:
            _move_to(suggestion, f"{parts.scheme}://{parts.netloc}/{site}", "its careers site")


def _jobbnorge_page(suggestion: Suggestion, page: Page) -> None:
    employers = _JOBBNORGE_EMPLOYER.findall(page.text)
    if employers:
        suggestion.facts["Jobbnorge employer"] = max(set(employers), key=employers.count)


def _reads_as_listing(suggestion: Suggestion, page: Page) -> bool:
    """Whether the detected adapter reads the pasted page itself (records or adverts)."""
    from scrapers import get_adapter
    from scrapers.pipeline import parse_with

    try:
        parsed = parse_with(get_adapter(suggestion.adapter), page, suggestion.options or None)
    except Exception:  # the page is not that platform's: its list becomes the start
        return False
    return bool(parsed.records or parsed.follow)


def _move_to(suggestion: Suggestion, start_url: str, what: str) -> None:
    suggestion.notes.append(
        f"The page you pasted leads to {what}; the source starts there: {start_url}"
    )
    suggestion.start_url = start_url
    suggestion.page = None


def _page_name(text: str) -> str:
    match = _TITLE.search(text[:200_000])
    if not match:
        return ""
    title = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())
    return title[:200]
