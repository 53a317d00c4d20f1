"""Aggregator sites: search-results pages with pagination, and advert pages with labelled fields.

One adapter reads both kinds of page, because the scrape task gives every page of a source
to the source's adapter. A results page (several result items, each linking to an advert)
yields no record: its advert links and its next-page link go to `follow`. An advert page
yields one record with the labelled fields ("Degree Level" / "PhD", "Deadline" / "Expired")
and the free text, after sign-in prompts, chat bots and similar noise are removed.

Options (Source.options), all optional:
- `result_link_selector`: CSS selector of the advert links on a results page.
- `advert_url_pattern`: regular expression an advert URL matches (links and pages).
- `next_page_selector`: CSS selector of the next-page link.
- `advert_selector`: CSS selector of the advert's container on an advert page.
- `title_selector`: CSS selector of the advert's title.
- `allow_other_hosts`: follow advert links to other hosts (default false).
- `noise_selectors`, `noise_lines`, `label_aliases`: as for the generic adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.adapters import ParseError, generic
from scrapers.adapters._common import (
    absolutize,
    detect_kind,
    inline_text,
    option_str,
    select_all,
    soup_from_html,
    without_fragment,
)
from scrapers.records import Page, ParseResult

NAME = "aggregator"

_RESULT_ITEM = re.compile(
    r"^((search-?)?(results?|listings?|hits?)([-_](item|card|row|entry))?|"
    r"(jobs?|vacanc(y|ies)|positions?|adverts?|postings?|studentships?)[-_]"
    r"(item|card|row|entry|teaser|summary))$",
    re.IGNORECASE,
)
_NEXT_TEXT = re.compile(
    r"^\s*(next( page)?|more results|older|\u203a|\u00bb|\u2192|>)\s*(\u203a|\u00bb|\u2192|>)?\s*$",
    re.I,
)
# A page with this much text outside its result items is an advert with a "similar" list.
_MAX_RESULTS_PAGE_OTHER_TEXT = 2000


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = options or {}
    if detect_kind(page) in ("feed", "jsonld"):
        raise ParseError("this is a feed or a JSON document, not an aggregator page")
    pattern = _compile(option_str(options, "advert_url_pattern"))
    soup = soup_from_html(page.text)
    advert_links = (
        [] if _is_advert_url(page.url, pattern) else _advert_links(page, soup, options, pattern)
    )
    next_page = _next_page(page, soup, options)
    paginated = next_page is not None or _has_pagination(soup)
    if advert_links and (
        len(advert_links) >= 2 or paginated or options.get("result_link_selector")
    ):
        follow = advert_links + ([next_page] if next_page and next_page not in advert_links else [])
        return ParseResult(records=[], follow=follow)
    detail_options = dict(options)
    if options.get("advert_selector"):
        detail_options["content_selector"] = options["advert_selector"]
    record = generic.parse_single(page, detail_options, adapter=NAME)
    return ParseResult(
        records=[record], follow=[next_page] if next_page and not record.fields else []
    )


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error:
        return None


def _is_advert_url(url: str, pattern: re.Pattern[str] | None) -> bool:
    return bool(pattern and pattern.search(url))


def _advert_links(
    page: Page, soup: BeautifulSoup, options: Mapping[str, Any], pattern: re.Pattern[str] | None
) -> list[str]:
    selector = option_str(options, "result_link_selector")
    anchors: list[Tag] = []
    other_text = 0
    if selector:
        anchors = select_all(soup, selector)
    elif pattern:
        anchors = [a for a in soup.find_all("a", href=True) if pattern.search(str(a.get("href")))]
    else:
        items = _result_items(soup)
        for item in items:
            anchor = _item_link(item)
            if anchor is not None:
                anchors.append(anchor)
        body = soup.body or soup
        total = len(body.get_text(" ", strip=True))
        inside = sum(len(item.get_text(" ", strip=True)) for item in items)
        other_text = total - inside
        if other_text > _MAX_RESULTS_PAGE_OTHER_TEXT:
            return []
    host = urlsplit(page.url).netloc.lower()
    allow_other_hosts = options.get("allow_other_hosts") is True
    links: list[str] = []
    for anchor in anchors:
        href = anchor.get("href")
        absolute = absolutize(page.url, href) if isinstance(href, str) else None
        if not absolute or absolute.startswith("mailto:"):
            continue
        absolute = without_fragment(absolute)
        if not allow_other_hosts and urlsplit(absolute).netloc.lower() != host:
            continue
        if pattern and not pattern.search(absolute):
            continue
        if absolute != without_fragment(page.url) and absolute not in links:
            links.append(absolute)
    return links


def _result_items(soup: BeautifulSoup) -> list[Tag]:
    def matches(tag: Tag) -> bool:
        if tag.name not in ("li", "article", "div", "tr", "section"):
            return False
        classes: list[str] = list(tag.get("class") or [])
        return any(_RESULT_ITEM.match(token) for token in classes if isinstance(token, str))

    found = [tag for tag in soup.find_all(matches) if tag.find("a", href=True)]
    # Keep the innermost items: a results list wrapping result items is not an item.
    found_ids = {id(tag) for tag in found}
    return [
        tag for tag in found if not any(id(inner) in found_ids for inner in tag.find_all(matches))
    ]


def _item_link(item: Tag) -> Tag | None:
    for heading in item.find_all(["h1", "h2", "h3", "h4", "h5"]):
        anchor = heading.find("a", href=True)
        if isinstance(anchor, Tag):
            return anchor
    anchor = item.find("a", href=True)
    return anchor if isinstance(anchor, Tag) else None


def _next_page(page: Page, soup: BeautifulSoup, options: Mapping[str, Any]) -> str | None:
    candidates = select_all(soup, option_str(options, "next_page_selector"))
    if not candidates:
        candidates = [
            tag
            for tag in soup.find_all(["a", "link"], href=True)
            if "next" in [str(rel).lower() for rel in (tag.get("rel") or [])]
        ]
    if not candidates:
        candidates = [
            anchor
            for anchor in soup.find_all("a", href=True)
            if _NEXT_TEXT.match(inline_text(anchor) or str(anchor.get("aria-label") or ""))
        ]
    for candidate in candidates:
        href = candidate.get("href")
        absolute = absolutize(page.url, href) if isinstance(href, str) else None
        if (
            absolute
            and absolute.startswith("http")
            and without_fragment(absolute) != without_fragment(page.url)
        ):
            return absolute
    return None


_PAGINATION = re.compile(r"^(pagination|pager|paging|page-numbers)$", re.IGNORECASE)


def _has_pagination(soup: BeautifulSoup) -> bool:
    """The last results page has no next link, but it still has a pager or a prev link."""
    for tag in soup.find_all(["a", "link"], href=True):
        if "prev" in [str(rel).lower() for rel in (tag.get("rel") or [])]:
            return True
    return any(
        _PAGINATION.match(token)
        for tag in soup.find_all(class_=True)
        for token in (tag.get("class") or [])
        if isinstance(token, str)
    )
