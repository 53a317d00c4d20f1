"""Recorded responses: with settings.SCRAPER_REPLAY_DIR set, pages come from a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from scrapers.fetch.base import FetchError


class ReplayTransport(httpx.BaseTransport):
    """Serves recorded pages from a folder: `index.json` maps an absolute URL to
    {"file", "status", "content_type", "headers", "recorded_on"}. An unknown URL is a
    404; nothing touches the network. With `recorded_on` (YYYY-MM-DD) the page's dates
    are moved by the days since then (scrapers.replay_dates)."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory).resolve()
        index_path = self.directory / "index.json"
        try:
            self.index: dict[str, dict[str, Any]] = json.loads(index_path.read_text("utf-8"))
        except FileNotFoundError as error:
            raise FileNotFoundError(f"no recorded pages: {index_path} does not exist") from error

    def lookup(self, url: str) -> dict[str, Any] | None:
        without_fragment = url.split("#", 1)[0]
        return self.index.get(url) or self.index.get(without_fragment)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        entry = self.lookup(str(request.url))
        if entry is None:
            return httpx.Response(
                404,
                headers={"content-type": "text/plain"},
                content=b"not recorded",
                request=request,
            )
        headers = {str(k).lower(): str(v) for k, v in (entry.get("headers") or {}).items()}
        headers["content-type"] = entry.get("content_type") or headers.get(
            "content-type", "text/html; charset=utf-8"
        )
        status = int(entry.get("status", 200))
        etag = headers.get("etag")
        if etag and request.headers.get("if-none-match") == etag:
            return httpx.Response(304, headers={"etag": etag}, request=request)
        body = b""
        if entry.get("file"):
            path = (self.directory / str(entry["file"])).resolve()
            if not path.is_relative_to(self.directory):
                raise FetchError(
                    f"the recorded file {entry['file']!r} lies outside {self.directory}"
                )
            body = path.read_bytes()
        if body and entry.get("recorded_on"):
            # A recorded page's dates move with the calendar, so the demo never goes stale.
            from scrapers.replay_dates import days_since, shift_dates

            days = days_since(str(entry["recorded_on"]))
            body = shift_dates(body.decode("utf-8", errors="replace"), days).encode("utf-8")
        headers.pop("content-encoding", None)
        headers.pop("content-length", None)
        headers.pop("transfer-encoding", None)
        return httpx.Response(
            status, headers=headers, stream=httpx.ByteStream(body), request=request
        )
