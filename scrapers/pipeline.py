"""Scrape one source: fetch -> parse -> normalise -> store, with a ScrapeRun to show for it.

Where a page becomes a position, in the order of this file:

1. `scrape_source()` (near the end) takes the source's lock, opens a ScrapeRun and a
   fetcher, and runs a `_Crawl`.
2. `_Crawl.run_all()` walks the queue of URLs from Source.start_url, following the links
   the adapter returns in ParseResult.follow (detail pages, the next results page),
   de-duplicated and bounded by Source.max_pages.
3. `_Crawl.page()` fetches one URL (scrapers.fetch), skips it when unchanged since the last
   run, and parses it with the source's adapter: `parse_with()` -> ParseResult of RawRecords.
4. `_Crawl.store()` normalises each RawRecord (`normalize_record()`, scrapers/normalize/)
   into a PositionRecord.
5. `_Crawl.store_page()` is where the page's records become positions: one call of
   `positions.services.positions_upsert_from_records`, positions' one entry point, which
   types each record once (positions/records.py) and creates or updates its Listing and
   Position. `_Crawl.count()` adds the outcome to the run; a new position is checked for
   duplicates.
6. `_finish_crawl()` sets the run's status, counts listings the run did not see, finishes it.

`dry_run()` parses and normalises one page as steps 3 and 4 do, storing nothing.

One bad page or item fails alone (a ScrapeError row with its URL and stage); a page's
records are stored together, and one by one, each in its own transaction, when that fails.

A page that has not changed since the last run (304 to a conditional GET, or the same
body hash) is not parsed and writes nothing: what it yielded last time (its record URLs
and follow links) is kept in Redis and reused.

Only one run per source at a time: a Redis lock whose lease the run keeps renewing, and the
database's partial unique index on ScrapeRun(source) WHERE status='running'. A run left
'running' by a worker that died is recovered: resumed by the same (redelivered) task, or
closed as failed when another task takes over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urldefrag, urlsplit

import redis
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction

from positions import services
from positions.models import Listing
from positions.outage import READ_ONLY_SQLSTATE, sqlstate
from scrapers import UnknownAdapter, fetch, get_adapter, listing_facts
from scrapers.models import ScrapeError, ScrapeRun, Source
from scrapers.pagination import ListingCrawl
from scrapers.records import Link, Page, ParseResult, PositionRecord, RawRecord

# The run's own rows (ScrapeRun, ScrapeError, the source's schedule and health) are written
# by scrapers/services.py; positions by positions.services.
from scrapers.services import SourceBusy as SourceBusy
from scrapers.services import run_begin as _begin_run
from scrapers.services import run_finish as _finish_run
from scrapers.services import run_record_error as _record_error
from scrapers.services import run_save_counts as _save_counts
from scrapers.services import sources_claim_due as sources_claim_due

logger = logging.getLogger(__name__)

PAGE_CACHE_SECONDS = 30 * 24 * 3600

# The content types each adapter reads; an adapter module may declare its own ACCEPT.
ADAPTER_ACCEPT: dict[str, tuple[str, ...]] = {
    "feed": fetch.ACCEPT_FEED + fetch.ACCEPT_JSON + fetch.ACCEPT_HTML,
    "jsonld": fetch.ACCEPT_HTML + fetch.ACCEPT_JSON,
    "lab_page": fetch.ACCEPT_HTML + fetch.ACCEPT_MARKDOWN + fetch.ACCEPT_TEXT,
    # JSON too: an API's list of jobs is a results page (scrapers/listing.py).
    "generic": fetch.ACCEPT_HTML + fetch.ACCEPT_MARKDOWN + fetch.ACCEPT_TEXT + fetch.ACCEPT_JSON,
    "aggregator": fetch.ACCEPT_HTML + fetch.ACCEPT_FEED + fetch.ACCEPT_JSON,
}


@dataclass
class Progress:
    """What a progress bar needs: called after every page."""

    source: Source
    run: ScrapeRun
    url: str
    pages_done: int
    pages_queued: int


@dataclass
class _PageMemory:
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    follow: list[str] = field(default_factory=list)
    record_urls: list[str] = field(default_factory=list)


# --- Helpers -------------------------------------------------------------------------------
def parse_with(
    adapter: ModuleType, page: Page, options: Mapping[str, Any] | None = None
) -> ParseResult:
    """One page through one adapter: how every crawl, `manage.py extract` and the admin's
    Test parse read a page."""
    parsed = adapter.parse(page, options or None)
    if not isinstance(parsed, ParseResult):
        raise TypeError(f"the adapter returned {type(parsed).__name__}, not ParseResult")
    return _with_links(parsed)


def _with_links(parsed: ParseResult) -> ParseResult:
    if not parsed.links and parsed.follow and not parsed.records:
        # An adapter that only lists what to fetch: those are its adverts.
        parsed.links = [Link(url=url, rel="advert") for url in parsed.follow]
    return parsed


@dataclass
class DryRun:
    """A page read as a crawl reads it, nothing stored."""

    records: list[PositionRecord]
    links: list[Link]
    adapter: str

    def next_url(self) -> str | None:
        return next((link.url for link in self.links if link.rel == "next"), None)

    def advert_links(self) -> list[Link]:
        return [link for link in self.links if link.rel == "advert"]


def dry_run(
    page: Page,
    *,
    adapter: str | None = None,
    options: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> DryRun:
    """Parse and normalise one page with the source's adapter (or the one its content calls
    for) and options, as the crawl does, storing nothing. Raises the adapter's ParseError
    or UnknownAdapter."""
    from scrapers.adapters import detect_adapter, parse_page
    from scrapers.normalize import normalize

    name = adapter or detect_adapter(page)
    if adapter:
        parsed = parse_with(get_adapter(adapter), page, options)
    else:  # the guessed adapter, or the generic one when the guess refuses the page
        parsed = _with_links(parse_page(page, options=options))
    return DryRun(
        records=[normalize(raw, today=today) for raw in parsed.records],
        links=parsed.links,
        adapter=name,
    )


def normalize_record(raw: RawRecord) -> PositionRecord:
    record: PositionRecord = _normalizer()(raw)
    return record


def _normalizer() -> Callable[[RawRecord], PositionRecord]:
    from scrapers.normalize import normalize  # imported on first use: it loads data files
    from scrapers.normalize.registry import registry

    # The institution index (~27,000 rows) takes seconds to build on a process's first
    # record: built here, before a run takes its source's lease, not while holding it.
    registry()
    return normalize


def accept_for(adapter_name: str, adapter: ModuleType) -> tuple[str, ...]:
    declared = getattr(adapter, "ACCEPT", None)
    if declared:
        return tuple(declared)
    return ADAPTER_ACCEPT.get(adapter_name, fetch.ACCEPT_HTML)


def _canonical(url: str) -> str:
    return urldefrag(url.strip())[0]


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


@lru_cache(maxsize=32)
def _code_fingerprint(adapter_module: str) -> str:
    """Changes when the adapter or the normaliser changes, so unchanged pages get parsed
    again after an upgrade instead of keeping what the old code made of them."""
    digest = hashlib.sha256(adapter_module.encode())
    scrapers_dir = Path(__file__).resolve().parent
    paths = [scrapers_dir / "records.py", *sorted((scrapers_dir / "normalize").rglob("*.py"))]
    try:
        module = get_adapter_module_file(adapter_module)
        if module:
            paths.append(module)
    except Exception:  # a fingerprint must never fail the run
        logger.debug("no source file for adapter %s", adapter_module)
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
    return digest.hexdigest()[:16]


def get_adapter_module_file(adapter_name: str) -> Path | None:
    module_file = getattr(get_adapter(adapter_name), "__file__", None)
    return Path(module_file) if module_file else None


def _page_key(source: Source, url: str) -> str:
    options = json.dumps(source.options, sort_keys=True, default=str)
    digest = hashlib.sha256(
        f"{_code_fingerprint(source.adapter)}\n{source.adapter}\n{options}\n{url}".encode()
    ).hexdigest()[:32]
    return f"{fetch.KEY_PREFIX}page:{source.pk}:{digest}"


def _recall_page(source: Source, url: str) -> _PageMemory | None:
    raw = fetch.redis_client().get(_page_key(source, url))
    if raw is None:
        return None
    try:
        return _PageMemory(**json.loads(raw))
    except (TypeError, ValueError):
        return None


def _remember_page(source: Source, url: str, memory: _PageMemory) -> None:
    fetch.redis_client().set(
        _page_key(source, url), json.dumps(memory.__dict__), ex=PAGE_CACHE_SECONDS
    )


def _source_lock(source_id: int) -> Any:
    lease = float(getattr(settings, "SCRAPER_SOURCE_LOCK_SECONDS", 300))
    return fetch.redis_client().lock(
        f"{fetch.KEY_PREFIX}source:{source_id}:lock", timeout=lease, blocking=False
    )


def _keep_validators(
    source: Source,
    url: str,
    result: fetch.FetchResult,
    known_listings: dict[str, tuple[str, str]],
) -> None:
    """Store an advert page's ETag/Last-Modified on its listing, only when they changed."""
    validators = (result.etag[:300], result.last_modified[:100])
    if known_listings.get(url) == validators:
        return
    Listing.objects.filter(source=source, url=url).update(
        etag=validators[0], last_modified=validators[1]
    )
    known_listings[url] = validators


# --- The crawl -----------------------------------------------------------------------------
@dataclass
class _Crawl:
    source: Source
    run: ScrapeRun
    fetcher: fetch.Fetcher
    adapter: ModuleType
    accept: tuple[str, ...]
    full: bool
    heartbeat: Callable[[], None]
    on_progress: Callable[[Progress], None] | None
    seen_record_urls: set[str] = field(default_factory=set)
    # False when some page could not be read: listings not seen may still exist there.
    complete: bool = True
    fatal: str = ""
    paging: ListingCrawl = field(default_factory=ListingCrawl)
    # advert URL -> what its results page's entry says of it (scrapers/listing_facts.py)
    entries: dict[str, listing_facts.EntryFacts] = field(default_factory=dict)

    def run_all(self) -> None:
        start = _canonical(self.source.start_url)
        queue: deque[str] = deque([start])
        queued = {start}
        # url -> (etag, last_modified) of this source's listings: the validators for a
        # conditional GET when Redis has no memory of the page.
        known_listings: dict[str, tuple[str, str]] = {
            url: (etag, last_modified)
            for url, etag, last_modified in Listing.objects.filter(source=self.source).values_list(
                "url", "etag", "last_modified"
            )
        }
        while queue:
            if self.run.pages_fetched >= self.source.max_pages:
                self.complete = False
                self.run.message = f"stopped at the page limit ({self.source.max_pages} pages)"
                break
            url = queue.popleft()
            self.heartbeat()
            follow = self.page(url, is_start=url == start, known_listings=known_listings)
            for link in follow:
                link = _canonical(link)
                if link not in queued and _is_web_url(link):
                    queued.add(link)
                    queue.append(link)
            _save_counts(self.run)
            if self.on_progress is not None:
                self.on_progress(
                    Progress(self.source, self.run, url, self.run.pages_fetched, len(queue))
                )
            if self.fatal:
                break

    def page(
        self, url: str, *, is_start: bool, known_listings: dict[str, tuple[str, str]]
    ) -> list[str]:
        memory = None if self.full else _recall_page(self.source, url)
        if memory is not None and not set(memory.record_urls) <= known_listings.keys():
            # Something it yielded is no longer stored (deleted since): parse it again.
            memory = None
        if memory is None and not self.full and any(known_listings.get(url, ("", ""))):
            # An advert's own page that Redis forgot: its listing keeps the validators.
            etag, last_modified = known_listings[url]
            memory = _PageMemory(etag=etag, last_modified=last_modified, record_urls=[url])
        # An adapter whose platform lists by POST says which body a URL needs.
        body_for = getattr(self.adapter, "request_body", None)
        try:
            with fetch.request_body(body_for(url) if callable(body_for) else None):
                result = self.fetcher.fetch(
                    url,
                    accept=self.accept,
                    etag=memory.etag if memory else None,
                    last_modified=memory.last_modified if memory else None,
                )
        except fetch.GoneError as error:
            if url in known_listings:
                listing = Listing.objects.get(source=self.source, url=url)
                self.run.closed += services.listing_mark_gone(
                    listing=listing, reason=f"its page is gone: {error}", run=self.run
                )
                self.seen_record_urls.discard(url)
                return []
            return self.fetch_failed(url, error, is_start)
        except fetch.HostPaused as error:
            # Every further page of this host would fail the same way: stop here.
            self.fetch_failed(url, error, is_start)
            self.fatal = str(error)
            return []
        except fetch.FetchError as error:
            return self.fetch_failed(url, error, is_start)
        self.run.pages_fetched += 1
        if memory is not None and (
            result.not_modified or result.content_hash == memory.content_hash
        ):
            # Unchanged since the last run: no parse, no database write.
            self.seen_record_urls.update(memory.record_urls)
            self.run.found += len(memory.record_urls)
            self.run.unchanged += len(memory.record_urls)
            return memory.follow
        try:
            parsed = parse_with(self.adapter, result.page(), self.source.options or None)
        except Exception as error:  # adapters are code we test, pages are not
            logger.warning("parse failed for %s: %s", url, error)
            _record_error(self.run, url, ScrapeError.Stage.PARSE, error)
            self.complete = False
            if is_start:
                self.fatal = f"the start page could not be parsed: {error}"
            return []
        self.entries.update(listing_facts.of_links(parsed.links, url))
        entry = self.entries.get(url) if len(parsed.records) == 1 else None
        record_urls, clean = self.store(parsed.records, page_url=url, entry=entry)
        if url in record_urls and (result.etag or result.last_modified):
            _keep_validators(self.source, url, result, known_listings)
        follow = self.paging.follow(url, parsed)
        if clean:
            _remember_page(
                self.source,
                url,
                _PageMemory(
                    etag=result.etag,
                    last_modified=result.last_modified,
                    content_hash=result.content_hash,
                    follow=follow,
                    record_urls=record_urls,
                ),
            )
        return follow

    def fetch_failed(self, url: str, error: fetch.FetchError, is_start: bool) -> list[str]:
        logger.warning("fetch failed for %s: %s", url, error)
        _record_error(self.run, url, ScrapeError.Stage.FETCH, error)
        self.complete = False
        if is_start:
            self.fatal = f"the start page could not be fetched: {error}"
        return []

    def store(
        self,
        raws: Iterable[RawRecord],
        *,
        page_url: str,
        entry: listing_facts.EntryFacts | None = None,
    ) -> tuple[list[str], bool]:
        """Normalise each record (an advert's record gets what its results page's `entry`
        adds), then store the page's records together. Returns the URLs seen and whether
        every record went through."""
        record_urls: list[str] = []
        clean = True
        page: list[tuple[RawRecord, PositionRecord, str]] = []
        for raw in raws:
            self.heartbeat()
            self.run.found += 1
            item_url = (raw.url or page_url)[:2000]
            record_urls.append(item_url)
            self.seen_record_urls.add(item_url)
            try:
                record = listing_facts.apply(normalize_record(raw), entry)
            except Exception as error:  # one bad item fails alone
                self.item_failed(item_url, ScrapeError.Stage.NORMALIZE, error)
                clean = False
                continue
            if record.url and record.url != item_url:
                record_urls.append(record.url)
                self.seen_record_urls.add(record.url)
            page.append((raw, record, record.url or item_url))
        if page:
            self.heartbeat()
            clean = self.store_page(page) and clean
        return record_urls, clean

    def store_page(self, page: list[tuple[RawRecord, PositionRecord, str]]) -> bool:
        """Here a page becomes positions.

        Store a page's records in one positions_upsert_from_records call (a constant
        number of queries for its new and unchanged adverts, issue 7). The call runs in a
        transaction of its own: when one record fails, nothing of the page is kept and
        the records are stored again one by one, so that the bad one fails alone and the
        counts say what each record did. Returns whether every record went through."""
        try:
            with transaction.atomic():
                results = services.positions_upsert_from_records(
                    records=[record for _raw, record, _url in page],
                    source=self.source,
                    run=self.run,
                    raws=[raw for raw, _record, _url in page],
                )
        except Exception as error:
            _raise_if_database_away(error)
            logger.info(
                "storing %d records together failed (%s): storing them one by one",
                len(page),
                error,
            )
        else:
            for result in results:
                self.count(result)
            return True
        clean = True
        for raw, record, url in page:
            self.heartbeat()
            try:
                result = services.position_upsert_from_record(
                    record=record, source=self.source, run=self.run, raw=raw
                )
            except Exception as error:  # one bad item fails alone
                _raise_if_database_away(error)
                self.item_failed(url, ScrapeError.Stage.STORE, error)
                clean = False
                continue
            self.count(result)
        return clean

    def count(self, result: services.UpsertResult) -> None:
        """Count a stored record on the run; a new position is checked for duplicates."""
        if result.outcome == "created":
            self.run.created += 1
            self.find_duplicates(result.position)
        elif result.outcome == "updated":
            self.run.updated += 1
        else:
            self.run.unchanged += 1

    def find_duplicates(self, position: Any) -> None:
        """A new position may be an advert another source lists already: merge it when
        certain, queue the pair for an admin when not. A failure here fails nothing."""
        try:
            with transaction.atomic():
                services.position_detect_duplicates(position=position)
        except Exception:
            logger.exception("duplicate detection failed for position %s", position.pk)

    def item_failed(self, url: str, stage: str, error: BaseException) -> None:
        logger.warning("%s failed for %s: %s", stage, url, error)
        self.run.failed += 1
        _record_error(self.run, url, stage, error)


def scrape_source(
    source_id: int,
    *,
    trigger: str = ScrapeRun.Trigger.SCHEDULE,
    task_id: str = "",
    fetcher: fetch.Fetcher | None = None,
    full: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> ScrapeRun:
    """Scrape one source now, in this process, and return its finished ScrapeRun.

    Raises SourceBusy when another worker holds the source. `full` ignores what is known
    about unchanged pages and parses everything again.
    """
    source = Source.objects.get(pk=source_id)
    # Heavy imports (the adapter, the normaliser's data) happen before the lease starts.
    _normalizer()
    with contextlib.suppress(UnknownAdapter, ImportError):  # reported on the run below
        get_adapter(source.adapter)
    lock = _source_lock(source_id)
    if not lock.acquire():
        own = bool(
            task_id
            and ScrapeRun.objects.filter(
                source=source, status=ScrapeRun.Status.RUNNING, task_id=task_id
            ).exists()
        )
        raise SourceBusy(f"{source.name} is already being scraped", own_stale_run=own)
    try:
        run = _begin_run(source, trigger, task_id)

        def heartbeat() -> None:
            _renew_lease(lock, source, run)

        active: fetch.Fetcher | None = fetcher
        try:
            if active is None:
                active = fetch.Fetcher(min_delay=source.min_delay_seconds, keepalive=heartbeat)
            try:
                adapter = get_adapter(source.adapter)
            except (UnknownAdapter, ImportError) as error:
                _finish_run(run, source, ScrapeRun.Status.FAILED, f"no adapter: {error}")
                return run
            crawl = _Crawl(
                source=source,
                run=run,
                fetcher=active,
                adapter=adapter,
                accept=accept_for(source.adapter, adapter),
                full=full,
                heartbeat=heartbeat,
                on_progress=on_progress,
                paging=ListingCrawl((source.options or {}).get("max_listing_pages")),
            )
            crawl.run_all()
            _finish_crawl(crawl)
        except BaseException as error:
            # A time limit, a lost database: the run must not stay 'running'.
            _safe_fail(run, source, error)
            raise
        finally:
            if fetcher is None and active is not None:
                active.close()
        return run
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:
            logger.warning("the lock on source %s had already expired", source_id)


def _raise_if_database_away(error: Exception) -> None:
    """A record that failed because Postgres went away, or turned read-only (a primary demoted
    or in recovery), is no bad record: the error goes up, the task retries and resumes the
    run, and the record is stored then."""
    if isinstance(error, OperationalError | InterfaceError) and (
        connection.connection is None or not connection.is_usable()
    ):
        raise error
    if isinstance(error, DatabaseError) and sqlstate(error) == READ_ONLY_SQLSTATE:
        raise error


def _renew_lease(lock: Any, source: Source, run: ScrapeRun) -> None:
    """Renew the run's lease on its source. A lease Redis lost (restarted without its data)
    is taken again when nobody else holds it and the run is still ours and running: the
    run goes on. Raises SourceBusy when another worker has the source."""
    try:
        lock.reacquire()
        return
    except redis.exceptions.LockError as error:
        lost = error
    if lock.acquire() and ScrapeRun.objects.filter(pk=run.pk, status=run.Status.RUNNING).exists():
        logger.warning("the lease on %s was lost (%s) and taken again", source.name, lost)
        return
    raise SourceBusy(f"lost the lock on {source.name}: {lost}") from lost


def _finish_crawl(crawl: _Crawl) -> None:
    """The run's status from what the crawl met; listings it did not see are counted as
    missed (a complete crawl only), then the run is finished."""
    run, source = crawl.run, crawl.source
    run.listing_decisions = crawl.paging.decisions()
    if crawl.paging.stopped:
        run.message = (run.message + "\n" if run.message else "") + crawl.paging.stopped
    if crawl.fatal:
        status = ScrapeRun.Status.FAILED
    elif run.errors.exists():
        status = ScrapeRun.Status.PARTIAL
    else:
        status = ScrapeRun.Status.SUCCEEDED
    if status != ScrapeRun.Status.FAILED:
        run.closed += services.listings_record_run(
            source=source,
            seen_urls=crawl.seen_record_urls,
            count_misses=crawl.complete,
            run=run,
        )
    _finish_run(run, source, status, crawl.fatal)


def _safe_fail(run: ScrapeRun, source: Source, error: BaseException) -> None:
    try:
        _save_counts(run)
        _finish_run(
            run, source, ScrapeRun.Status.FAILED, f"stopped: {type(error).__name__}: {error}"
        )
    except Exception:  # the original error matters more
        logger.exception("could not mark run %s as failed", run.pk)


def runs_reap_abandoned() -> list[int]:
    """Mark failed each run left 'running' whose source lock nobody holds: a run is only
    created under that lock and its worker keeps renewing it, so a free lock means the
    worker died (or lost Redis) and no task is resuming the run. The reaper takes the lock
    itself while it marks the run, so a redelivered task cannot resume it meanwhile.
    With Redis away nothing is reaped (it cannot tell): the runs are reaped once it is back."""
    reaped = []
    source_ids = (
        ScrapeRun.objects.filter(status=ScrapeRun.Status.RUNNING)
        .values_list("source_id", flat=True)
        .distinct()
    )
    for source_id in list(source_ids):
        lock = _source_lock(source_id)
        if not lock.acquire():
            continue  # a worker is on it
        try:
            for run in ScrapeRun.objects.filter(
                source_id=source_id, status=ScrapeRun.Status.RUNNING
            ).select_related("source"):
                _finish_run(
                    run,
                    run.source,
                    ScrapeRun.Status.FAILED,
                    "abandoned: the worker running it stopped (marked by the reaper)",
                )
                reaped.append(run.pk)
        finally:
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()
    if reaped:
        logger.warning("marked %d abandoned run(s) failed: %s", len(reaped), reaped)
    return reaped
