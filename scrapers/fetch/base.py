"""What every part of the fetch layer shares: the content types an adapter may ask for,
the settings it reads, its errors and its result."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings

from scrapers.records import Page

# --- Content types an adapter may ask for ------------------------------------------------
ACCEPT_HTML: Final = ("text/html", "application/xhtml+xml")
ACCEPT_FEED: Final = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
ACCEPT_JSON: Final = ("application/json", "application/ld+json", "application/feed+json")
ACCEPT_MARKDOWN: Final = ("text/markdown", "text/x-markdown")
ACCEPT_TEXT: Final = ("text/plain",)
ACCEPT_ANY_TEXT: Final = ACCEPT_HTML + ACCEPT_FEED + ACCEPT_JSON + ACCEPT_MARKDOWN + ACCEPT_TEXT

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES: Final = 512 * 1024  # RFC 9309 asks parsers to read at least 500 KiB
KEY_PREFIX: Final = "scrape:"


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- Errors --------------------------------------------------------------------------------
class FetchError(Exception):
    """A page could not be fetched. The message says why, in words a person understands."""

    retryable: bool = False

    def __init__(self, message: str, *, url: str = "", retry_after: float | None = None):
        super().__init__(message)
        self.url = url
        self.retry_after = retry_after


class SSRFRefused(FetchError):
    """The URL points somewhere we never fetch from (a private address, an odd port...)."""


Blocked = SSRFRefused


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL, or robots.txt could not be read (5xx, unreachable)."""


class TooLarge(FetchError):
    """The body is larger than settings.SCRAPER_MAX_BODY_BYTES once decoded."""


class FetchTimeout(FetchError):
    retryable = True


Timeout = FetchTimeout


class ConnectionFailed(FetchError):
    retryable = True


class TLSFailed(FetchError):
    """The TLS handshake failed, e.g. the certificate is not valid for the host name."""


class BrokenResponse(FetchError):
    """The server broke the protocol or closed the connection mid-body."""

    retryable = True


class TooManyRedirects(FetchError):
    pass


class BadContentType(FetchError):
    pass


class HTTPStatusError(FetchError):
    def __init__(
        self, message: str, *, url: str = "", status: int, retry_after: float | None = None
    ):
        super().__init__(message, url=url, retry_after=retry_after)
        self.status = status
        self.retryable = status == 429 or status >= 500


class GoneError(HTTPStatusError):
    """404 or 410: the page is gone; a listing on it should be marked gone."""


Gone = GoneError


class HostPaused(FetchError):
    """The host failed too often in a row; the circuit breaker pauses it for a while."""


# --- Results --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FetchResult:
    """A fetched page. `not_modified` is True for a 304 answer to a conditional GET."""

    url: str  # the final URL, after redirects
    requested_url: str
    status: int
    content_type: str = ""  # media type, lower case, without parameters
    content_type_header: str = ""
    body: bytes = b""
    text: str = ""
    encoding: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def page(self) -> Page:
        return Page(
            url=self.url, text=self.text, content_type=self.content_type, status=self.status
        )
