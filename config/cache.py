"""Django's Redis cache backend, with one Redis client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation.
With redis-py 5 and later that copies its table of about 170 response callbacks into a
case-insensitive dict each time: a quarter of a millisecond per operation, a third of the
cost of a page served from the cache (issue 7). A `redis.Redis` is safe to share between
threads (its connections come from the pool), so one per pool does the same work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # The stubs leave out the private members this override uses.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


logger = logging.getLogger("config.cache")
LOG_EVERY_SECONDS = 60.0


class CacheOutage:
    """The one place where a Redis cache error is caught: counted, and logged at most once
    a minute (a down Redis would otherwise log every request)."""

    def __init__(self) -> None:
        self.errors = 0
        self.last_error = ""
        self.last_error_at = 0.0  # time.time() of the last error, 0 when none yet
        self._logged_at = float("-inf")
        self._lock = threading.Lock()

    def record(self, operation: str, error: BaseException) -> None:
        with self._lock:
            self.errors += 1
            self.last_error = f"{type(error).__name__}: {error}"[:300]
            self.last_error_at = time.time()
            now = time.monotonic()
            if now - self._logged_at < LOG_EVERY_SECONDS:
                return
            self._logged_at = now
            count = self.errors
        logger.error(
            "cache unavailable (%s: %s); serving uncached. %d cache error(s) so far",
            operation,
            error,
            count,
        )


outage = CacheOutage()
# What each operation answers when Redis does not: a miss, "not stored", "not there".
_FALLBACKS: dict[str, Callable[..., Any]] = {
    "get": lambda key, default=None, **kw: default,
    "add": lambda *a, **kw: False,
    "set": lambda *a, **kw: None,
    "touch": lambda *a, **kw: False,
    "delete": lambda *a, **kw: False,
    "get_many": lambda *a, **kw: {},
    "has_key": lambda *a, **kw: False,
    "incr": lambda key, delta=1, **kw: delta,
    "decr": lambda key, delta=1, **kw: -delta,
    "set_many": lambda *a, **kw: [],
    "delete_many": lambda *a, **kw: None,
    "clear": lambda *a, **kw: None,
    "get_or_set": lambda key, default, *a, **kw: default() if callable(default) else default,
}


class RedisCache(DjangoRedisCache):
    """Never lets a Redis outage reach a page: each operation that cannot reach Redis
    answers as if the cache were empty (a miss, nothing stored), so the site serves every
    page uncached until Redis is back; `outage` counts and logs the errors."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


def _guarded(name: str, fallback: Callable[..., Any]) -> Callable[..., Any]:
    method = getattr(DjangoRedisCache, name)

    def guarded(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except redis.exceptions.RedisError as error:
            outage.record(name, error)
            return fallback(*args, **kwargs)

    guarded.__name__ = name
    guarded.__doc__ = method.__doc__
    return guarded


for _name, _fallback in _FALLBACKS.items():
    setattr(RedisCache, _name, _guarded(_name, _fallback))
