"""`manage.py extract PATH_OR_URL`: print the normalised records of one page as JSON.

For people checking what the scraper makes of a page, and for writing golden files. It
never touches the database. A URL goes through the fetch layer (robots, limits, SSRF
guard); a local file is read as bytes and decoded like a fetched page. The page's kind
(HTML, Markdown with or without front matter, plain text, JSON-LD, RSS/Atom) is detected
from its content unless --adapter names one.

The page is read as a crawl reads it (`scrapers.pipeline.dry_run`): the same adapter, the
same options, the same results-page reading. A results page yields no record of its own:
`--links` prints `{"records": [...], "links": [{"url", "rel", "title", ...}]}` with its
advert links (`rel` "advert", with `kept` and the `reason` of the doctoral check) and its
next page (`rel` "next"). A page that yields neither a record nor an advert link is an
error (exit status 1, the reason on stderr).
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scrapers import UnknownAdapter
from scrapers.adapters import ParseError
from scrapers.records import Page


class Command(BaseCommand):
    help = "Print the normalised records of one page (a URL or a local file) as a JSON list."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path_or_url", help="an http(s) URL or a local HTML/Markdown/text/feed file"
        )
        parser.add_argument(
            "--base-url",
            help="the page's URL, for a local file: makes relative links absolute and is the records' url",
        )
        parser.add_argument("--adapter", help="adapter name (default: detected from the content)")
        parser.add_argument(
            "--options",
            default="{}",
            help="adapter options as a JSON object (as in Source.options)",
        )
        parser.add_argument(
            "--today", help="YYYY-MM-DD: the date year-less dates are resolved against"
        )
        parser.add_argument(
            "--with-description", action="store_true", help="include description_html/_text"
        )
        parser.add_argument(
            "--links",
            action="store_true",
            help='print {"records": [...], "links": [...]}: the advert and next-page links too',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from scrapers.extract import page_from_text
        from scrapers.pipeline import dry_run

        target: str = options["path_or_url"]
        adapter: str | None = options["adapter"]
        adapter_options = _json_object(options["options"])
        today = _date(options["today"]) if options["today"] else None
        if target.startswith(("http://", "https://")):
            page = _fetch(target)
        else:
            page = _read_file(Path(target), options["base_url"])
        page = page_from_text(page.text, page.url, page.content_type or None)
        try:
            result = dry_run(page, adapter=adapter, options=adapter_options, today=today)
        except UnknownAdapter as error:
            raise CommandError(str(error)) from error
        except ParseError as error:
            raise CommandError(f"cannot read {target}: {error}") from error
        adverts = result.advert_links()
        if not result.records and not adverts:
            raise CommandError(
                f"nothing found in {target}: no advert and no advert links "
                f"(read with the {result.adapter} adapter)"
            )
        records = [
            record.to_json(with_description=options["with_description"])
            for record in result.records
        ]
        if adverts:
            kept = sum(1 for link in adverts if link.kept)
            self.stderr.write(
                f"results page: {len(adverts)} advert links ({kept} followed), "
                f"next page {result.next_url() or 'none'}; {len(records)} records"
            )
        payload: Any = records
        if options["links"]:
            payload = {"records": records, "links": [link.to_json() for link in result.links]}
        self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise CommandError(f"--options is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise CommandError("--options must be a JSON object")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--today must be YYYY-MM-DD, not {text!r}") from error


def _read_file(path: Path, base_url: str | None) -> Page:
    if not path.exists():
        raise CommandError(f"no such file: {path}")
    if not path.is_file():
        raise CommandError(f"not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error}") from error
    text = _decode(data)
    if not text.strip():
        raise CommandError(f"{path} is empty")
    url = base_url or path.resolve().as_uri()
    # The content type stays empty: the page's kind is detected from its content.
    return Page(url=url, text=text, content_type="")


def _decode(data: bytes) -> str:
    """A local file is decoded like a fetched page: BOM, meta charset, XML declaration, detection."""
    try:
        fetch = importlib.import_module("scrapers.fetch")
    except ImportError:
        fetch = None
    if fetch is not None and hasattr(fetch, "decode_body"):
        text, _encoding = fetch.decode_body(data)
        return str(text)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("utf-8", errors="replace")


def _fetch(url: str) -> Page:
    try:
        fetch = importlib.import_module("scrapers.fetch")
    except ImportError as error:
        raise CommandError(
            f"fetching URLs needs scrapers.fetch, which is missing: {error}"
        ) from error
    accept = getattr(fetch, "ACCEPT_ANY_TEXT", None)
    try:
        result = fetch.fetch_page(url, accept=accept) if accept else fetch.fetch_page(url)
    except Exception as error:  # every FetchError subclass, reported as a clear message
        raise CommandError(f"cannot fetch {url}: {error}") from error
    if hasattr(result, "page"):
        page: Page = result.page()
        return page
    return Page(
        url=url,
        text=str(getattr(result, "text", "")),
        content_type=str(getattr(result, "content_type", "")),
    )
