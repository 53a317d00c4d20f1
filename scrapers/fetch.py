"""The fetch layer: the only module that talks HTTP (and the only one importing httpx).

Every adapter's pages come through `fetch_page()` / `Fetcher.fetch()`, so politeness and
safety live in one place:

- robots.txt per RFC 9309 (protego): a 4xx means "no rules", a 5xx or an unreachable
  server means "disallowed for now"; cached in Redis for up to 24 h; Crawl-delay honoured
  up to settings.SCRAPER_MAX_CRAWL_DELAY.
- one request in flight per host across all processes (a Redis lock) and a minimum delay
  between requests to a host (a last-request timestamp in Redis).
- limits: the decoded body is capped while it streams (our own bounded gzip/deflate/br/zstd
  decoders, so a compression bomb stops after the cap, not after the whole bomb); connect
  and read timeouts plus a total deadline that every socket read is clamped to (a server
  that drips one byte a second cannot hold us); redirects followed by hand and each hop
  checked again; a content-type allow-list per call.
- an SSRF guard at the socket: only http(s), only the allowed ports, the host resolved
  once and every address checked, then the connection made to exactly that address (the
  TLS SNI and the Host header keep the name), so DNS rebinding has no window. Proxies from
  the environment are ignored.
- retries with exponential backoff and jitter on timeouts, 429 and 5xx (Retry-After
  honoured up to a cap); a circuit breaker pauses a host that keeps failing.
- text decoded from bytes: BOM, Content-Type charset, <meta charset>, XML declaration,
  then charset-normalizer; never httpx's guess.

When settings.SCRAPER_REPLAY_DIR is set, requests are served from recorded pages
(`ReplayTransport`) instead of the network, through the same limits and decoding.
"""

from __future__ import annotations

import codecs
import contextvars
import email.utils
import hashlib
import ipaddress
import json
import logging
import random
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urljoin, urlsplit, urlunsplit

import brotli
import httpcore
import httpx
import redis
import zstandard
from charset_normalizer import from_bytes
from django.conf import settings
from protego import Protego

from scrapers.records import Page

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


# --- The SSRF guard ----------------------------------------------------------------------------
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_LEGACY_IPV4 = re.compile(r"^[0-9a-fA-FxX.]+$")


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes by itself, including the legacy IPv4 spellings.

    `127.1`, `0x7f000001`, `2130706433` and `017700000001` all mean 127.0.0.1 to the C
    resolver (inet_aton), so they are addresses, not names.
    """
    candidate = host.strip().strip("[]").rstrip(".")
    if "%" in candidate:  # an IPv6 zone index: never a public address
        candidate = candidate.split("%", 1)[0]
    try:
        return ipaddress.ip_address(candidate)
    except ValueError:
        pass
    if candidate and _LEGACY_IPV4.match(candidate) and any(ch.isdigit() for ch in candidate):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(candidate))
        except OSError:
            return None
    return None


def address_refusal(address: IPAddress) -> str | None:
    """Why a connection to this address is refused, or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if address.ipv4_mapped is not None:
            embedded.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            embedded.append(address.sixtofour)
        if address.teredo is not None:
            embedded.extend(address.teredo)
        if address in _IPV4_COMPATIBLE or address in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        for inner in embedded:
            reason = address_refusal(inner)
            if reason:
                return f"{reason} embedded in the IPv6 address {address}"
    if address.is_unspecified:
        return f"{address} is the unspecified address"
    if address.is_loopback:
        return f"{address} is a loopback address"
    if address.is_link_local:
        return f"{address} is a link-local address (cloud metadata services live there)"
    if address.is_multicast:
        return f"{address} is a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CGNAT:
        return f"{address} is a carrier-grade NAT address"
    if address.is_private:
        return f"{address} is a private network address"
    if address.is_reserved:
        return f"{address} is a reserved address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def _private_allow_list() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    names: set[str] = set()
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for entry in _setting("SCRAPER_ALLOWED_PRIVATE_HOSTS", []):
        entry = str(entry).strip()
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return names, networks


def _resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to (the outer boundary tests may replace)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectionFailed(f"cannot resolve the host name {host!r}: {error}") from error
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        raise SSRFRefused(
            f"refused {url!r}: only http and https URLs are fetched, not {scheme or 'no scheme'!r}",
            url=url,
        )


def guard_host(host: str, port: int) -> list[str]:
    """Resolve a host once and return its addresses if every one may be connected to.

    Raises SSRFRefused before any connection is made otherwise.
    """
    allowed_names, allowed_networks = _private_allow_list()
    name = host.strip("[]").lower().rstrip(".")
    literal = parse_ip_literal(name)
    addresses = [str(literal)] if literal is not None else _resolve(name, port)
    if not addresses:
        raise ConnectionFailed(f"the host name {host!r} has no address")
    name_allowed = name in allowed_names
    every_address_allowed = True
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if name_allowed or any(address in network for network in allowed_networks):
            continue
        every_address_allowed = False
        reason = address_refusal(address)
        if reason:
            shown = host if literal is None else f"{host} ({address})"
            raise SSRFRefused(f"refused to connect to {shown}: {reason}")
    if not (name_allowed or every_address_allowed) and port not in _setting(
        "SCRAPER_ALLOWED_PORTS", [80, 443]
    ):
        raise SSRFRefused(
            f"refused to connect to {host} on port {port}: only ports "
            f"{', '.join(map(str, _setting('SCRAPER_ALLOWED_PORTS', [80, 443])))} are allowed"
        )
    return [str(ipaddress.ip_address(a.split("%", 1)[0])) for a in addresses]


# --- A network backend that connects only to checked addresses, within the deadline ---------
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None
)
# The body of the request being made: set by `request_body()` around a fetch, for the
# platforms whose list is an API answering POST only (Workday's careers-site JSON).
_request_body: contextvars.ContextVar[bytes | None] = contextvars.ContextVar(
    "scraper_request_body", default=None
)


@contextmanager
def request_body(body: bytes | None) -> Iterator[None]:
    """Fetch with POST and this JSON body inside the block (GET when `body` is None)."""
    token = _request_body.set(body)
    try:
        yield
    finally:
        _request_body.reset(token)


def _clamp(timeout: float | None) -> float | None:
    """Shorten a socket timeout so no read outlives the total deadline of the fetch."""
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise httpcore.ReadTimeout("the total deadline of the fetch has passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _clamp(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        # Resolve and check once, then dial exactly the checked address: the origin's name
        # still goes into SNI and Host because httpcore takes those from the URL.
        addresses = guard_host(host, port)
        error: Exception | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(
                    address, port, _clamp(timeout), local_address, socket_options
                )
                return _DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise SSRFRefused("refused: unix sockets are never fetched")


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the SSRF guard and the deadline wired into its sockets."""

    def __init__(self, *, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(),
        )


# --- Recorded responses ----------------------------------------------------------------------
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


# --- Bounded content decoding ------------------------------------------------------------------
_PIECE = 64 * 1024


def _gzip_or_zlib(chunks: Iterator[bytes], wbits: int) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(wbits)
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = decompressor.decompress(data, _PIECE)
            except zlib.error as error:
                raise BrokenResponse(f"the compressed body is corrupt: {error}") from error
            if out:
                yield out
            if decompressor.eof:
                # gzip allows concatenated members; anything after is another member.
                data = decompressor.unused_data
                if data:
                    decompressor = zlib.decompressobj(wbits)
                continue
            data = decompressor.unconsumed_tail


def _deflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    # "deflate" is zlib-wrapped per the RFC, but some servers send raw deflate.
    first = next(chunks, b"")
    wbits = zlib.MAX_WBITS if first[:1] and (first[0] & 0x0F) == 8 else -zlib.MAX_WBITS

    def rest() -> Iterator[bytes]:
        yield first
        yield from chunks

    return _gzip_or_zlib(rest(), wbits)


def _brotli(chunks: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = brotli.Decompressor()
    for chunk in chunks:
        try:
            out = decompressor.process(chunk, output_buffer_limit=_PIECE)
            if out:
                yield out
            while not decompressor.can_accept_more_data():
                out = decompressor.process(b"", output_buffer_limit=_PIECE)
                if out:
                    yield out
        except brotli.error as error:
            raise BrokenResponse(f"the brotli body is corrupt: {error}") from error


class _ChunkReader:
    """A file-like view of an iterator of byte chunks, for zstandard's bounded reader."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _zstd(chunks: Iterator[bytes]) -> Iterator[bytes]:
    try:
        reader: Any = _ChunkReader(chunks)  # file-like: read(size) is all zstandard uses
        yield from zstandard.ZstdDecompressor().read_to_iter(
            reader, read_size=16 * 1024, write_size=_PIECE
        )
    except zstandard.ZstdError as error:
        raise BrokenResponse(f"the zstd body is corrupt: {error}") from error


_DECODERS: dict[str, Callable[[Iterator[bytes]], Iterator[bytes]]] = {
    "gzip": lambda chunks: _gzip_or_zlib(chunks, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda chunks: _gzip_or_zlib(chunks, 16 + zlib.MAX_WBITS),
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}
ACCEPT_ENCODING: Final = "gzip, deflate, br, zstd"


def _decoded(chunks: Iterator[bytes], content_encoding: str) -> Iterator[bytes]:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    stream = chunks
    for coding in codings:  # applied in order, so undone in order listed
        if coding == "identity":
            continue
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise BrokenResponse(f"the server used an unknown content encoding {coding!r}")
        stream = decoder(stream)
    return stream


# --- Encoding -------------------------------------------------------------------------------
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.+-]{1,40})""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})"""
)
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# WHATWG: these labels mean windows-1252 in practice.
_WHATWG_ALIASES: Final = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def _header_charset(content_type_header: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type_header, re.IGNORECASE)
    return match.group(1) if match else None


def _detect(sample: bytes) -> str:
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return "cp1252"
    # Ties are common between the Latin code pages; windows-1252 is by far the most
    # frequent legacy encoding on the Web, so it wins a tie.
    tied = [m for m in matches if m.chaos == best.chaos and m.coherence == best.coherence]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return _codec(best.encoding) or "cp1252"


def decode_body(
    body: bytes, *, content_type_header: str = "", media_type: str = ""
) -> tuple[str, str]:
    """Decide the encoding from the bytes (BOM, header, meta, XML declaration, detection)."""
    encoding: str | None = None
    for bom, name in _BOMS:
        if body.startswith(bom):
            encoding = name
            break
    if encoding is None:
        encoding = _codec(_header_charset(content_type_header))
    head = body[:4096]
    if encoding is None and ("html" in media_type or not media_type):
        match = _META_CHARSET.search(head)
        encoding = _codec(match.group(1).decode("ascii")) if match else None
        if encoding in {"utf-16", "utf-16-le", "utf-16-be"}:
            encoding = "utf-8"  # WHATWG: a meta tag cannot declare UTF-16 in ASCII bytes
    if encoding is None and ("xml" in media_type or head.lstrip().startswith(b"<?xml")):
        match = _XML_DECLARATION.search(head)
        encoding = _codec(match.group(1).decode("ascii")) if match else None
    if encoding is None:
        try:
            body.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = _detect(body[:200_000])
    return body.decode(encoding, errors="replace"), encoding


# --- Redis: robots cache, host lock and delay, circuit breaker ------------------------------
@lru_cache(maxsize=4)
def _redis_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def redis_client() -> redis.Redis:
    return _redis_for(settings.REDIS_URL)


def _default_port(scheme: str) -> int:
    return 443 if scheme.lower() == "https" else 80


def host_key(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or _default_port(parts.scheme)
    return f"{(parts.hostname or '').lower()}:{port}"


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


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


# --- The fetcher ----------------------------------------------------------------------------
class Fetcher:
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

    def robots_allows(self, url: str) -> bool:
        robots = self._robots_for(url)
        if robots.kind == "allow_all":
            return True
        if robots.kind == "disallow_all":
            return False
        parser = robots.parser()
        return bool(parser is None or parser.can_fetch(url, self.user_agent))

    def _wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (remaining := end - time.monotonic()) > 0:
            self._sleep(min(remaining, 1.0))
            if self._keepalive is not None:
                self._keepalive()

    # -- retries and the circuit breaker -------------------------------------------------------
    def _retry_wait(self, error: FetchError, attempt: int) -> float | None:
        cap = float(_setting("SCRAPER_MAX_RETRY_WAIT", 120.0))
        if error.retry_after is not None:
            if error.retry_after > cap:
                # Waiting less than the server asked would be rude; pause the host instead.
                self._pause(
                    error.url, error.retry_after, f"asked to wait {error.retry_after:.0f} s"
                )
                return None
            return error.retry_after
        base = float(_setting("SCRAPER_BACKOFF_BASE", 1.0))
        return float(min(cap, base * (2**attempt) + random.uniform(0, base)))

    def _breaker_keys(self, url: str) -> tuple[str, str]:
        host = host_key(url)
        return f"{KEY_PREFIX}breaker:{host}:failures", f"{KEY_PREFIX}breaker:{host}:paused"

    def _check_breaker(self, url: str) -> None:
        if self.replaying:
            return
        _, paused_key = self._breaker_keys(url)
        client = redis_client()
        reason: Any = client.get(paused_key)
        if reason is not None:
            ttl = client.ttl(paused_key)
            raise HostPaused(
                f"{host_key(url)} is paused for another {max(int(ttl), 0)} s: "
                f"{reason.decode('utf-8', 'replace')}",
                url=url,
            )

    def _pause(self, url: str, seconds: float, reason: str) -> None:
        _, paused_key = self._breaker_keys(url)
        redis_client().set(paused_key, reason, ex=max(1, int(seconds)))

    def _record_failure(self, url: str) -> None:
        if self.replaying:
            return
        failures_key, _ = self._breaker_keys(url)
        client = redis_client()
        failures = int(client.incr(failures_key))
        client.expire(failures_key, 24 * 3600)
        threshold = int(_setting("SCRAPER_BREAKER_FAILURES", 5))
        if failures >= threshold:
            pause = float(_setting("SCRAPER_BREAKER_PAUSE_SECONDS", 1800))
            self._pause(url, pause, f"{failures} fetches in a row failed")
            client.delete(failures_key)

    def _record_success(self, url: str) -> None:
        if not self.replaying:
            redis_client().delete(self._breaker_keys(url)[0])

    # -- robots.txt ------------------------------------------------------------------------------
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

    # -- politeness: one request per host at a time, spaced ------------------------------------
    @contextmanager
    def _host_slot(self, url: str) -> Iterator[None]:
        if self.replaying:
            yield
            return
        host = host_key(url)
        delay = max(self.min_delay, self._crawl_delay(url))
        client = redis_client()
        total = float(_setting("SCRAPER_TOTAL_TIMEOUT", 30.0))
        lock = client.lock(
            f"{KEY_PREFIX}host:{host}:lock",
            # Held for one request only, which the total deadline bounds: a dead holder's
            # lock expires soon after.
            timeout=total + float(_setting("SCRAPER_HOST_LOCK_MARGIN", 5.0)),
            sleep=0.05,
        )
        give_up = time.monotonic() + float(_setting("SCRAPER_HOST_LOCK_WAIT", 300.0))
        while not lock.acquire(blocking_timeout=1.0):
            if self._keepalive is not None:
                self._keepalive()
            if time.monotonic() > give_up:
                raise FetchTimeout(
                    f"waited too long for another fetch from {host} to finish", url=url
                )
        last_key = f"{KEY_PREFIX}host:{host}:last"
        try:
            last = client.get(last_key)
            if last is not None:
                wait = float(last) + delay - time.time()
                if wait > 0:
                    self._wait(wait)
            yield
        finally:
            client.set(last_key, repr(time.time()), ex=max(60, int(delay * 2) + 1))
            try:
                lock.release()
            except redis.exceptions.LockError:
                logger.warning("the host lock for %s expired while fetching", host)

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


def _accept_header(accept: tuple[str, ...] | None) -> str:
    if not accept:
        return "*/*"
    return ", ".join(accept) + ", */*;q=0.1"


_SNIFFABLE: Final = frozenset({"", "application/octet-stream"})


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "text/html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed")):
        return "application/xml"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return ""


def _check_content_type(url: str, media_type: str, body: bytes, accept: tuple[str, ...]) -> str:
    if media_type in accept:
        return media_type
    if media_type in _SNIFFABLE:
        sniffed = _sniff(body)
        if sniffed in accept:
            return sniffed
    wanted = ", ".join(accept)
    raise BadContentType(
        f"{url} is {media_type or 'of no stated type'}, not one of the types this source expects ({wanted})",
        url=url,
    )


def _read_capped(
    response: httpx.Response,
    content_encoding: str,
    limit: int,
    url: str,
    truncate: bool,
    total: float,
) -> bytes:
    """Read the decoded body, stopping as soon as it passes `limit` bytes."""
    raw_seen = 0

    def raw_chunks() -> Iterator[bytes]:
        nonlocal raw_seen
        for chunk in response.iter_raw():
            raw_seen += len(chunk)
            if raw_seen > limit and not truncate:
                raise TooLarge(
                    f"{url} is larger than the limit of {limit:,} bytes"
                    + (f" even compressed ({content_encoding})" if content_encoding else "")
                    + "; stopped reading",
                    url=url,
                )
            yield chunk
            if _deadline_passed():
                raise FetchTimeout(
                    f"{url} took longer than the total deadline of {total} s", url=url
                )

    body = bytearray()
    for piece in _decoded(raw_chunks(), content_encoding):
        body += piece
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise TooLarge(
                f"{url} is larger than the limit of {limit:,} bytes once decoded; stopped reading"
                + (f" (content encoding {content_encoding})" if content_encoding else ""),
                url=url,
            )
        if _deadline_passed():
            raise FetchTimeout(f"{url} took longer than the total deadline of {total} s", url=url)
    return bytes(body)


def _deadline_passed() -> bool:
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline


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
