"""Checks on what an admin types in: a source's start URL must be a public web address.

The fetch layer guards every request (redirects included) on its own; this check refuses
an internal address already in the admin form, with a message saying why, so that a
source pointing at the intranet, the cloud metadata service or localhost is never saved.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _allowed_private(host: str, addresses: list[IPAddress]) -> bool:
    """Hosts or ranges settings.SCRAPER_ALLOWED_PRIVATE_HOSTS lets through (tests, demo)."""
    for entry in settings.SCRAPER_ALLOWED_PRIVATE_HOSTS:
        if entry.lower() == host:
            return True
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if addresses and all(address in network for address in addresses):
            return True
    return False


def is_public_address(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve_host(host: str, port: int) -> list[IPAddress]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def validate_public_url(url: str) -> None:
    """Raise ValidationError unless `url` is http(s) on an allowed port of a public host.

    Uses the fetch layer's own guard (scrapers.fetch.guard_host) when it is there, so the
    admin and the scrapers refuse the same addresses; the check below is the fallback.
    """
    try:
        from scrapers.fetch import FetchError, SSRFRefused, check_scheme, guard_host
    except ImportError:
        _validate_public_url(url)
        return
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ValidationError(f"This is not a valid URL: {error}.", code="invalid") from error
    if not parts.hostname:
        raise ValidationError("The URL has no host name.", code="invalid")
    if parts.username or parts.password:
        raise ValidationError("A URL with a user name or password is not accepted.", code="auth")
    try:
        check_scheme(url)
        guard_host(parts.hostname, port)
    except SSRFRefused as error:
        raise ValidationError(
            f"Refused: {error}. Sources must be public web sites.", code="internal_address"
        ) from None
    except FetchError as error:
        if settings.SCRAPER_REPLAY_DIR:
            return
        raise ValidationError(
            f"The address cannot be reached: {error}.", code="unresolvable"
        ) from None


def _validate_public_url(url: str) -> None:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise ValidationError(f"This is not a valid URL: {error}.", code="invalid") from error
    if parts.scheme not in {"http", "https"}:
        raise ValidationError("Only http:// and https:// addresses can be scraped.", code="scheme")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValidationError("The URL has no host name.", code="invalid")
    if parts.username or parts.password:
        raise ValidationError("A URL with a user name or password is not accepted.", code="auth")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve_host(host, port)
    except (OSError, UnicodeError, ValueError):
        if settings.SCRAPER_REPLAY_DIR:
            # Offline demo: pages are served from recorded files, nothing reaches the network.
            return
        raise ValidationError(
            f"The host {host!r} could not be resolved: check the address.", code="unresolvable"
        ) from None
    if _allowed_private(host, addresses):
        return
    internal = sorted({str(address) for address in addresses if not is_public_address(address)})
    if internal:
        raise ValidationError(
            f"Refused: {host!r} resolves to an internal address ({', '.join(internal)}). "
            "Sources must be public web sites; the scrapers never fetch from private, "
            "loopback or link-local networks.",
            code="internal_address",
        )
    if port not in settings.SCRAPER_ALLOWED_PORTS:
        allowed = ", ".join(str(p) for p in settings.SCRAPER_ALLOWED_PORTS)
        raise ValidationError(
            f"Refused: port {port} is not one the scrapers use (allowed: {allowed}).",
            code="port",
        )
