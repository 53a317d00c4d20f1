"""Politeness and the circuit breaker, kept in Redis so every process agrees: one request
in flight per host (a lock), a minimum delay between requests to a host (a last-request
timestamp), retries with exponential backoff and jitter (Retry-After honoured up to a cap),
and a breaker that pauses a host that keeps failing. `Politeness` is a part of `Fetcher`."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import redis
from django.conf import settings
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from scrapers.fetch.base import KEY_PREFIX, FetchError, FetchTimeout, HostPaused, _setting

logger = logging.getLogger("scrapers.fetch")


@lru_cache(maxsize=4)
def _redis_for(url: str, retry_seconds: float) -> redis.Redis:
    # A Redis restart (seconds) must not fail a scrape: each command that cannot reach
    # Redis is tried again with a growing wait (0.05 s doubling up to 1 s) for about
    # retry_seconds, then raises; the task then retries with its own backoff.
    backoff = ExponentialBackoff(cap=1.0, base=0.05)
    retries, waited = 0, 0.0
    while waited < retry_seconds:
        waited += backoff.compute(retries)
        retries += 1
    return redis.Redis.from_url(
        url,
        retry=Retry(backoff, retries),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        socket_connect_timeout=2,
        socket_timeout=10,
    )


def redis_client() -> redis.Redis:
    return _redis_for(settings.REDIS_URL, float(_setting("SCRAPER_REDIS_RETRY_SECONDS", 15.0)))


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


class Politeness:
    """The waiting part of `Fetcher`: host slots, delays, retries and the breaker."""

    min_delay: float
    replaying: bool
    _sleep: Callable[[float], None]
    _keepalive: Callable[[], None] | None

    if TYPE_CHECKING:

        def _crawl_delay(self, url: str) -> float: ...

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
