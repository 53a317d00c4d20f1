"""Rate limits in Redis: per address (its hash) and per client address, fixed windows.

Redis away: what a limit guards is a write that sends mail (a confirmation, a manage link),
so it fails *closed*: the form answers "try again in a few minutes" (HTTP 503 with
Retry-After) and nothing is sent, as sending unthrottled would let anyone mail-bomb an
address while Redis is down. Nothing else reads Redis: the manage page, confirming and
unsubscribing (never limited: they must always work) and the search page do not depend on it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import redis
from django.conf import settings

logger = logging.getLogger("alerts.ratelimit")
_clients: dict[str, redis.Redis] = {}


class LimiterUnavailable(Exception):
    """Redis did not answer: the caller refuses the write (see the module docstring)."""


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


def _client() -> redis.Redis:
    url = settings.ALERTS_RATE_LIMIT_REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=0.5, socket_timeout=1.0, retry_on_timeout=False
        )
        _clients[url] = client
    return client


def hit(limit: Limit, key: str) -> bool:
    """Count one attempt; True while within the limit. Raises LimiterUnavailable."""
    window = int(time.time() // limit.seconds)
    name = f"alerts:rl:{limit.name}:{key}:{window}"
    try:
        pipe = _client().pipeline()
        pipe.incr(name)
        pipe.expire(name, limit.seconds + 5)
        count, _ = pipe.execute()
    except redis.RedisError as error:
        logger.warning("rate limiter unavailable (%s): refusing to send mail", type(error).__name__)
        raise LimiterUnavailable from error
    return int(count) <= limit.count


def per_address() -> Limit:
    return Limit("address", settings.ALERTS_MAILS_PER_ADDRESS_PER_DAY, 86400)


def per_client() -> Limit:
    return Limit("client", settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR, 3600)
