"""Record a source's pages into a folder of recorded responses (needs the network).

    manage.py record "University jobs" --out tests/fixtures/recorded/university_jobs
    manage.py record https://example.org/phd/123 --adapter generic --out demo/recorded

The folder gets the pages' bytes as served and an index.json mapping each URL to
{"file", "status", "content_type", "headers"}: the format ReplayTransport serves with
settings.SCRAPER_REPLAY_DIR or `manage.py scrape --replay DIR`. Run it again to add or
refresh pages; existing entries for other URLs are kept.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrapers import UnknownAdapter, fetch, get_adapter
from scrapers.models import Source
from scrapers.pipeline import accept_for

EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/json": ".json",
    "application/ld+json": ".json",
    "application/feed+json": ".json",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "text/plain": ".txt",
}


def recorded_file_name(url: str, content_type: str) -> str:
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.hostname or ''}{parts.path}").strip("-")[:60]
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    extension = EXTENSIONS.get(content_type, ".xml" if "xml" in content_type else ".bin")
    return f"pages/{slug or 'page'}-{digest}{extension}"


class Command(BaseCommand):
    help = "Record a source's pages (start page and followed pages) as replayable fixtures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source_or_url", help="A source's name or id, or a URL")
        parser.add_argument("--out", required=True, help="The folder to write (created)")
        parser.add_argument("--adapter", help="For a URL: the adapter that finds followed pages")
        parser.add_argument("--max-pages", type=int, default=None, help="Default: the source's")

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["source_or_url"]
        source = _find_source(target)
        if source is not None:
            start, adapter_name, max_pages = source.start_url, source.adapter, source.max_pages
            delay: float | None = source.min_delay_seconds
        elif urlsplit(target).scheme in {"http", "https"}:
            start, adapter_name, max_pages, delay = target, options["adapter"], 1, None
        else:
            raise CommandError(f"{target!r} is neither a source (name or id) nor an http(s) URL")
        if options["max_pages"] is not None:
            max_pages = options["max_pages"]
        elif source is None and adapter_name:
            max_pages = 50
        try:
            adapter = get_adapter(adapter_name) if adapter_name else None
        except UnknownAdapter as error:
            raise CommandError(str(error)) from error
        accept = accept_for(adapter_name, adapter) if adapter else fetch.ACCEPT_ANY_TEXT

        out = Path(options["out"])
        (out / "pages").mkdir(parents=True, exist_ok=True)
        index_path = out / "index.json"
        index: dict[str, Any] = json.loads(index_path.read_text()) if index_path.exists() else {}
        queue, queued, recorded = deque([start]), {start}, 0
        # Never from recorded pages: this command exists to capture the live site.
        with fetch.Fetcher(min_delay=delay, replay_dir="") as fetcher:
            while queue and recorded < max_pages:
                url = queue.popleft()
                try:
                    result = fetcher.fetch(url, accept=accept)
                except fetch.FetchError as error:
                    self.stderr.write(f"skipped {url}: {error}")
                    continue
                file_name = recorded_file_name(result.url, result.content_type)
                (out / file_name).write_bytes(result.body)
                headers = {
                    name: value
                    for name, value in (
                        ("ETag", result.etag),
                        ("Last-Modified", result.last_modified),
                    )
                    if value
                }
                index[result.url] = {
                    "file": file_name,
                    "status": result.status,
                    "content_type": result.content_type_header or result.content_type,
                    "headers": headers,
                }
                if result.url != url:
                    index[url] = {"status": 301, "headers": {"Location": result.url}}
                recorded += 1
                self.stdout.write(f"recorded {result.url} -> {file_name}")
                if adapter is None:
                    continue
                try:
                    parsed = adapter.parse(result.page())
                except Exception as error:  # the page is recorded; following is best effort
                    self.stderr.write(f"could not parse {url} to follow its links: {error}")
                    continue
                for link in parsed.follow:
                    link = urldefrag(link)[0]
                    if link not in queued and urlsplit(link).scheme in {"http", "https"}:
                        queued.add(link)
                        queue.append(link)
        index_path.write_text(json.dumps(index, indent=2, sort_keys=True) + "\n")
        self.stdout.write(
            self.style.SUCCESS(f"Recorded {recorded} page(s) into {out} ({len(index)} in index)")
        )


def _find_source(target: str) -> Source | None:
    if target.isdigit():
        found = Source.objects.filter(pk=int(target)).first()
        if found is not None:
            return found
    return Source.objects.filter(name__iexact=target).first()
