"""The SSRF guard and the sockets behind it.

Only http(s), only the allowed ports; the host is resolved once and every address checked,
then the connection is made to exactly that address (the TLS SNI and the Host header keep
the name), so DNS rebinding has no window. Every socket read is clamped to the total
deadline of the fetch.
"""

from __future__ import annotations

import contextvars
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from scrapers.fetch.base import ConnectionFailed, SSRFRefused, _setting

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


def _deadline_passed() -> bool:
    deadline = _deadline.get()
    return deadline is not None and time.monotonic() > deadline
