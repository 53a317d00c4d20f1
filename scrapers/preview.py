"""The "test parse" preview: what a source would yield, fetched and parsed now, no DB write.

The admin shows this before a source is saved, so an adapter that finds nothing (or the
wrong things) on a page is caught before the first scheduled run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError

from .validators import validate_public_url

logger = logging.getLogger(__name__)


@dataclass
class PreviewRecord:
    url: str
    data: dict[str, Any]
    completeness: int
    confidence: float


@dataclass
class SourcePreview:
    pages: list[str] = field(default_factory=list)
    records: list[PreviewRecord] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The first results page's links (adverts with their decisions, the next page).
    links: list[Any] = field(default_factory=list)

    @property
    def advert_links(self) -> list[Any]:
        return [link for link in self.links if link.rel == "advert"]

    @property
    def next_url(self) -> str | None:
        return next((link.url for link in self.links if link.rel == "next"), None)

    @property
    def summary(self) -> str:
        """What `manage.py extract` says of the page: "results page: N advert links ..."."""
        records = f"{len(self.records)} records"
        adverts = self.advert_links
        if not adverts:
            return records
        kept = sum(1 for link in adverts if link.kept)
        return (
            f"results page: {len(adverts)} advert links ({kept} followed), "
            f"next page {self.next_url or 'none'}; {records}"
        )


def _fetch(url: str, module: Any = None) -> Any:
    # The fetch layer is the only code that talks HTTP; imported when used.
    from scrapers.fetch import ACCEPT_ANY_TEXT, fetch_page, request_body

    # A platform that lists by POST (Workday) says which body a URL needs, as in a crawl.
    body_for = getattr(module, "request_body", None)
    with request_body(body_for(url) if callable(body_for) else None):
        return fetch_page(url, accept=ACCEPT_ANY_TEXT).page()


def source_preview(
    *,
    start_url: str,
    adapter: str,
    options: dict[str, Any] | None = None,
    max_pages: int = 5,
    first_page: Any = None,
) -> SourcePreview:
    """Fetch the start page (and up to `max_pages` - 1 pages it leads to), parse with the
    source's adapter and options as a crawl does (scrapers.pipeline), normalise.
    `first_page` is the start page when the caller has just fetched it."""
    from positions.services import position_completeness
    from scrapers import get_adapter, listing_facts
    from scrapers.pagination import ListingCrawl
    from scrapers.pipeline import parse_with

    preview = SourcePreview()
    try:
        validate_public_url(start_url)
    except ValidationError as error:
        preview.errors.extend(error.messages)
        return preview
    try:
        module = get_adapter(adapter)
        from scrapers.normalize import normalize
    except (LookupError, ImportError) as error:
        preview.errors.append(f"the adapter {adapter!r} cannot be loaded: {error}")
        return preview
    paging = ListingCrawl((options or {}).get("max_listing_pages"))
    queue = [start_url]
    seen: set[str] = set()
    entries: dict[str, Any] = {}  # what the results page says of each advert, as a crawl
    while queue and len(preview.pages) < max_pages:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            page = (
                first_page if first_page is not None and url == start_url else _fetch(url, module)
            )
        except Exception as error:  # any failure is shown, never raised
            preview.errors.append(f"fetch {url}: {error}")
            continue
        preview.pages.append(url)
        try:
            result = parse_with(module, page, options or None)
        except Exception as error:  # any failure is shown, never raised
            logger.info("test parse of %s failed", url, exc_info=True)
            preview.errors.append(f"parse {url}: {type(error).__name__}: {error}")
            continue
        entries.update(listing_facts.of_links(result.links, url))
        entry = entries.get(url) if len(result.records) == 1 else None
        for raw in result.records:
            try:
                record = listing_facts.apply(normalize(raw), entry)
            except Exception as error:
                preview.errors.append(f"normalise {raw.url}: {type(error).__name__}: {error}")
                continue
            preview.records.append(
                PreviewRecord(
                    url=record.url,
                    data=record.to_json(),
                    completeness=position_completeness(cast(Any, _RecordFacts(record))),
                    confidence=record.confidence,
                )
            )
        if result.links and not preview.links:
            preview.links = result.links
        for link in paging.follow(url, result):
            if link not in seen and link not in queue:
                queue.append(link)
                if link not in preview.follow:
                    preview.follow.append(link)
    return preview


class _RecordFacts:
    """A PositionRecord seen through the Position attributes completeness reads."""

    def __init__(self, record: Any) -> None:
        stipend = record.stipend
        self.deadline = record.deadline
        self.deadline_kind = record.deadline_kind
        self.funding = record.funding
        self.stipend_amount = stipend.amount if stipend else None
        self.pay_scale = (stipend.pay_scale or "") if stipend else ""
        self.duration_months = record.duration_months
        self.eligibility = record.eligibility
        self.open_to = record.open_to
        self.supervisors = record.supervisors
