"""The fetcher: one URL in, a `FetchResult` out, with every rule of the fetch layer
(robots, politeness, limits, redirects checked hop by hop, retries). Raises a FetchError
subclass."""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from scrapers.fetch.base import (
    ACCEPT_HTML,
    REDIRECT_STATUSES,
    BrokenResponse,
    ConnectionFailed,
    FetchError,
    FetchResult,
    FetchTimeout,
    GoneError,
    HTTPStatusError,
    SSRFRefused,
    TLSFailed,
    TooLarge,
    TooManyRedirects,
    _setting,
)
from scrapers.fetch.decoding import (
    _SNIFFABLE,
    ACCEPT_ENCODING,
    _accept_header,
    _check_content_type,
    _read_capped,
    decode_body,
)
from scrapers.fetch.guard import (
    GuardedTransport,
    _deadline,
    _request_body,
    check_scheme,
    guard_host,
)
from scrapers.fetch.politeness import Politeness, _default_port, _retry_after_seconds, host_key
from scrapers.fetch.replay import ReplayTransport
from scrapers.fetch.robots import RobotsRules, _Robots

logger = logging.getLogger("scrapers.fetch")


# --- The fetcher ----------------------------------------------------------------------------
class Fetcher(Politeness, RobotsRules):
    """Fetches pages politely and safely. One per scrape run (it keeps a connection pool).

    `min_delay` is the minimum gap between two requests to one host (the Source's
    min_delay_seconds, else settings.SCRAPER_MIN_HOST_DELAY); robots.txt's Crawl-delay can
    only lengthen it.
    """

    def __init__(
        self,
        *,
        min_delay: float | None = None,
        user_agent: str | None = None,
        replay_dir: str | Path | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        keepalive: Callable[[], None] | None = None,
    ) -> None:
        self.min_delay = float(
            _setting("SCRAPER_MIN_HOST_DELAY", 2.0) if min_delay is None else min_delay
        )
        self.user_agent = user_agent or _setting("SCRAPER_USER_AGENT", "phd-aggregator")
        replay = replay_dir if replay_dir is not None else _setting("SCRAPER_REPLAY_DIR", "")
        self.replaying = transport is None and bool(replay)
        if transport is None:
            transport = ReplayTransport(replay) if replay else GuardedTransport()
        self._sleep = sleep
        # Called every second or so while this fetcher waits (for a host, a delay, a
        # retry), so a caller holding a lease (the scrape run's source lock) can renew it.
        self._keepalive = keepalive
        self._client = httpx.Client(
            transport=transport,
            trust_env=False,
            follow_redirects=False,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=httpx.Timeout(
                connect=_setting("SCRAPER_CONNECT_TIMEOUT", 10.0),
                read=_setting("SCRAPER_READ_TIMEOUT", 15.0),
                write=_setting("SCRAPER_READ_TIMEOUT", 15.0),
                pool=_setting("SCRAPER_CONNECT_TIMEOUT", 10.0),
            ),
        )
        self._robots_memo: dict[str, _Robots] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API --------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        accept: Iterable[str] = ACCEPT_HTML,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """Fetch one URL: robots, politeness, limits, retries. Raises a FetchError subclass."""
        check_scheme(url)
        accept = tuple(accept)
        max_retries = int(_setting("SCRAPER_MAX_RETRIES", 3))
        attempt = 0
        while True:
            self._check_breaker(url)
            try:
                result = self._fetch_following_redirects(
                    url, accept=accept, etag=etag, last_modified=last_modified, max_bytes=max_bytes
                )
            except FetchError as error:
                if not error.url:
                    error.url = url
                if not error.retryable:
                    raise
                wait = self._retry_wait(error, attempt)
                if attempt >= max_retries or wait is None:
                    self._record_failure(url)
                    raise
                logger.info("retrying %s in %.1f s after: %s", url, wait, error)
                self._wait(wait)
                attempt += 1
                continue
            self._record_success(url)
            return result

    # -- the HTTP exchange ------------------------------------------------------------------------
    def _fetch_following_redirects(
        self,
        url: str,
        *,
        accept: tuple[str, ...],
        etag: str | None,
        last_modified: str | None,
        max_bytes: int | None,
    ) -> FetchResult:
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = self._exchange_following_redirects(
            url, accept=accept, max_bytes=max_bytes, headers=headers, robots_check=True
        )
        status = result.status
        if status == 304:
            return result
        if status in (404, 410):
            raise GoneError(f"{result.url} is gone (HTTP {status})", url=url, status=status)
        if status == 429 or status >= 500:
            raise HTTPStatusError(
                f"{result.url} answered HTTP {status}"
                + (" (too many requests)" if status == 429 else " (server error)"),
                url=url,
                status=status,
                retry_after=_retry_after_seconds(result.headers.get("retry-after")),
            )
        if not 200 <= status < 300:
            raise HTTPStatusError(f"{result.url} answered HTTP {status}", url=url, status=status)
        return result

    def _exchange_following_redirects(
        self,
        url: str,
        *,
        accept: tuple[str, ...] | None,
        max_bytes: int | None,
        headers: dict[str, str],
        robots_check: bool,
        truncate: bool = False,
    ) -> FetchResult:
        limit = int(max_bytes or _setting("SCRAPER_MAX_BODY_BYTES", 5 * 1024 * 1024))
        max_redirects = int(_setting("SCRAPER_MAX_REDIRECTS", 5))
        current = url
        seen: list[str] = []
        for _hop in range(max_redirects + 1):
            check_scheme(current)
            if not self.replaying:
                # Refuse early and clearly; the socket layer checks again when it dials.
                parts = urlsplit(current)
                guard_host(parts.hostname or "", parts.port or _default_port(parts.scheme))
            if robots_check:
                self._check_robots(current)
            result, location = self._exchange(
                current,
                requested=url,
                accept=accept,
                limit=limit,
                headers=headers,
                truncate=truncate,
            )
            if location is None:
                return result
            seen.append(current)
            current = location
            headers = {}  # validators belong to the first URL only
        chain = " -> ".join([*seen, current])
        raise TooManyRedirects(f"gave up after {max_redirects} redirects: {chain}", url=url)

    def _exchange(
        self,
        url: str,
        *,
        requested: str,
        accept: tuple[str, ...] | None,
        limit: int,
        headers: dict[str, str],
        truncate: bool,
    ) -> tuple[FetchResult, str | None]:
        total = float(_setting("SCRAPER_TOTAL_TIMEOUT", 30.0))
        with self._host_slot(url):
            token = _deadline.set(time.monotonic() + total)
            try:
                return self._send(url, requested, accept, limit, headers, truncate, total)
            except httpx.TimeoutException as error:
                raise FetchTimeout(
                    f"{url} took too long ({type(error).__name__}; limits: connect "
                    f"{_setting('SCRAPER_CONNECT_TIMEOUT', 10.0)} s, read "
                    f"{_setting('SCRAPER_READ_TIMEOUT', 15.0)} s, total {total} s)",
                    url=url,
                ) from error
            except httpx.ConnectError as error:
                if isinstance(error.__cause__, ssl.SSLError) or "CERTIFICATE" in str(error):
                    raise TLSFailed(
                        f"the TLS certificate of {host_key(url)} is not valid for it: {error}",
                        url=url,
                    ) from error
                raise ConnectionFailed(
                    f"cannot connect to {host_key(url)}: {error}", url=url
                ) from error
            except httpx.NetworkError as error:
                raise ConnectionFailed(
                    f"cannot connect to {host_key(url)}: {error}", url=url
                ) from error
            except httpx.RemoteProtocolError as error:
                raise BrokenResponse(f"{url} sent a broken response: {error}", url=url) from error
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise SSRFRefused(f"refused the malformed URL {url!r}: {error}", url=url) from error
            except httpx.HTTPError as error:
                raise FetchError(f"fetching {url} failed: {error}", url=url) from error
            finally:
                _deadline.reset(token)

    def _send(
        self,
        url: str,
        requested: str,
        accept: tuple[str, ...] | None,
        limit: int,
        headers: dict[str, str],
        truncate: bool,
        total: float,
    ) -> tuple[FetchResult, str | None]:
        request_headers = {"Accept": _accept_header(accept), **headers}
        body = _request_body.get()
        if body is not None:
            request_headers["Content-Type"] = "application/json"
        request = self._client.build_request(
            "GET" if body is None else "POST", url, headers=request_headers, content=body
        )
        response = self._client.send(request, stream=True)
        try:
            response_headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code in REDIRECT_STATUSES and response.headers.get("location"):
                location = urljoin(url, response.headers["location"].strip())
                return FetchResult(
                    url=url,
                    requested_url=requested,
                    status=response.status_code,
                    headers=response_headers,
                ), location
            content_type_header = response.headers.get("content-type", "")
            media_type = content_type_header.split(";", 1)[0].strip().lower()
            common = {
                "url": url,
                "requested_url": requested,
                "status": response.status_code,
                "content_type": media_type,
                "content_type_header": content_type_header,
                "etag": response.headers.get("etag", ""),
                "last_modified": response.headers.get("last-modified", ""),
                "headers": response_headers,
            }
            if response.status_code == 304:
                return FetchResult(**common, not_modified=True), None
            if not 200 <= response.status_code < 300:
                return FetchResult(**common), None
            declared = response.headers.get("content-length", "")
            encoding_header = response.headers.get("content-encoding", "")
            if declared.isdigit() and int(declared) > limit and not truncate:
                raise TooLarge(
                    f"{url} announces {int(declared):,} bytes; the limit is {limit:,} bytes",
                    url=url,
                )
            if accept is not None and media_type not in accept and media_type not in _SNIFFABLE:
                # Refused before a byte of the body is read.
                _check_content_type(url, media_type, b"", accept)
            body = _read_capped(response, encoding_header, limit, url, truncate, total)
            if accept is not None:
                media_type = _check_content_type(url, media_type, body, accept)
            text, encoding = decode_body(
                body, content_type_header=content_type_header, media_type=media_type
            )
            common["content_type"] = media_type
            return FetchResult(**common, body=body, text=text, encoding=encoding), None
        finally:
            response.close()


def fetch_page(
    url: str,
    *,
    accept: Iterable[str] = ACCEPT_HTML,
    etag: str | None = None,
    last_modified: str | None = None,
    min_delay: float | None = None,
    fetcher: Fetcher | None = None,
) -> FetchResult:
    """Fetch one page with every rule of this module. Raises a FetchError subclass."""
    if fetcher is not None:
        return fetcher.fetch(url, accept=accept, etag=etag, last_modified=last_modified)
    with Fetcher(min_delay=min_delay) as own:
        return own.fetch(url, accept=accept, etag=etag, last_modified=last_modified)
