"""Cached search counts, invalidated by a data version that every write to positions bumps.

Counting the facets of the landing page or of a facet-only filter means aggregating every
open position: tens of milliseconds at 100k, whatever the indexes. The answer only changes
when positions change, so it is cached in Redis under a key made of

  * the data version: a counter in Redis that `bump_data_version()` increments after each
    commit that changes positions (upserts, admin edits, housekeeping, generate_positions),
  * today's date: "closing within 7 days" and the hiding of past deadlines move at midnight,
  * the normalised search parameters (their order and the page do not matter).

A changed position is therefore visible at once; the TTL is only a safety net for a write
that forgot to bump. Reading the version costs one Redis GET per search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

DATA_VERSION_KEY = "positions:data-version"
COUNTS_TIMEOUT = 600  # seconds; see the module docstring
T = TypeVar("T")


def data_version() -> int:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, 1, timeout=None)
        version = cache.get(DATA_VERSION_KEY, 1)
    return int(version)


def bump_data_version() -> None:
    """Make every cached count stale now (call after the write commits)."""
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:  # the key is missing (Redis restarted): start a new series
        cache.add(DATA_VERSION_KEY, 2, timeout=None)


def bump_data_version_on_commit() -> None:
    """Bump once the current transaction commits (at once outside a transaction), so a
    concurrent request cannot cache counts of the old data under the new version."""
    transaction.on_commit(bump_data_version)


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
    return f"positions:{kind}:v{data_version()}:{today.isoformat()}:{digest}"


def remember(key: str, compute: Callable[[], T], *, timeout: int = COUNTS_TIMEOUT) -> T:
    """The cached value under `key`, computing and storing it on a miss."""
    missing = object()
    value = cache.get(key, missing)
    if value is missing:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value  # type: ignore[return-value]
