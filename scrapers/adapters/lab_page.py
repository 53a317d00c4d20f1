"""A professor's or a group's own page, in HTML or Markdown (Jekyll/Hugo front matter too).

One page may hold one advert or several. Several when at least two headings of one level
announce positions ("PhD position in X", "Doctoral studentship: Y"): the page is split at
that level. Sections between them that announce no position ("How to apply", the group's
introduction) are shared: each advert's text ends with them, so a deadline or a contact
given once for all positions reaches every advert. Each advert's URL is the page URL with
the heading's anchor, so two adverts of one page stay two listings.

Options (Source.options):
- `content_selector`: CSS selector of the part of the page that holds the adverts.
- `advert_heading_selector`: CSS selector of the headings that start an advert
  (overrides the position-title heuristic).
- `split`: false to always read the page as one advert.
- `noise_selectors`, `noise_lines`, `label_aliases`: as for the generic adapter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bs4 import Tag
from bs4.element import NavigableString

from scrapers.adapters import ParseError, generic
from scrapers.adapters._common import (
    DEGREE_WORD,
    block_text,
    drop_noise_lines,
    extract_links,
    inline_text,
    labelled_fields,
    looks_like_position_title,
    main_container,
    option_list,
    option_str,
    page_meta,
    page_soup,
    remove_noise,
    sanitize_html,
    select_all,
    slugify,
    soup_from_html,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "lab_page"

_HEADINGS = ("h1", "h2", "h3", "h4")
_SPLIT = "\ue000split\ue000"
_MIN_ADVERT_CHARS = 150


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = options or {}
    soup, front_matter, kind = page_soup(page)
    if kind == "feed":
        raise ParseError("this is a feed, not a lab page: use the feed adapter")
    meta: dict[str, Any] = {**page_meta(soup), **front_matter}
    remove_noise(soup, option_list(options, "noise_selectors"))
    container = main_container(soup, option_str(options, "content_selector"), min_chars=0)
    scope = container if container is not None else (soup.body or soup)

    starts = _advert_headings(scope, options)
    if len(starts) >= 2:
        records = _split_adverts(page, scope, starts, meta, options)
        if len(records) >= 2:
            return ParseResult(records=records)
    record = generic.parse_single(page, options, adapter=NAME)
    titled = _single_title(scope, front_matter)
    if titled and not front_matter.get("title"):
        record.title = titled
    return ParseResult(records=[record])


def _advert_headings(scope: Tag, options: Mapping[str, Any]) -> list[Tag]:
    if options.get("split") is False:
        return []
    chosen = select_all(scope, option_str(options, "advert_heading_selector"))
    if chosen:
        return chosen
    by_level: dict[str, list[Tag]] = {}
    for heading in scope.find_all(_HEADINGS):
        if looks_like_position_title(inline_text(heading)):
            by_level.setdefault(heading.name, []).append(heading)
    candidates = [tags for tags in by_level.values() if len(tags) >= 2]
    # The level with the most position headings; on a tie the shallower one.
    return max(candidates, key=len) if candidates else []


def _single_title(scope: Tag, front_matter: Mapping[str, Any]) -> str:
    if isinstance(front_matter.get("title"), str):
        return ""
    titles = [inline_text(heading) for heading in scope.find_all(_HEADINGS)]
    positions = [text for text in titles if looks_like_position_title(text)]
    # A heading naming the degree ("PhD position: X") beats "Open positions".
    for text in positions:
        if DEGREE_WORD.search(text):
            return text
    return positions[0] if positions else ""


def _split_adverts(
    page: Page,
    scope: Tag,
    starts: list[Tag],
    meta: dict[str, Any],
    options: Mapping[str, Any],
) -> list[RawRecord]:
    level = starts[0].name
    start_ids = {id(tag) for tag in starts}
    # Every heading at the adverts' level (or above) ends the section before it.
    boundaries = [
        heading
        for heading in scope.find_all(_HEADINGS)
        if id(heading) in start_ids or heading.name <= level
    ]
    for index, heading in enumerate(boundaries):
        heading.insert_before(NavigableString(f"{_SPLIT}{index}{_SPLIT}"))
    is_advert = [id(heading) in start_ids for heading in boundaries]

    html_parts = re.split(rf"{_SPLIT}\d+{_SPLIT}", str(scope))
    # html_parts[0] is what precedes the first boundary: the page's shared introduction.
    shared_texts: list[str] = []
    adverts: list[tuple[Tag, str]] = []
    noise_lines = option_list(options, "noise_lines")
    for index, fragment in enumerate(html_parts):
        fragment_soup = soup_from_html(fragment)
        text = drop_noise_lines(block_text(fragment_soup.body or fragment_soup), noise_lines)
        if index == 0:
            if text:
                shared_texts.append(text)
            continue
        heading = boundaries[index - 1]
        if is_advert[index - 1]:
            adverts.append((heading, fragment))
        elif text:
            shared_texts.append(text)

    records: list[RawRecord] = []
    used_anchors: set[str] = set()
    for heading, fragment in adverts:
        fragment_soup = soup_from_html(fragment)
        body = fragment_soup.body or fragment_soup
        own_text = drop_noise_lines(block_text(body), noise_lines)
        title = inline_text(heading)
        if len(own_text) - len(title) < _MIN_ADVERT_CHARS:
            # A position heading over almost nothing (a page title above the advert's own
            # heading, a "PhD positions" banner) is not an advert of its own.
            continue
        anchor = heading.get("id")
        anchor = anchor if isinstance(anchor, str) and anchor else slugify(title)
        while anchor in used_anchors:
            anchor += "-2"
        used_anchors.add(anchor)
        shared = "\n\n".join(shared_texts)
        fields = labelled_fields(body, own_text, options)
        for label, value in labelled_fields(None, shared, options).items():
            fields.setdefault(label, value)
        text = own_text if not shared else f"{own_text}\n\n{shared}"
        records.append(
            RawRecord(
                url=f"{page.url.split('#', 1)[0]}#{anchor}",
                title=title,
                text=text,
                html=sanitize_html(fragment),
                fields=fields,
                meta={**meta, "page_url": page.url, "shared_text": shared},
                links=extract_links(body, page.url),
                source_item_id=anchor,
                adapter=NAME,
            )
        )
    return records
