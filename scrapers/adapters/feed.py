"""RSS and Atom feeds of job boards (feedparser), following each item to its advert page.

A feed page gives one raw record per item from the feed's own text (title, summary or
content, dates, categories) and puts each item's link in `follow`, so the scrape task
fetches the advert page itself. That detail page comes back to this adapter (the task keeps
one adapter per source): a page that is not a feed is read as a single advert, by the
generic adapter, under the same URL as the item's record, which it then supersedes.

Options (Source.options):
- `follow`: false to keep only the feed's own text (feeds whose items carry the whole
  advert); default true.
- `detail_adapter`: adapter for the detail pages ("generic" by default; "jsonld" when the
  board embeds JobPosting).
- `noise_selectors`, `noise_lines`, `label_aliases`, `content_selector`: passed on to the
  detail page adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import feedparser

from scrapers.adapters import ParseError, generic
from scrapers.adapters._common import (
    absolutize,
    block_text,
    clean_line,
    detect_kind,
    extract_links,
    labelled_fields,
    load_json,
    sanitize_html,
    soup_from_html,
    text_to_html,
    valid_options,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "feed"


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = valid_options(options)
    if detect_kind(page) != "feed":
        return _detail_page(page, options)
    data = load_json(page.text) if page.text.lstrip()[:1] == "{" else None
    if isinstance(data, dict):
        return _json_feed(page, data, options)
    try:
        parsed = feedparser.parse(page.text, sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:  # feedparser wraps most errors, but not all
        raise ParseError(f"unreadable feed: {error}") from error
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception", "") or "no feed element"
        raise ParseError(f"not a readable RSS or Atom feed: {reason}")
    feed_link = clean_line(str(parsed.get("feed", {}).get("link", "") or ""))
    base = absolutize(page.url, feed_link) or page.url
    records: list[RawRecord] = []
    follow: list[str] = []
    for entry in entries:
        record = _entry_record(entry, page.url, base, options)
        if record is None:
            continue
        records.append(record)
        wanted = options.get("follow", True) is not False and record.url.startswith("http")
        if wanted and record.url not in follow and record.url != page.url:
            follow.append(record.url)
    return ParseResult(records=records, follow=follow)


def _detail_page(page: Page, options: Mapping[str, Any]) -> ParseResult:
    from scrapers import get_adapter

    detail = options.get("detail_adapter")
    if not isinstance(detail, str) or detail == NAME:
        # A job board's advert page that embeds JobPosting says more in its markup.
        detail = "jsonld" if detect_kind(page) == "jsonld" else "generic"
    if detail == "generic":
        return ParseResult(records=[generic.parse_single(page, options, adapter=NAME)])
    try:
        result: ParseResult = get_adapter(detail).parse(page, options)
    except ParseError:
        return ParseResult(records=[generic.parse_single(page, options, adapter=NAME)])
    return result


def _json_feed(page: Page, data: dict[str, Any], options: Mapping[str, Any]) -> ParseResult:
    """JSON Feed (jsonfeed.org): the same records as an RSS feed, from its JSON items."""
    items = data.get("items")
    if not isinstance(items, list):
        raise ParseError("a JSON Feed without an items list")
    base = absolutize(page.url, str(data.get("home_page_url") or "")) or page.url
    records: list[RawRecord] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        entry = {
            "link": item.get("url") or item.get("external_url") or "",
            "id": item.get("id") or "",
            "title": item.get("title") or "",
            "summary": item.get("content_html")
            or text_to_html(str(item.get("content_text") or item.get("summary") or "")),
            "published": item.get("date_published") or "",
            "updated": item.get("date_modified") or "",
            "tags": [{"term": tag} for tag in item.get("tags") or [] if isinstance(tag, str)],
        }
        record = _entry_record(entry, page.url, base, options)
        if record is not None:
            records.append(record)
    follow: list[str] = []
    if options.get("follow", True) is not False:
        for record in records:
            if record.url.startswith("http") and record.url not in follow:
                follow.append(record.url)
    return ParseResult(records=records, follow=follow)


def _entry_record(
    entry: dict[str, Any], page_url: str, base: str, options: Mapping[str, Any]
) -> RawRecord | None:
    link = absolutize(base, str(entry.get("link") or "")) or ""
    identifier = clean_line(str(entry.get("id") or entry.get("guid") or ""))
    if not link and identifier.startswith(("http://", "https://")):
        link = identifier
    title = clean_line(str(entry.get("title") or ""))
    body_html = ""
    contents = entry.get("content") or []
    if contents and isinstance(contents, list):
        body_html = "\n".join(
            str(item.get("value", "")) for item in contents if isinstance(item, dict)
        )
    if not body_html:
        body_html = str(entry.get("summary") or entry.get("description") or "")
    if not (link or title or body_html):
        return None
    body_soup = soup_from_html(body_html)
    root = body_soup.body or body_soup
    text = block_text(root)
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}".strip()
    tags = [
        clean_line(str(tag.get("term") or tag.get("label") or ""))
        for tag in entry.get("tags") or []
        if isinstance(tag, dict)
    ]
    meta: dict[str, Any] = {
        "feed_entry": True,
        "published": clean_line(
            str(dict.get(entry, "published") or dict.get(entry, "updated") or "")
        ),
        "updated": clean_line(str(dict.get(entry, "updated") or "")),
        "author": clean_line(str(entry.get("author") or "")),
        "tags": [tag for tag in tags if tag],
        "id": identifier,
        "feed_url": page_url,
    }
    fields = labelled_fields(root, text, options)
    if meta["tags"]:
        fields.setdefault("Keywords", ", ".join(meta["tags"]))
    if meta["published"]:
        fields.setdefault("Published", meta["published"])
    return RawRecord(
        url=link or f"{page_url}#{identifier or title}",
        title=title,
        text=text,
        html=sanitize_html(body_html),
        fields=fields,
        meta=meta,
        links=extract_links(root, link or base),
        source_item_id=identifier or link,
        adapter=NAME,
    )
