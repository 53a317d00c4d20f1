"""The platform adapters' golden pages (tests/fixtures/platforms, written in each
platform's structure by demo/build_recorded.py --fixtures) and a local server for them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.scrapers.servers import LocalServer, send

ROOT = Path(__file__).resolve().parents[2] / "fixtures" / "platforms"
INDEX: dict[str, dict[str, Any]] = json.loads((ROOT / "index.json").read_text("utf-8"))
SOURCES: list[dict[str, Any]] = json.loads((ROOT / "sources.json").read_text("utf-8"))
EXPECTED: dict[str, dict[str, Any]] = {
    item["source"]: item for item in json.loads((ROOT / "expected.json").read_text("utf-8"))
}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def body(url: str) -> tuple[str, str]:
    entry = INDEX[url]
    return (ROOT / entry["file"]).read_text("utf-8"), entry["content_type"]


@dataclass
class ServedPlatform:
    """Every golden page on one local server: each page's hosts become the server's."""

    server: LocalServer
    start_url: str

    @classmethod
    def serve(cls, server: LocalServer, source: dict[str, Any]) -> ServedPlatform:
        hosts = sorted({origin(url) for url in INDEX}, key=len, reverse=True)
        local = server.url("").rstrip("/")
        pattern = re.compile("|".join(re.escape(host) for host in hosts))
        by_path: dict[str, tuple[bytes, str]] = {}
        for url in INDEX:
            text, content_type = body(url)
            parts = urlsplit(url)
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            by_path.setdefault(key, (pattern.sub(local, text).encode(), content_type))

        def handler(request: Any) -> None:
            found = by_path.get(request.path)
            if found is None:
                send(request, 404, b"not here", "text/plain")
            else:
                send(request, 200, found[0], found[1])

        for key in by_path:
            server.route(key.split("?", 1)[0], handler)
        return cls(server, pattern.sub(local, source["start_url"]))
