"""robots.txt per RFC 9309 (protego): a 4xx means "no rules", a 5xx or an unreachable
server means "disallowed for now"; cached in Redis for up to 24 h; Crawl-delay honoured up
to settings.SCRAPER_MAX_CRAWL_DELAY. `RobotsRules` is a part of `Fetcher`."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from scrapers.fetch.base import (
    KEY_PREFIX,
    ROBOTS_MAX_BYTES,
    FetchError,
    FetchResult,
    RobotsDisallowed,
    SSRFRefused,
    TLSFailed,
    _setting,
)
from scrapers.fetch.decoding import decode_body
from scrapers.fetch.guard import request_body
from scrapers.fetch.politeness import host_key, redis_client


@dataclass
class _Robots:
    kind: str  # "rules" | "allow_all" | "disallow_all"
    body: str = ""
    reason: str = ""
    _parsed: Protego | None = field(default=None, init=False, repr=False)

    def parser(self) -> Protego | None:
        if self.kind != "rules":
            return None
        if self._parsed is None:
            self._parsed = Protego.parse(self.body)
        return self._parsed

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "body": self.body, "reason": self.reason})


class RobotsRules:
    """The robots.txt part of `Fetcher`: reads, caches and applies a host's rules."""

    user_agent: str
    replaying: bool
    _robots_memo: dict[str, _Robots]

    if TYPE_CHECKING:

        def _exchange_following_redirects(
            self,
            url: str,
            *,
            accept: tuple[str, ...] | None,
            max_bytes: int | None,
            headers: dict[str, str],
            robots_check: bool,
            truncate: bool = False,
        ) -> FetchResult: ...

    def robots_allows(self, url: str) -> bool:
        robots = self._robots_for(url)
        if robots.kind == "allow_all":
            return True
        if robots.kind == "disallow_all":
            return False
        parser = robots.parser()
        return bool(parser is None or parser.can_fetch(url, self.user_agent))

    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        if origin in self._robots_memo:
            return self._robots_memo[origin]
        cache_key = f"{KEY_PREFIX}robots:{origin}"
        cached = None if self.replaying else redis_client().get(cache_key)
        if cached is not None:
            robots = _Robots(**json.loads(cached))
        else:
            robots, ttl = self._download_robots(origin + "/robots.txt")
            if not self.replaying:
                redis_client().set(cache_key, robots.to_json(), ex=ttl)
        self._robots_memo[origin] = robots
        return robots

    def _download_robots(self, robots_url: str) -> tuple[_Robots, int]:
        day = int(_setting("SCRAPER_ROBOTS_CACHE_SECONDS", 24 * 3600))
        retry_soon = int(_setting("SCRAPER_ROBOTS_ERROR_CACHE_SECONDS", 600))
        try:
            with request_body(None):  # robots.txt is always a GET
                response = self._exchange_following_redirects(
                    robots_url,
                    accept=None,
                    max_bytes=ROBOTS_MAX_BYTES,
                    headers={},
                    robots_check=False,
                    truncate=True,
                )
        except (SSRFRefused, TLSFailed):
            raise  # clearer as they are than as "robots.txt unreachable"
        except FetchError as error:
            # RFC 9309 2.3.1.4: unreachable means "assume complete disallow" for now.
            return _Robots("disallow_all", reason=f"robots.txt unreachable: {error}"), retry_soon
        if 200 <= response.status < 300:
            text, _ = decode_body(response.body, content_type_header="text/plain; charset=utf-8")
            return _Robots("rules", body=text), day
        if 400 <= response.status < 500:
            return _Robots("allow_all", reason=f"robots.txt answered {response.status}"), day
        return (
            _Robots("disallow_all", reason=f"robots.txt answered {response.status}"),
            retry_soon,
        )

    def _check_robots(self, url: str) -> None:
        robots = self._robots_for(url)
        if robots.kind == "disallow_all":
            raise RobotsDisallowed(
                f"not fetching {url}: its robots.txt could not be read ({robots.reason}), "
                "which RFC 9309 treats as 'disallow everything' for now",
                url=url,
            )
        if not self.robots_allows(url):
            raise RobotsDisallowed(f"robots.txt of {host_key(url)} disallows {url}", url=url)

    def _crawl_delay(self, url: str) -> float:
        robots = self._robots_memo.get(
            urlunsplit((urlsplit(url).scheme.lower(), urlsplit(url).netloc.lower(), "", "", ""))
        )
        parser = robots.parser() if robots else None
        if parser is None:
            return 0.0
        delay = parser.crawl_delay(self.user_agent)
        return min(float(delay or 0.0), float(_setting("SCRAPER_MAX_CRAWL_DELAY", 30.0)))
