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
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from config.cache import outage as cache_outage

from .filters import clean_params
from .reads import read_connection

COUNTS_TIMEOUT = 600  # seconds; see the module docstring
T = TypeVar("T")


_remembered_version: tuple[float, str, int] = (0.0, "", 0)


def data_version() -> int:
    """The current data version; a web process re-reads it at most every
    settings.DATA_VERSION_SECONDS (a changed position shows within that, and a cached
    answer costs no query at all)."""
    global _remembered_version
    seconds = getattr(settings, "DATA_VERSION_SECONDS", 0)
    database = connection.settings_dict["NAME"]
    now = time.monotonic()
    expires, remembered_database, version = _remembered_version
    if seconds > 0 and now < expires and remembered_database == database:
        return version
    version = _read_data_version()
    _remembered_version = (now + seconds, database, version)
    return version


def _read_data_version() -> int:
    # From the database this request reads (the replica, config/db_router.py): answers
    # computed from a lagging replica are keyed by the version the replica has replayed.
    with read_connection().cursor() as cursor:
        # A new sequence's first nextval returns its start value: count that call too.
        cursor.execute("SELECT last_value + is_called::int FROM positions_data_version")
        return int(cursor.fetchone()[0])


def bump_data_version() -> None:
    """For writers that bypass the triggers (generate_positions' bulk load)."""
    global _remembered_version
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('positions_data_version')")
    _remembered_version = (0.0, "", 0)


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


def _lookup(key: str, stale_seconds: float | None) -> tuple[bool, Any, int]:
    """(found, value, current version): found when computed at the current version, or
    when another request refreshed the key less than `stale_seconds` ago."""
    if stale_seconds is None:
        stale_seconds = getattr(settings, "SEARCH_CACHE_STALE_SECONDS", 10)
    version = data_version()
    entry = cache.get(key)
    if entry is not None:
        cached_version, value = entry
        if cached_version == version:
            return True, value, version
        if stale_seconds > 0 and not cache.add(f"{key}:refreshing", 1, timeout=stale_seconds):
            return True, value, version
    return False, None, version


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
    found, value, version = _lookup(key, stale_seconds)
    if found:
        return value  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, (version, value), timeout=timeout)
    return value


def cached_page(
    request: HttpRequest, kind: str, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """A public page or API answer that depends only on its URL and the data: its body is
    kept per data version (the same rules as `remember`) with the headers the view set. Only
    200s are kept; the view's decorators and the middleware add theirs to every answer."""
    if not settings.SEARCH_CACHE:
        return render()
    params = clean_params(request.GET)
    values: dict[str, Any] = {name: params.getlist(name) for name in params}
    values["_path"] = request.path
    values["_host"] = request.get_host()
    values["_fetch"] = request.headers.get("X-Requested-With") == "fetch"
    # v2: (headers, body); the version keeps an upgrade from reading older entries.
    key = counts_key(f"page-v2:{kind}", values, today=timezone.localdate())
    errors_before = cache_outage.errors
    try:
        found, stored, version = _lookup(key, None)
        if found:
            headers, body = stored
            return _marked(HttpResponse(body, headers=headers), "hit")
        response = render()
    except DatabaseError as error:
        stale = _stale_if_error(key, error)
        if stale is None:
            raise
        return stale
    if response.status_code == 200 and not response.streaming:
        headers = {name: value for name, value in response.items() if name != "Content-Length"}
        cache.set(key, (version, (headers, response.content)), timeout=COUNTS_TIMEOUT)
        # Any cache error meanwhile (this request's or another thread's): Redis is away.
        return _marked(response, "miss" if cache_outage.errors == errors_before else "bypass")
    return response


def _marked(response: HttpResponse, state: str) -> HttpResponse:
    """X-Cache says whether the answer came from the cache (hit), was computed and stored
    (miss), computed while the cache is away (bypass) or is a stale copy (stale)."""
    response["X-Cache"] = state
    return response


STALE_NOTICE = (
    b'<p class="notice" role="status" data-stale>The positions database is not answering '
    b"right now: this is a saved copy of the page and may be out of date.</p>"
)


def _stale_if_error(key: str, error: DatabaseError) -> HttpResponse | None:
    """While Postgres is away, the last copy of this page or answer, whatever its data
    version, marked as stale (stale-if-error); None when there is none or it is no outage."""
    from .outage import is_database_outage

    if not is_database_outage(error):
        return None
    entry = cache.get(key)
    if entry is None:
        return None
    _version, (headers, body) = entry
    if b'<main id="main"' in body:
        start = body.index(b'<main id="main"')
        end = body.index(b">", start) + 1
        body = body[:end] + STALE_NOTICE + body[end:]
    response = HttpResponse(body, headers=headers)
    response["Warning"] = '110 - "Response is Stale"'
    response["Cache-Control"] = "no-store"
    return _marked(response, "stale")
