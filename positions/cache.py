"""Cached search counts, invalidated by a data version that moves with every committed write.

Counting the facets of the landing page or of a facet-only filter means aggregating every
open position: tens of milliseconds at 100k, whatever the indexes. The answer only changes
when positions change, so it is cached in Redis under a key made of

  * the data version: the Postgres sequence positions_data_version, advanced by deferred
    triggers when a transaction that changed positions, their topics, listings,
    institutions or the taxonomy commits (migration 0005), whatever wrote it;
  * today's date: "closing within 7 days" and the hiding of past deadlines move at midnight;
  * the normalised search parameters (their order does not matter).

A changed position is therefore visible at once; the TTL only bounds memory and the rare
read that races a commit. Reading the version costs one tiny query per search.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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
    return f"positions:{database}:{kind}:v{data_version()}:{today.isoformat()}:{digest}"


def remember(key: str, compute: Callable[[], T], *, timeout: int = COUNTS_TIMEOUT) -> T:
    """The cached value under `key`, computing and storing it on a miss."""
    missing = object()
    value = cache.get(key, missing)
    if value is missing:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value  # type: ignore[return-value]
