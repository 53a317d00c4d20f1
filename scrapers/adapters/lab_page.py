"""A professor's or a group's own page, in HTML or Markdown (Jekyll/Hugo front matter too).

One page may hold one advert or several. Several when at least two headings of one level
announce positions ("PhD position in X", "Doctoral studentship: Y"): the page is split at
that level; or, on pages without such headings, when horizontal rules ("---" in Markdown)
separate sections that open with a bold title ("**Re-energising X**. Deadline: ..."). Sections between them that announce no position ("How to apply", the group's
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
from collections.abc import Callable, Mapping
from typing import Any

from bs4 import Tag
from bs4.element import NavigableString

from scrapers.adapters import ParseError, generic
from scrapers.adapters._common import (
    DEGREE_WORD,
    SECTION_HEADING,
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
    valid_options,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "lab_page"

_HEADINGS = ("h1", "h2", "h3", "h4")
_SPLIT = "\ue000split\ue000"
_MIN_ADVERT_CHARS = 150


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = valid_options(options)
    soup, front_matter, kind = page_soup(page)
    if kind == "feed":
        raise ParseError("this is a feed, not a lab page: use the feed adapter")
    if kind not in ("markdown", "text"):
        from scrapers.listing import parse_listing

        listed = parse_listing(page, options)  # a results page is never one advert
        if listed is not None:
            return listed
    meta: dict[str, Any] = {**page_meta(soup), **front_matter}
    remove_noise(soup, option_list(options, "noise_selectors"))
    container = main_container(soup, option_str(options, "content_selector"), min_chars=0)
    scope = container if container is not None else (soup.body or soup)

    starts = _advert_headings(scope, options)
    if len(starts) >= 2:
        records = _split_at_headings(page, scope, starts, meta, options)
        if len(records) >= 2:
            return ParseResult(records=records)
    rules = _advert_rules(scope, options)
    if len(rules) >= 2:
        records = _split_adverts(page, scope, rules, _bold_lead_title, meta, options)
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


def _advert_rules(scope: Tag, options: Mapping[str, Any]) -> list[Tag]:
    """Horizontal rules between sibling sections: "---" between adverts in Markdown."""
    if options.get("split") is False:
        return []
    by_parent: dict[int, list[Tag]] = {}
    for rule in scope.find_all("hr"):
        by_parent.setdefault(id(rule.parent), []).append(rule)
    return max(by_parent.values(), key=len) if by_parent else []


def _bold_lead_title(_index: int, fragment: Tag) -> str | None:
    """The title of a section that opens with a bold line ("**Re-energising X**. ...")."""
    blocks = [
        tag
        for tag in fragment.find_all(["p", "h1", "h2", "h3", "h4", "h5", "li"])
        if inline_text(tag)
    ][:2]
    for block in blocks:
        first = next((child for child in block.children if str(child).strip()), None)
        if isinstance(first, Tag) and first.name in ("strong", "b"):
            title = inline_text(first).strip(" .:-")
            if len(title.split()) >= 2 and not SECTION_HEADING.match(title):
                return title
    heading = blocks[0] if blocks and blocks[0].name.startswith("h") else None
    if heading is not None:
        text = inline_text(heading)
        if looks_like_position_title(text):
            return text
    return None


def _split_at_headings(
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
    titles = {
        index: inline_text(heading)
        for index, heading in enumerate(boundaries)
        if id(heading) in start_ids
    }
    return _split_adverts(
        page, scope, boundaries, lambda index, _: titles.get(index), meta, options
    )


def _split_adverts(
    page: Page,
    scope: Tag,
    boundaries: list[Tag],
    title_of: Callable[[int, Tag], str | None],
    meta: dict[str, Any],
    options: Mapping[str, Any],
) -> list[RawRecord]:
    """Cut the page before each boundary; sections with a title are adverts, the rest shared."""
    for index, boundary in enumerate(boundaries):
        boundary.insert_before(NavigableString(f"{_SPLIT}{index}{_SPLIT}"))

    html_parts = re.split(rf"{_SPLIT}\d+{_SPLIT}", str(scope))
    # html_parts[0] is what precedes the first boundary: the page's shared introduction.
    shared_texts: list[str] = []
    shared_links: list[tuple[str, str]] = []
    adverts: list[tuple[Tag, str, str]] = []
    noise_lines = option_list(options, "noise_lines")
    for index, fragment in enumerate(html_parts):
        fragment_soup = soup_from_html(fragment)
        root = fragment_soup.body or fragment_soup
        text = drop_noise_lines(block_text(root), noise_lines)
        title = title_of(index - 1, root) if index > 0 else None
        if title:
            adverts.append((boundaries[index - 1], title, fragment))
        elif text:
            # The page's introduction, "How to apply" for all, funding acknowledgements.
            shared_texts.append(text)
            shared_links.extend(extract_links(root, page.url))

    # A page with a single e-mail address gives it to every advert on it: the group's
    # contact, even when it is written only in one advert's "contact Nadanai" link.
    page_mailtos = {
        (text, href)
        for text, href in extract_links(scope, page.url)
        if href.startswith("mailto:") and "@" in href
    }
    if len({href.lower() for _, href in page_mailtos}) == 1:
        shared_links.extend(sorted(page_mailtos))

    records: list[RawRecord] = []
    used_anchors: set[str] = set()
    for boundary, title, fragment in adverts:
        fragment_soup = soup_from_html(fragment)
        body = fragment_soup.body or fragment_soup
        own_text = drop_noise_lines(block_text(body), noise_lines)
        if len(own_text) - len(title) < _MIN_ADVERT_CHARS:
            # A position heading over almost nothing (a page title above the advert's own
            # heading, a "PhD positions" banner) is not an advert of its own.
            continue
        anchor = boundary.get("id")
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
                html=sanitize_html(fragment, page.url),
                fields=fields,
                meta={**meta, "page_url": page.url, "shared_text": shared},
                links=_merge_links(extract_links(body, page.url), shared_links),
                source_item_id=anchor,
                adapter=NAME,
            )
        )
    return records


def _merge_links(
    own: list[tuple[str, str]], shared: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    return own + [link for link in shared if link not in own]
