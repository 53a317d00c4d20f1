"""Cached search counts, refreshed when the data they count changes.

Counting the facets of the landing page or of a facet-only filter means aggregating every
open position: tens of milliseconds at 100k, whatever the indexes. The answer only changes
when positions change, so it is cached in Redis under a key made of today's date ("closing
within 7 days" and the hiding of past deadlines move at midnight) and the normalised search
parameters (their order does not matter), together with the data version it was computed at.

The data version is the Postgres sequence positions_data_version, advanced by deferred
triggers when a transaction that changed positions, their topics, listings, institutions or
the taxonomy commits (migration 0005), whatever wrote it: services, admin, bulk updates.

When the version has moved, the first request recomputes (a new position shows at once);
while a scrape keeps writing, one request per key recomputes at most every STALE_SECONDS
and the others are served the previous counts meanwhile, so continuous ingestion cannot
turn every search into a full count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

COUNTS_TIMEOUT = 600  # seconds; see the module docstring
T = TypeVar("T")


def data_version() -> int:
    with connection.cursor() as cursor:
        # A new sequence's first nextval returns its start value: count that call too.
        cursor.execute(
            "SELECT last_value + is_called::int FROM positions_data_version"
        )
        return int(cursor.fetchone()[0])


def bump_data_version() -> None:
    """For writers that bypass the triggers (generate_positions' bulk load)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('positions_data_version')")


def _normalised(values: Mapping[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple | set | frozenset):
            return sorted(plain(item) for item in value)
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return value if isinstance(value, int | float | str | bool) or value is None else str(value)

    return json.dumps({key: plain(value) for key, value in sorted(values.items())}, sort_keys=True)


def counts_key(kind: str, values: Mapping[str, Any], *, today: dt.date) -> str:
    digest = hashlib.blake2b(_normalised(values).encode(), digest_size=16).hexdigest()
    database = connection.settings_dict["NAME"]
    return f"positions:{database}:{kind}:{today.isoformat()}:{digest}"


def remember(
    key: str,
    compute: Callable[[], T],
    *,
    timeout: int = COUNTS_TIMEOUT,
    stale_seconds: float | None = None,
) -> T:
    """The value cached under `key` if computed at the current data version; else computed
    now, unless another request refreshed this key less than `stale_seconds` ago (then the
    previous value, at most that stale, is served)."""
    if stale_seconds is None:
        stale_seconds = getattr(settings, "SEARCH_CACHE_STALE_SECONDS", 10)
    version = data_version()
    entry = cache.get(key)
    if entry is not None:
        cached_version, value = entry
        if cached_version == version:
            return value  # type: ignore[no-any-return]
        if stale_seconds > 0 and not cache.add(f"{key}:refreshing", 1, timeout=stale_seconds):
            return value  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, (version, value), timeout=timeout)
    return value
