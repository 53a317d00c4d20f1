"""The Redis cache backend keeps one client per connection pool, and still works as the
cache: values round-trip, expire and are deleted on the real Redis."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import cache, caches

from config.cache import RedisCache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_configured_cache_is_this_backend():
    assert isinstance(caches["default"], RedisCache)


def test_one_client_is_reused_for_every_operation():
    backend = caches["default"]._cache
    first = backend.get_client(write=True)
    assert backend.get_client(write=False) is first
    assert backend.get_client("some key", write=True) is first


def test_values_round_trip_and_are_deleted():
    body = b"<html>" + b"x" * 20_000
    cache.set("page", (7, ({"Content-Type": "text/html"}, body)), timeout=60)
    assert cache.get("page") == (7, ({"Content-Type": "text/html"}, body))
    assert cache.add("page", "other") is False
    assert cache.add("flag", 1, timeout=60) is True
    cache.delete("page")
    assert cache.get("page") is None
    assert cache.get_many(["flag", "page"]) == {"flag": 1}


def test_threads_each_get_a_working_backend():
    # Django gives every thread its own backend instance (gunicorn's gthread workers).
    seen: dict[str, object] = {}

    def work(name: str) -> None:
        caches["default"].set(name, name, timeout=60)
        seen[name] = caches["default"].get(name)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {f"t{n}": f"t{n}" for n in range(4)}
