"""Results pages nobody configured: the repeated blocks of a listing, read from its structure.

A results page (a job board's search results, an ATS's vacancy table, a university's list
of openings) repeats one block per advert: a table row, a card, a list item, an article.
Each block holds one dominant link (the advert's title) and often a date, a department or
a type column. The reader finds those blocks from the page's structure, never from class
names: sibling elements of one tag under one parent, most of which hold one title-like
link, the links distinct and of one URL shape. The best such group is the page's listing
when it is a large share of the page's text (an advert with a "similar jobs" box is not)
and its blocks are summaries, not whole adverts (a page holding several adverts in full is
the lab-page adapter's case).

`read_listing(page)` returns a `Listing` (entries, the next page's URL) or None when the
page is not a results page. Each entry is classified (`scrapers.doctoral`): only doctoral
positions are followed, and every decision keeps its reason for the scrape run.

Options (Source.options), all optional:
- `allow_other_hosts`: follow advert links on any host (default: only this page's host
  and known recruitment platforms, `scrapers.platforms`).
- `doctoral_only`: false keeps every position of the list (default true).
- `listing`: false never reads the page as a results page.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bs4 import Tag

from scrapers import doctoral, platforms
from scrapers.adapters._common import (
    absolutize,
    clean_line,
    inline_text,
    load_json,
    remove_noise,
    soup_from_html,
    without_fragment,
)
from scrapers.listing_facts import block_facts, json_facts
from scrapers.pagination import json_next_url, next_page_url
from scrapers.records import Link, Page, ParseResult

# A results page lists at least this many adverts (fewer with a pager).
MIN_ENTRIES = 3
# A listing's entry is a summary: past this median length a block is an advert in full.
MAX_MEDIAN_ENTRY_CHARS = 900
# The entries must hold this share of the page's text, or this much text in all.
MIN_TEXT_SHARE = 0.3
MIN_ENTRIES_TEXT = 1500
MAX_ENTRY_TEXT = 1000
MAX_ENTRIES = 2000
_BLOCK_TAGS = frozenset(("tr", "li", "article", "div", "section", "dd", "p", "tbody", "a"))
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_LETTERS = re.compile(r"[^\W\d_]{2,}")
_DIGITS = re.compile(r"\d+")
_DATE_LIKE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}\.?\s+[^\W\d_]{3,9}\.?\s+\d{4}|"
    r"[^\W\d_]{3,9}\.?\s+\d{1,2},?\s+\d{4})\b"
)


@dataclass
class Entry:
    """One advert of a results page, as the page summarises it."""

    url: str
    title: str
    text: str = ""
    cells: list[str] = field(default_factory=list)  # short texts besides the title
    doctoral: bool = True
    reason: str = ""
    followed: bool = True
    facts: dict[str, str] = field(default_factory=dict)  # labelled: "Deadline" -> "1 May"


@dataclass
class Listing:
    entries: list[Entry]
    next_url: str | None = None

    def kept(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.followed]

    def to_parse_result(self) -> ParseResult:
        links = [
            Link(
                url=entry.url,
                rel="advert",
                title=entry.title,
                kept=entry.followed,
                reason=entry.reason,
                facts=entry.facts,
            )
            for entry in self.entries
        ]
        if self.next_url:
            links.append(Link(url=self.next_url, rel="next", title="next page"))
        follow = [entry.url for entry in self.kept()]
        if self.next_url and self.next_url not in follow:
            follow.append(self.next_url)
        return ParseResult(records=[], follow=follow, links=links)


# --- Reading a page ----------------------------------------------------------------------
def read_listing(page: Page, options: Mapping[str, Any] | None = None) -> Listing | None:
    """The page's listing, or None when it is not a results page."""
    options = options or {}
    if options.get("listing") is False or not page.text or not page.text.strip():
        return None
    stripped = page.text.lstrip()[:1]
    if stripped in ("{", "["):
        data = load_json(page.text)
        return _json_listing(page, data, options) if data is not None else None
    soup = soup_from_html(page.text)
    body = soup.body or soup
    for junk in body.find_all(["select", "option", "button", "input", "textarea", "svg"]):
        if not getattr(junk, "decomposed", False):
            junk.decompose()
    remove_noise(body)
    for chrome in body.find_all(["nav", "header", "footer"]):
        if not getattr(chrome, "decomposed", False) and not chrome.find_parent(_ITEMISH):
            chrome.decompose()
    group = best_group(body, page.url)
    if group is None:
        return None
    entries, items = group
    headings = [inline_text(tag) for tag in soup.find_all(["title", "h1"], limit=4)]
    if not _is_results_page(body, entries, items, any(map(doctoral.looks_like_job, headings))):
        return None
    next_url = next_page_url(soup_from_html(page.text), page.url, exclude={e.url for e in entries})
    _decide(entries, page.url, options)
    return Listing(entries=entries, next_url=next_url)


_ITEMISH = ["article", "li", "tr"]


def parse_listing(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult | None:
    """The ParseResult of a results page (no records, its links), or None."""
    listing = read_listing(page, options)
    return listing.to_parse_result() if listing is not None else None


def _is_results_page(
    body: Tag, entries: list[Entry], items: list[Tag], titled_as_jobs: bool
) -> bool:
    if len(entries) < MIN_ENTRIES:
        return False
    lengths = [len(entry.text) for entry in entries]
    if statistics.median(lengths) > MAX_MEDIAN_ENTRY_CHARS:
        return False  # whole adverts one after another, not a list of them
    inside = sum(len(item.get_text(" ", strip=True)) for item in items)
    total = max(len(body.get_text(" ", strip=True)), 1)
    if inside / total < MIN_TEXT_SHARE and inside < MIN_ENTRIES_TEXT:
        return False
    # Position-like titles, or dates beside them: a list of adverts, not of news or papers.
    titled = sum(1 for entry in entries if doctoral.looks_like_job(entry.title))
    dated = sum(1 for entry in entries if _DATE_LIKE.search(entry.text))
    return titled >= 0.3 * len(entries) or (titled_as_jobs and dated >= 0.6 * len(entries))


# --- Finding the repeated blocks ---------------------------------------------------------
def best_group(root: Tag, page_url: str) -> tuple[list[Entry], list[Tag]] | None:
    """The best-scoring group of repeated sibling blocks, with their entries."""
    best: tuple[float, list[Entry], list[Tag]] | None = None
    for parent in root.find_all(True):
        children = [child for child in parent.children if isinstance(child, Tag)]
        if len(children) < 2:
            continue
        groups: dict[str, list[Tag]] = {}
        for child in children:
            if child.name in _BLOCK_TAGS:
                groups.setdefault(child.name, []).append(child)
        for items in groups.values():
            if len(items) < 2:
                continue
            scored = _score_group(items, page_url)
            if scored is not None and (best is None or scored[0] > best[0]):
                best = scored
    if best is None:
        return None
    return best[1], best[2]


def _score_group(items: list[Tag], page_url: str) -> tuple[float, list[Entry], list[Tag]] | None:
    entries: list[Entry] = []
    kept_items: list[Tag] = []
    seen: set[str] = set()
    for item in items[:MAX_ENTRIES]:
        entry = _entry(item, page_url)
        if entry is None or entry.url in seen:
            continue
        seen.add(entry.url)
        entries.append(entry)
        kept_items.append(item)
    if len(entries) < 2 or len(entries) < 0.5 * len(items):
        return None
    words = statistics.median(len(entry.title.split()) for entry in entries)
    if words < 2 and statistics.median(len(entry.title) for entry in entries) < 12:
        return None  # menus, tags, page numbers
    shapes = Counter(_url_shape(entry.url) for entry in entries)
    consistency = shapes.most_common(1)[0][1] / len(entries)
    extra = statistics.median(
        min(max(len(entry.text) - len(entry.title), 0) / max(len(entry.title), 1), 2.0)
        for entry in entries
    )
    jobs = sum(1 for entry in entries if doctoral.looks_like_job(entry.title)) / len(entries)
    score = (
        len(entries) * min(words, 10) * (1 + extra / 2) * (0.3 + 0.7 * consistency) * (1 + 2 * jobs)
    )
    return score, entries, kept_items


def _entry(item: Tag, page_url: str) -> Entry | None:
    """An item's dominant link: the heading's link, else the link with the most text."""
    anchors = [item] if item.name == "a" else item.find_all("a", href=True)
    by_url: dict[str, list[Tag]] = {}
    for anchor in anchors:
        href = anchor.get("href")
        absolute = absolutize(page_url, href) if isinstance(href, str) else None
        if not absolute or not absolute.startswith("http"):
            continue
        absolute = without_fragment(absolute)
        if absolute == without_fragment(page_url):
            continue
        by_url.setdefault(absolute, []).append(anchor)
    if not by_url:
        return None

    def weight(url: str) -> tuple[bool, int]:
        group = by_url[url]
        in_heading = any(
            anchor.find_parent(_HEADINGS) is not None or anchor.find(_HEADINGS) is not None
            for anchor in group
        )
        return in_heading, max(len(_anchor_text(anchor)) for anchor in group)

    url = max(by_url, key=weight)
    # Several links to the advert (its title, its department, "Read more"): the heading's,
    # else the first that names a post, else the first with text.
    headed = [_anchor_text(a) for a in by_url[url] if a.find_parent(_HEADINGS) is not None]
    texts = [text for text in (_anchor_text(a) for a in by_url[url]) if text] or [""]
    title = next((text for text in headed if text), "") or next(
        (text for text in texts if doctoral.looks_like_job(text)), texts[0]
    )
    if not title:
        heading = item.find(_HEADINGS)
        title = inline_text(heading) if isinstance(heading, Tag) else ""
    if not _LETTERS.search(title):
        return None
    text = clean_line(item.get_text(" ", strip=True))[:MAX_ENTRY_TEXT]
    title = title[:300]
    return Entry(
        url=url, title=title, text=text, cells=_cells(item, title), facts=block_facts(item, title)
    )


def _anchor_text(anchor: Tag) -> str:
    text = inline_text(anchor)
    if not text:
        for attribute in ("title", "aria-label"):
            value = anchor.get(attribute)
            if isinstance(value, str) and value.strip():
                return clean_line(value)
    return text


def _cells(item: Tag, title: str) -> list[str]:
    """The item's short texts besides its title: a type column, a department, a date."""
    cells: list[str] = []
    for string in item.find_all(string=True):
        text = clean_line(str(string))
        if not text or text == title or text in cells or len(text) > 120:
            continue
        if text in title:
            continue
        cells.append(text)
        if len(cells) >= 12:
            break
    return cells


def _url_shape(url: str) -> str:
    """Host, folder and query keys, digits folded: the adverts of one list share it."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    if parts.path.endswith("/"):
        folder = parts.path.rstrip("/").rsplit("/", 1)[0]
    keys = ",".join(sorted(key for key, _value in parse_qsl(parts.query)))
    return _DIGITS.sub("#", f"{parts.netloc.lower()}{folder}?{keys}")


# --- Decisions: which entries are followed ------------------------------------------------
def _decide(entries: list[Entry], page_url: str, options: Mapping[str, Any]) -> None:
    doctoral_only = options.get("doctoral_only") is not False
    allow_other_hosts = options.get("allow_other_hosts") is True
    verdicts = [doctoral.classify(entry.title, entry.cells) for entry in entries]
    mixed = any(verdict.doctoral is False for verdict in verdicts)
    host = (urlsplit(page_url).hostname or "").lower()
    for entry, verdict in zip(entries, verdicts, strict=True):
        entry_host = (urlsplit(entry.url).hostname or "").lower()
        off_host = bool(host) and entry_host != host
        if verdict.doctoral is None:
            # Neither doctoral nor another kind named: kept on a list of only such entries
            # or PhD posts, dropped where the list mixes kinds of post.
            entry.doctoral = not mixed
            entry.reason = verdict.reason + ("; the list mixes kinds of post" if mixed else "")
        else:
            entry.doctoral = verdict.doctoral
            entry.reason = verdict.reason
        entry.followed = entry.doctoral or not doctoral_only
        if not doctoral_only and not entry.doctoral:
            entry.reason += "; kept: the source keeps every position"
        if off_host and not allow_other_hosts and not _known_platform(entry.url):
            entry.followed = False
            entry.reason += f"; not followed: {entry_host} is another host, not a known platform"


def _known_platform(url: str) -> bool:
    """A recruitment platform's host: one the platform adapters read (scrapers.platforms),
    or another applicant-tracking system universities link to."""
    if platforms.detect_url(url) is not None:
        return True
    return _OTHER_ATS_HOST.search((urlsplit(url).hostname or "").lower()) is not None


# Applicant-tracking systems with no adapter of their own: their advert pages are read by
# the generic adapter.
_OTHER_ATS_HOST = re.compile(
    r"(^|\.)(webcruiter\.(no|com)|jobteaser\.com|lever\.co|greenhouse\.io|smartrecruiters\.com|"
    r"recruitee\.com|jobylon\.com|teamtailor\.com|oraclecloud\.com|taleo\.net|"
    r"pageuppeople\.com|icims\.com|umantis\.com|softgarden\.io|personio\.(de|com)|"
    r"rekrytointi\.com|workday\.com|hr-manager\.net|mynetworkglobal\.com|"
    r"jobs\.uni-[a-z-]+\.de)$"
)


# --- JSON listings (APIs) -----------------------------------------------------------------
_URL_KEYS = ("url", "link", "href", "ad_rendered", "apply_url", "permalink", "web_url")
_TITLE_KEYS = ("title", "name", "headline", "job_title", "jobTitle", "position")


def _json_listing(page: Page, data: Any, options: Mapping[str, Any]) -> Listing | None:
    """A JSON API's list of jobs: the longest array of objects each with a title and a URL."""
    best: list[Entry] = []
    for array in _arrays(data, depth=0):
        entries = []
        for item in array[:MAX_ENTRIES]:
            entry = _json_entry(item, page.url) if isinstance(item, dict) else None
            if entry is not None:
                entries.append(entry)
        if len(entries) > len(best) and len(entries) >= 0.5 * len(array):
            best = entries
    if not best:
        return None
    _decide(best, page.url, options)
    return Listing(entries=best, next_url=json_next_url(data, page.url))


def _arrays(data: Any, depth: int) -> list[list[Any]]:
    if depth > 6:
        return []
    found: list[list[Any]] = []
    if isinstance(data, list):
        found.append(data)
        for item in data[:50]:
            found.extend(_arrays(item, depth + 1))
    elif isinstance(data, dict):
        for value in data.values():
            found.extend(_arrays(value, depth + 1))
    return found


def _json_entry(item: dict[str, Any], base_url: str) -> Entry | None:
    flat = dict(_flatten(item, depth=0))
    url = next(
        (
            value
            for key, value in flat.items()
            if key.rsplit(".", 1)[-1] in _URL_KEYS and isinstance(value, str)
        ),
        None,
    )
    title = next(
        (
            value
            for key, value in flat.items()
            if key.rsplit(".", 1)[-1] in _TITLE_KEYS and isinstance(value, str) and value.strip()
        ),
        None,
    )
    absolute = absolutize(base_url, url) if url else None
    if not absolute or not title or not absolute.startswith("http"):
        return None
    cells = [
        clean_line(value)[:120]
        for value in flat.values()
        if isinstance(value, str) and value != title and 0 < len(value) <= 120
    ][:12]
    title = clean_line(title)[:300]
    return Entry(
        url=without_fragment(absolute),
        title=title,
        cells=cells,
        facts=json_facts(flat.items(), title),
    )


def _flatten(item: Any, depth: int, prefix: str = "") -> list[tuple[str, Any]]:
    if depth > 4 or not isinstance(item, dict):
        return []
    pairs: list[tuple[str, Any]] = []
    for key, value in item.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            pairs.extend(_flatten(value, depth + 1, name))
        elif not isinstance(value, list):
            pairs.append((name, value))
    return pairs
