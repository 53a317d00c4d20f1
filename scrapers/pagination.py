"""The next page of a results page: rel=next, a "Next" link in many languages, a pager's
page=N / start=N / /page/N/ links, or an API's next link or cursor.

Pure functions of a parsed page; the crawl (scrapers/pipeline.py) caps how many pages it
follows and stops when a page brings no advert it had not seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from scrapers.adapters._common import absolutize, inline_text, without_fragment
from scrapers.records import Link, ParseResult

_NEXT_WORDS = (
    r"next|next\s+page|more\s+results|older(\s+posts)?|show\s+more|load\s+more|"
    r"n[äa]sta(\s+sida)?|neste(\s+side)?|n[æa]ste(\s+side)?|seuraava|volgende|weiter|"
    r"n[äa]chste(\s+seite)?|suivant(e)?|page\s+suivante|siguiente|successiv[oa]|avanti|"
    r"pr[óo]xim[oa]|seguinte|nast[eę]pna|dal[sš][ií]|következő|urm[ăa]toare"
)
_ARROWS = r"\u203a|\u00bb|\u2192|\u276f|\u25b6|>|>>"
_NEXT_TEXT = re.compile(
    rf"^\s*(({_NEXT_WORDS})\s*({_ARROWS})?|({_ARROWS}))\s*$",
    re.IGNORECASE,
)
_NEXT_CLASS = re.compile(r"(^|[-_])next($|[-_])", re.IGNORECASE)
_NUMBER = re.compile(r"^\s*\d{1,5}\s*$")
_DIGITS = re.compile(r"\d+")


def next_page_url(soup: BeautifulSoup, page_url: str, exclude: Iterable[str] = ()) -> str | None:
    """The URL of the results page after this one, or None on the last page."""
    excluded = {without_fragment(url) for url in exclude}
    current = without_fragment(page_url)

    def usable(tag: Tag) -> str | None:
        href = tag.get("href")
        absolute = absolutize(page_url, href) if isinstance(href, str) else None
        if not absolute or not absolute.startswith("http"):
            return None
        absolute = without_fragment(absolute)
        if absolute == current or absolute in excluded:
            return None
        return absolute

    for tag in soup.find_all(["link", "a"], href=True):
        if "next" in [str(rel).lower() for rel in tag.get("rel") or []]:
            found = usable(tag)
            if found:
                return found
    anchors = [anchor for anchor in soup.find_all("a", href=True) if isinstance(anchor, Tag)]
    for anchor in anchors:
        label = inline_text(anchor)
        named = [label, str(anchor.get("aria-label") or ""), str(anchor.get("title") or "")]
        if any(_NEXT_TEXT.match(text) for text in named if text) or (
            len(label) <= 20
            and any(_NEXT_CLASS.search(str(token)) for token in anchor.get("class") or [])
        ):
            found = usable(anchor)
            if found:
                return found
    return _pager_next(anchors, page_url, usable)


def _pager_next(anchors: list[Tag], page_url: str, usable: Any) -> str | None:
    """A numbered pager: the link to the smallest page number after this page's."""
    numbered: list[tuple[int, str, str]] = []  # (value, url, anchor text)
    for anchor in anchors:
        label = inline_text(anchor)
        if not _NUMBER.match(label):
            continue
        url = usable(anchor)
        if url is None:
            continue
        value = _step_value(page_url, url)
        if value is not None:
            numbered.append((value[1], url, label.strip()))
    if not numbered:
        return None
    current = _step_value(page_url, numbered[0][1])
    here = current[0] if current is not None else None
    if here is not None:
        after = [item for item in numbered if item[0] > here]
        return min(after)[1] if after else None
    # This page has no number in its URL: it is the first page. The link labelled "2" is
    # the next one, whatever its value (page=1 counting from 0, page=2, start=20).
    for _value, url, label in numbered:
        if label == "2":
            return url
    after = [item for item in numbered if item[0] > 0 and item[2] != "1"]
    return min(after)[1] if after else None


def _step_value(page_url: str, url: str) -> tuple[int | None, int] | None:
    """(this page's number or None, the link's number) when the two URLs differ only in
    one number (a query parameter, a path segment) or the link adds one numeric parameter."""
    here, there = urlsplit(page_url), urlsplit(url)
    if (here.netloc.lower(), here.path) == (there.netloc.lower(), there.path):
        mine = dict(parse_qsl(here.query))
        theirs = dict(parse_qsl(there.query))
        differing = [key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key)]
        if len(differing) == 1 and theirs.get(differing[0], "").isdigit():
            key = differing[0]
            value = mine.get(key, "")
            return (int(value) if value.isdigit() else None), int(theirs[key])
        return None
    if here.netloc.lower() != there.netloc.lower() or here.query != there.query:
        return None
    mine_numbers, theirs_numbers = _DIGITS.findall(here.path), _DIGITS.findall(there.path)
    if _DIGITS.sub("#", here.path) == _DIGITS.sub("#", there.path):
        diffs = [
            (int(a), int(b)) for a, b in zip(mine_numbers, theirs_numbers, strict=True) if a != b
        ]
        if len(diffs) == 1:
            return diffs[0]
        return None
    # /jobs/ -> /jobs/page/2/: the first page has no number at all.
    base = here.path.rstrip("/")
    rest = there.path[len(base) :] if there.path.startswith(base) else ""
    match = re.fullmatch(r"/(?:[a-z]+[/-]?)?(\d{1,5})/?", rest, re.IGNORECASE)
    if match:
        return None, int(match.group(1))
    return None


# --- APIs ---------------------------------------------------------------------------------
_NEXT_LINK_KEYS = ("next", "next_url", "nextUrl", "next_page_url", "nextPageUrl", "nextLink")
_CURSOR_KEYS = (
    "next_cursor",
    "nextCursor",
    "nextPageToken",
    "next_page_token",
    "continuationToken",
    "cursor",
    "after",
)
_CURSOR_PARAM = {"nextPageToken": "pageToken", "next_page_token": "page_token"}


def json_next_url(data: Any, page_url: str) -> str | None:
    """An API response's next page: a next link (top level, `links`, `meta`, `paging`,
    `pagination`) or a cursor set on this URL's own cursor parameter."""
    places = [data] if isinstance(data, dict) else []
    for key in ("links", "meta", "paging", "pagination", "page_info", "pageInfo"):
        if isinstance(data, dict) and isinstance(data.get(key), dict):
            places.append(data[key])
            nested = data[key].get("cursors")
            if isinstance(nested, dict):
                places.append(nested)
    for place in places:
        for key in _NEXT_LINK_KEYS:
            value = place.get(key)
            if isinstance(value, dict):
                value = value.get("href") or value.get("url")
            if isinstance(value, str) and value.strip():
                absolute = absolutize(page_url, value)
                if absolute and absolute.startswith("http"):
                    return absolute
    if isinstance(data, dict) and data.get("hasNextPage") is False:
        return None
    for place in places:
        for key in _CURSOR_KEYS:
            if place is data and key in ("cursor", "after"):
                continue  # at the top level these name this page's cursor as often as the next
            value = place.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                return _with_param(page_url, _cursor_param(page_url, key), str(value))
    return None


def _cursor_param(page_url: str, key: str) -> str:
    present = dict(parse_qsl(urlsplit(page_url).query))
    for name in ("cursor", "pageToken", "page_token", "after", "continuation", "next"):
        if name in present:
            return name
    return _CURSOR_PARAM.get(key, "cursor")


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [
        (key, val) for key, val in parse_qsl(parts.query, keep_blank_values=True) if key != name
    ]
    query.append((name, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


# --- The crawl's side: caps, "nothing new", the decisions to show on the run --------------
DEFAULT_MAX_LISTING_PAGES = 50
MAX_DECISION_SAMPLES = 40


class ListingCrawl:
    """What one crawl has seen of a source's results pages.

    `follow(page_url, parsed)` is the links to fetch after a page: its kept adverts, and its
    next page unless the listing-page cap is reached or the page brought no advert the crawl
    had not seen (a pager that loops, a site that repeats its last page). `decisions()` is
    the summary kept on the ScrapeRun: how many entries were kept and dropped, why, samples.
    """

    def __init__(self, max_listing_pages: Any = None) -> None:
        try:
            cap = int(max_listing_pages) if max_listing_pages is not None else 0
        except (TypeError, ValueError):
            cap = 0
        self.max_listing_pages = cap if cap > 0 else DEFAULT_MAX_LISTING_PAGES
        self.listing_pages = 0
        self.seen_adverts: set[str] = set()
        self.kept = 0
        self.dropped = 0
        self.reasons: dict[str, int] = {}
        self.samples: list[dict[str, Any]] = []
        self.stopped = ""

    def follow(self, page_url: str, parsed: ParseResult) -> list[str]:
        adverts = [link for link in parsed.links if link.rel == "advert"]
        if not parsed.links:
            return [link for link in parsed.follow if isinstance(link, str)]
        self.listing_pages += 1
        new = [link for link in adverts if link.url not in self.seen_adverts]
        for link in new:
            self.seen_adverts.add(link.url)
            self.tally(link)
        held: set[str] = set()
        if not new or self.listing_pages >= self.max_listing_pages:
            held = {link.url for link in parsed.links if link.rel == "next"}
            if held and not self.stopped:
                self.stopped = (
                    f"stopped paging at {page_url}: it brought no advert not seen before"
                    if not new
                    else f"stopped paging at the cap of {self.max_listing_pages} results pages"
                )
        return [url for url in parsed.follow if isinstance(url, str) and url not in held]

    def tally(self, link: Link) -> None:
        if link.kept:
            self.kept += 1
        else:
            self.dropped += 1
        head = link.reason.split(";")[0].strip() or "no reason given"
        key = f"{'kept' if link.kept else 'dropped'}: {head}"[:120]
        if key in self.reasons or len(self.reasons) < 60:
            self.reasons[key] = self.reasons.get(key, 0) + 1
        if len(self.samples) < MAX_DECISION_SAMPLES:
            self.samples.append(
                {
                    "title": link.title[:200],
                    "url": link.url[:500],
                    "kept": link.kept,
                    "reason": link.reason[:300],
                }
            )

    def decisions(self) -> dict[str, Any]:
        if not self.listing_pages:
            return {}
        return {
            "listing_pages": self.listing_pages,
            "kept": self.kept,
            "dropped": self.dropped,
            "reasons": dict(sorted(self.reasons.items(), key=lambda item: -item[1])),
            "samples": self.samples,
            **({"stopped": self.stopped} if self.stopped else {}),
        }
