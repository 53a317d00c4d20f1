"""What the platform adapters (Varbi, ReachMee, SuccessFactors, EURAXESS, ...) share.

Each platform serves two kinds of page a source crawls: a results page (an HTML table or
cards, a JSON API answer, an RSS feed) and an advert page. A platform adapter is a
`Platform` spec: how to recognise an advert URL, where the result rows and their advert
links sit, how the next results page is linked, and how the platform labels its fields.
`parse_html` does the rest:

- a results page yields no record; its advert links and next-page link go to `follow`;
- an advert page yields one record (the generic single-advert reader, with the platform's
  labels renamed to the ones the normaliser knows and its itemprop/JSON-LD facts in meta);
- a page that is neither raises ParseError naming the platform, never a record named
  after the page.

Records built from a machine-readable entry (an API job, a feed item) go through
`entry_record`, which lays the entry out as labelled fields and JobPosting-like meta.

Options every platform adapter reads (Source.options, all optional):
- `follow` (default true): also fetch each advert page of a JSON or feed listing;
- `max_adverts`: at most this many advert links per results page (default 500);
- the generic adapter's `content_selector`, `noise_selectors`, `label_aliases`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers import fetch
from scrapers.adapters import ParseError, feed, generic, jsonld
from scrapers.adapters._common import (
    absolutize,
    bounded,
    clean_line,
    clean_text,
    detect_kind,
    fields_from_structure,
    inline_text,
    sanitize_html,
    select_all,
    soup_from_html,
    valid_options,
    without_fragment,
)
from scrapers.records import Page, ParseResult, RawRecord

ACCEPT = fetch.ACCEPT_HTML + fetch.ACCEPT_JSON + fetch.ACCEPT_FEED
MAX_ADVERTS_PER_PAGE = 500
_MAX_FIELD = 2000

_NEXT_TEXT = re.compile(
    r"^\s*(next( page)?|more|\u203a|\u00bb|>|neste|n\u00e4sta|volgende)\s*[\u203a\u00bb>]?\s*$",
    re.I,
)


@dataclass(frozen=True)
class Platform:
    name: str
    # An advert page's URL on this platform (its own host or a customer's career site).
    advert_url: re.Pattern[str]
    # CSS selector of each result (a row or a card) on a results page.
    row_selector: str
    # CSS selector of the advert link inside a result; the first link when empty.
    link_selector: str = ""
    # CSS selector of the next-page link; rel=next and "Next" links are always tried.
    next_selector: str = ""
    # Labels the platform uses -> labels the normaliser reads.
    label_aliases: Mapping[str, str] = field(default_factory=dict)
    # CSS selector of the advert's own text on an advert page.
    content_selector: str = ""
    # CSS selector of the advert's title on an advert page.
    title_selector: str = ""
    # Labelled facts the platform lays out its own way (a "label | value" grid).
    extra_fields: Callable[[BeautifulSoup], dict[str, str]] | None = None


def option_bool(options: Mapping[str, Any] | None, key: str, default: bool) -> bool:
    value = (options or {}).get(key, default)
    return value if isinstance(value, bool) else default


def max_adverts(options: Mapping[str, Any] | None) -> int:
    value = (options or {}).get("max_adverts")
    return value if isinstance(value, int) and 0 < value <= 5000 else MAX_ADVERTS_PER_PAGE


def parse_html(
    page: Page,
    options: Mapping[str, Any] | None,
    platform: Platform,
    *,
    extra_listing: Callable[[Page, BeautifulSoup], ParseResult | None] | None = None,
) -> ParseResult:
    """A platform's HTML page: a results page to follow, or one advert."""
    if not page.text or not page.text.strip():
        raise ParseError(f"{platform.name}: empty page")
    options = valid_options(options)
    soup = soup_from_html(page.text)
    if platform.advert_url.search(page.url):
        return ParseResult(records=[advert_record(page, options, platform, soup)])
    if extra_listing is not None:
        listed = extra_listing(page, soup)
        if listed is not None:
            return listed
    links = result_links(page, soup, platform, options)
    next_page = next_page_link(page, soup, platform.next_selector)
    if links:
        follow = links + ([next_page] if next_page and next_page not in links else [])
        return ParseResult(records=[], follow=follow)
    if soup.select(platform.row_selector) or _looks_like_empty_results(soup):
        # A results page with no open position today: nothing to store, nothing to fail.
        return ParseResult(records=[], follow=[next_page] if next_page else [])
    if _has_advert_heading(soup):
        return ParseResult(records=[advert_record(page, options, platform, soup)])
    raise ParseError(
        f"{platform.name}: neither a results page (no {platform.row_selector!r} rows with "
        "advert links) nor an advert page"
    )


def feed_or_html(page: Page, options: Mapping[str, Any] | None, platform: Platform) -> ParseResult:
    """A platform that also publishes its lists as RSS/Atom: a feed is read by the feed
    adapter (one record per item, its advert page followed unless `follow` is false)."""
    if page.text and detect_kind(page) == "feed":
        result = feed.parse(page, options)
        for record in result.records:
            record.adapter = platform.name
        return result
    return parse_html(page, options, platform)


def result_links(
    page: Page, soup: BeautifulSoup, platform: Platform, options: Mapping[str, Any]
) -> list[str]:
    links: list[str] = []
    limit = max_adverts(options)
    for row in soup.select(platform.row_selector):
        anchors = select_all(row, platform.link_selector) if platform.link_selector else []
        if not anchors:
            anchors = [a for a in row.find_all("a", href=True) if isinstance(a, Tag)]
        for anchor in anchors:
            href = anchor.get("href")
            absolute = absolutize(page.url, href) if isinstance(href, str) else None
            if not absolute or not absolute.startswith("http"):
                continue
            absolute = without_fragment(absolute)
            if not platform.advert_url.search(absolute) and not _same_host(absolute, page.url):
                continue  # a link off the platform (a department's home page)
            if absolute not in links and absolute != without_fragment(page.url):
                links.append(absolute)
            break  # one advert per row: the desktop and phone copies of a link are one
        if len(links) >= limit:
            break
    return links


def _same_host(url: str, other: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(other).netloc.lower()


def next_page_link(page: Page, soup: BeautifulSoup, selector: str = "") -> str | None:
    candidates = select_all(soup, selector) if selector else []
    candidates += [
        tag
        for tag in soup.find_all(["a", "link"], href=True)
        if "next" in [str(rel).lower() for rel in (tag.get("rel") or [])]
    ]
    candidates += [
        anchor
        for anchor in soup.find_all("a", href=True)
        if _NEXT_TEXT.match(inline_text(anchor) or str(anchor.get("aria-label") or ""))
        or re.match(r"^next( page)?$", str(anchor.get("title") or ""), re.I)
    ]
    current = without_fragment(page.url)
    for candidate in candidates:
        href = candidate.get("href")
        absolute = absolutize(page.url, href) if isinstance(href, str) else None
        if absolute and absolute.startswith("http") and without_fragment(absolute) != current:
            return without_fragment(absolute)
    return None


_EMPTY_RESULTS = re.compile(
    r"\b(no (open )?(positions|vacancies|jobs|results)|0 (results|jobs|vacancies)|"
    r"there are (currently )?no)\b",
    re.I,
)


def _looks_like_empty_results(soup: BeautifulSoup) -> bool:
    body = soup.body or soup
    text = body.get_text(" ", strip=True)
    return len(text) < 5000 and bool(_EMPTY_RESULTS.search(text))


def _has_advert_heading(soup: BeautifulSoup) -> bool:
    heading = soup.find("h1")
    body = soup.body or soup
    return heading is not None and len(body.get_text(" ", strip=True)) > 400


def advert_record(
    page: Page, options: Mapping[str, Any], platform: Platform, soup: BeautifulSoup | None = None
) -> RawRecord:
    """One advert page: the generic reader with the platform's labels and selectors."""
    detail = dict(options)
    aliases = {**platform.label_aliases, **dict(options.get("label_aliases") or {})}
    if aliases:
        detail["label_aliases"] = aliases
    soup = soup if soup is not None else soup_from_html(page.text)
    if (
        platform.content_selector
        and not detail.get("content_selector")
        and soup.select_one(platform.content_selector) is not None
    ):
        detail["content_selector"] = platform.content_selector
    if platform.title_selector and not detail.get("title_selector"):
        title_tag = soup.select_one(platform.title_selector)
        if title_tag is not None and inline_text(title_tag):
            detail["title_selector"] = platform.title_selector
    record = _jsonld_record(page, detail, platform.name) or generic.parse_single(
        page, detail, adapter=platform.name, skip_summary_block=True
    )
    for key, value in itemprop_meta(soup).items():
        record.meta.setdefault(key, value)
    if platform.extra_fields is not None:
        for label, value in platform.extra_fields(soup).items():
            label = aliases.get(label, label)
            if label and value and label not in record.fields:
                record.fields[label] = value[:_MAX_FIELD]
    return record


def grid_fields(root: Tag | None, *, max_label: int = 60) -> dict[str, str]:
    """Facts laid out as rows of two cells ("Last application date" | "12.Aug.2026"):
    any element whose only two element children hold a short label and a value."""
    if root is None:
        return {}
    found: dict[str, str] = fields_from_structure(root)
    for row in root.find_all(["div", "li", "p", "section"]):
        cells = [child for child in row.children if isinstance(child, Tag)]
        if len(cells) != 2 or any(cell.find(["div", "li", "table"]) for cell in cells):
            continue
        label, value = inline_text(cells[0]).rstrip(":"), inline_text(cells[1])
        if 1 < len(label) <= max_label and value and len(value) <= _MAX_FIELD:
            found.setdefault(label, value)
    return found


def _jsonld_record(page: Page, options: Mapping[str, Any], adapter: str) -> RawRecord | None:
    """An advert page with its JobPosting in JSON-LD: those facts, the visible text merged."""
    if "application/ld+json" not in page.text or "JobPosting" not in page.text:
        return None
    try:
        records = jsonld.parse(page, options).records
    except ParseError:
        return None
    if len(records) != 1:
        return None
    records[0].adapter = adapter
    return records[0]


def itemprop_meta(soup: BeautifulSoup) -> dict[str, Any]:
    """schema.org microdata kept in <meta itemprop> tags (SuccessFactors career sites)."""
    found: dict[str, Any] = {}
    for tag in soup.find_all("meta", attrs={"itemprop": True}):
        key = str(tag.get("itemprop") or "")
        value = clean_line(str(tag.get("content") or ""))
        if key in ("validThrough", "datePosted", "hiringOrganization", "jobLocation") and value:
            found.setdefault(key, value[:_MAX_FIELD])
    return found


def entry_record(
    *,
    adapter: str,
    url: str,
    title: str,
    fields: Mapping[str, Any],
    meta: Mapping[str, Any] | None = None,
    description_html: str = "",
    item_id: str = "",
) -> RawRecord:
    """A record from one machine-readable entry (an API job, a structured card)."""
    clean_fields = {
        label: clean_line(str(value))[:_MAX_FIELD]
        for label, value in fields.items()
        if value not in (None, "") and clean_line(str(value))
    }
    html = sanitize_html(bounded(description_html), url) if description_html else ""
    description = clean_text(BeautifulSoup(html, "lxml").get_text("\n")) if html else ""
    lines = [clean_line(title)] + [f"{label}: {value}" for label, value in clean_fields.items()]
    text = "\n".join(line for line in lines if line)
    if description:
        text += "\n\n" + description
    return RawRecord(
        url=url,
        title=clean_line(title)[:500],
        text=bounded(text),
        html=html,
        fields=clean_fields,
        meta=dict(meta or {}),
        source_item_id=str(item_id)[:200],
        adapter=adapter,
        description_text=description,
    )


def first_str(data: Any, *keys: str) -> str:
    """The first non-empty string among `keys` of a mapping (nested "a.b" paths allowed)."""
    if not isinstance(data, Mapping):
        return ""
    for key in keys:
        value: Any = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return ""


def unique(urls: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for url in urls:
        if url and url not in seen:
            seen.append(url)
    return seen
