"""Aggregator sites: search-results pages with pagination, and advert pages with labelled fields.

One adapter reads both kinds of page, because the scrape task gives every page of a source
to the source's adapter. A results page (several result items, each linking to an advert)
yields no record: its advert links and its next-page link go to `follow`. An advert page
yields one record with the labelled fields ("Degree Level" / "PhD", "Deadline" / "Expired")
and the free text, after sign-in prompts, chat bots and similar noise are removed; its
description starts at the advert's own text, after the site's labelled summary block.

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

from scrapers.adapters import ParseError, generic, jsonld
from scrapers.adapters._common import (
    absolutize,
    detect_kind,
    inline_text,
    load_json,
    option_str,
    select_all,
    soup_from_html,
    valid_options,
    without_fragment,
)
from scrapers.records import Page, ParseResult

NAME = "aggregator"

# Class names of one result: "result-card", "search-result", "resultsRow", "job-item".
_RESULT_ITEM = re.compile(
    r"^((search-?)?(results?|listings?|hits?)([-_]?(item|card|row|entry))?|"
    r"(jobs?|vacanc(y|ies)|positions?|adverts?|postings?|studentships?|phds?)[-_]?"
    r"(item|card|row|entry|teaser|summary|result))$",
    re.IGNORECASE,
)
_NEXT_TEXT = re.compile(
    r"^\s*(next( page)?|more results|older|\u203a|\u00bb|\u2192|>)\s*(\u203a|\u00bb|\u2192|>)?\s*$",
    re.I,
)
_NEXT_CLASS = re.compile(r"^((pagination|pager|page)[-_])?next([-_](page|link))?$", re.IGNORECASE)
# A page with this much text outside its result items is an advert with a "similar" list.
_MAX_RESULTS_PAGE_OTHER_TEXT = 2000


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = valid_options(options)
    kind = detect_kind(page)
    if kind == "feed" or (kind == "jsonld" and load_json(page.text) is not None):
        raise ParseError("this is a feed or a JSON document, not an aggregator page")
    pattern = _compile(option_str(options, "advert_url_pattern"))
    if not pattern and not options.get("result_link_selector"):
        from scrapers.listing import parse_listing

        listed = parse_listing(page, options)  # found from the page's structure
        if listed is not None:
            return listed
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
    if kind == "jsonld":
        # Aggregators often embed JobPosting in their advert pages: the markup's facts,
        # with the visible labelled fields and text merged in by the jsonld adapter.
        try:
            records = jsonld.parse(page, detail_options).records
        except ParseError:
            records = []
        if len(records) == 1:
            records[0].adapter = NAME
            return ParseResult(records=records)
    record = generic.parse_single(page, detail_options, adapter=NAME, skip_summary_block=True)
    return ParseResult(records=[record])


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
        if total - inside > _MAX_RESULTS_PAGE_OTHER_TEXT:
            return []  # an advert with a list of other adverts, not a results page
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

    found = [
        tag
        for tag in soup.find_all(matches)
        if tag.find("a", href=True) and not _in_related_list(tag)
    ]
    # Keep the innermost items: a results list wrapping result items is not an item.
    found_ids = {id(tag) for tag in found}
    return [
        tag for tag in found if not any(id(inner) in found_ids for inner in tag.find_all(matches))
    ]


_RELATED_TOKEN = re.compile(
    r"(^|[-_])(similar|related|recommend(ed|ations)?|also|others?|latest|featured|popular|"
    r"trending|sidebar|more)($|[-_])",
    re.IGNORECASE,
)
_RELATED_HEADING = re.compile(
    r"^(similar|related|recommended|more|other|latest|featured|popular|you (may|might) also)\b",
    re.IGNORECASE,
)


def _in_related_list(item: Tag) -> bool:
    """A "Similar jobs" box on an advert page lists other adverts: not search results."""
    for ancestor in list(item.parents)[:5]:
        if not isinstance(ancestor, Tag) or ancestor.name in ("body", "html", "main"):
            break
        tokens = [str(t) for t in ancestor.get("class") or []]
        if isinstance(ancestor.get("id"), str):
            tokens.append(str(ancestor["id"]))
        if any(_RELATED_TOKEN.search(token) for token in tokens):
            return True
        heading = ancestor.find(["h2", "h3", "h4"], recursive=False)
        if isinstance(heading, Tag) and _RELATED_HEADING.match(inline_text(heading)):
            return True
    return False


def _item_link(item: Tag) -> Tag | None:
    for heading in item.find_all(["h1", "h2", "h3", "h4", "h5"]):
        anchor = heading.find("a", href=True)
        if isinstance(anchor, Tag):
            return anchor
    # No heading: the title link is the one with the most text (not the logo, not "Save").
    anchors = [a for a in item.find_all("a", href=True) if isinstance(a, Tag)]
    if not anchors:
        return None
    return max(anchors, key=lambda anchor: len(inline_text(anchor)))


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
            or _NEXT_TEXT.match(str(anchor.get("aria-label") or ""))
            or any(_NEXT_CLASS.match(str(token)) for token in anchor.get("class") or [])
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
