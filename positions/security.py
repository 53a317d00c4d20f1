"""The client's address, the one way: for login throttling (django-axes) and report limits.

Behind a reverse proxy every request comes from the proxy, so the address must be read
from the header the proxy sets. Only the trusted proxy's header counts, and only the
entry the trusted proxies appended: with TRUSTED_PROXY_COUNT proxies in front, the
client's address is that many entries from the right of X-Forwarded-For. Everything left
of it was written by the client and may be forged, so it is never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    if not settings.BEHIND_PROXY:
        return remote
    header = request.META.get(settings.TRUSTED_PROXY_HEADER, "") or ""
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    count = max(1, settings.TRUSTED_PROXY_COUNT)
    if len(hops) < count:
        # Not through all the trusted proxies: the header is not theirs; use the socket.
        return remote
    return _valid(hops[-count]) or remote
