"""The fetch layer: the only package that talks HTTP (and the only one importing httpx).

Every adapter's pages come through `fetch_page()` / `Fetcher.fetch()`, so politeness and
safety live in one place. Its modules, in the order a request meets them:

- `base`: the content types an adapter may ask for, the errors, `FetchResult`.
- `client`: `Fetcher` and `fetch_page()`: redirects followed by hand and each hop checked
  again; a content-type allow-list per call; connect and read timeouts plus a total
  deadline.
- `robots`: robots.txt per RFC 9309 (protego): a 4xx means "no rules", a 5xx or an
  unreachable server means "disallowed for now"; cached in Redis for up to 24 h;
  Crawl-delay honoured up to settings.SCRAPER_MAX_CRAWL_DELAY.
- `politeness`: one request in flight per host across all processes (a Redis lock) and a
  minimum delay between requests to a host; retries with exponential backoff and jitter on
  timeouts, 429 and 5xx (Retry-After honoured up to a cap); a circuit breaker pauses a host
  that keeps failing.
- `guard`: the SSRF guard at the socket: only http(s), only the allowed ports, the host
  resolved once and every address checked, then the connection made to exactly that
  address (the TLS SNI and the Host header keep the name), so DNS rebinding has no window.
  Proxies from the environment are ignored. Every socket read is clamped to the deadline.
- `decoding`: the decoded body is capped while it streams (our own bounded
  gzip/deflate/br/zstd decoders, so a compression bomb stops after the cap, not after the
  whole bomb); text decoded from bytes: BOM, Content-Type charset, <meta charset>, XML
  declaration, then charset-normalizer; never httpx's guess.
- `replay`: when settings.SCRAPER_REPLAY_DIR is set, requests are served from recorded
  pages (`ReplayTransport`) instead of the network, through the same limits and decoding.

Import what you need from `scrapers.fetch` itself; the names below are its interface.
"""

from scrapers.fetch.base import (
    ACCEPT_ANY_TEXT,
    ACCEPT_FEED,
    ACCEPT_HTML,
    ACCEPT_JSON,
    ACCEPT_MARKDOWN,
    ACCEPT_TEXT,
    KEY_PREFIX,
    REDIRECT_STATUSES,
    ROBOTS_MAX_BYTES,
    BadContentType,
    Blocked,
    BrokenResponse,
    ConnectionFailed,
    FetchError,
    FetchResult,
    FetchTimeout,
    Gone,
    GoneError,
    HostPaused,
    HTTPStatusError,
    RobotsDisallowed,
    SSRFRefused,
    Timeout,
    TLSFailed,
    TooLarge,
    TooManyRedirects,
)
from scrapers.fetch.client import Fetcher, fetch_page
from scrapers.fetch.decoding import ACCEPT_ENCODING, decode_body
from scrapers.fetch.guard import (
    GuardedTransport,
    _GuardedBackend,
    address_refusal,
    check_scheme,
    guard_host,
    parse_ip_literal,
    request_body,
)
from scrapers.fetch.politeness import host_key, redis_client
from scrapers.fetch.replay import ReplayTransport

__all__ = [
    "ACCEPT_ANY_TEXT",
    "ACCEPT_ENCODING",
    "ACCEPT_FEED",
    "ACCEPT_HTML",
    "ACCEPT_JSON",
    "ACCEPT_MARKDOWN",
    "ACCEPT_TEXT",
    "KEY_PREFIX",
    "REDIRECT_STATUSES",
    "ROBOTS_MAX_BYTES",
    "BadContentType",
    "Blocked",
    "BrokenResponse",
    "ConnectionFailed",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "Gone",
    "GoneError",
    "GuardedTransport",
    "HTTPStatusError",
    "HostPaused",
    "ReplayTransport",
    "RobotsDisallowed",
    "SSRFRefused",
    "TLSFailed",
    "Timeout",
    "TooLarge",
    "TooManyRedirects",
    "_GuardedBackend",
    "address_refusal",
    "check_scheme",
    "decode_body",
    "fetch_page",
    "guard_host",
    "host_key",
    "parse_ip_literal",
    "redis_client",
    "request_body",
]
