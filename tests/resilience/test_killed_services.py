"""The site on a Postgres and a Redis of the tests' own, each killed for real (SIGKILL for
Redis, an immediate shutdown for Postgres) while it serves, then started again: no 500
anywhere, pages uncached while Redis is down, 503 with Retry-After within 3 s (or the
cached copy, marked stale) while Postgres is down, and everything back once they are."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.resilience.services import OwnPostgres, OwnRedis, Site, manage, site_environment

pytestmark = pytest.mark.slow

PAGES = (
    "/",
    "/?q=learning",
    "/positions/{id}/",
    "/api/positions/?q=learning",
    "/feeds/positions.atom",
)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OwnPostgres, OwnRedis, Site]]:
    folder: Path = tmp_path_factory.mktemp("own-services")
    postgres = OwnPostgres()
    redis = OwnRedis()
    site = None
    try:
        env = site_environment(postgres, redis)
        manage(env, "createdb_if_missing")
        manage(env, "migrate", "--no-input")
        manage(env, "generate_positions", "60", "--seed", "3")
        site = Site(env, folder / "gunicorn.log")
        yield postgres, redis, site
    finally:
        if site is not None:
            site.stop()
        redis.kill()
        with contextlib.suppress(Exception):
            postgres.kill()
        postgres.remove()


def _pages(site: Site) -> list[str]:
    answer = site.client.get("/api/positions/").json()
    first = answer["results"][0]["id"] if "results" in answer else answer["items"][0]["id"]
    return [page.format(id=first) for page in PAGES]


def _wait_for(check, seconds: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_redis_killed_and_restarted_while_serving(stack):
    _postgres, redis, site = stack
    pages = _pages(site)
    for url in pages:
        assert site.get(url)[0].status_code == 200, url
    assert site.get("/?q=learning")[0].headers["X-Cache"] == "hit"

    redis.kill()
    try:
        for _ in range(2):
            for url in pages:
                response, seconds = site.get(url)
                assert response.status_code == 200, (url, response.status_code)
                assert seconds < 3, url
                if "X-Cache" in response.headers:
                    assert response.headers["X-Cache"] == "bypass", url  # served uncached
        ready = site.client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["cache"]["ok"] is False
    finally:
        redis.start()
    assert _wait_for(lambda: site.get("/?q=learning")[0].headers.get("X-Cache") == "hit")


def test_postgres_killed_and_restarted_while_serving(stack):
    postgres, _redis, site = stack
    pages = _pages(site)
    for url in pages:
        assert site.get(url)[0].status_code == 200
    cached = "/?q=learning"
    assert site.get(cached)[0].headers["X-Cache"] == "hit"

    postgres.kill()
    try:
        for url in [*pages, "/?q=never-asked-before", "/api/positions/?q=never-asked"]:
            response, seconds = site.get(url)
            assert response.status_code in {200, 503}, (url, response.status_code)
            assert seconds < 3, (url, seconds)
            if response.status_code == 503:
                assert int(response.headers["Retry-After"]) > 0
            else:
                assert response.headers["X-Cache"] == "stale", url
        stale, _ = site.get(cached)
        assert stale.status_code == 200 and b"data-stale" in stale.content
        fresh, _ = site.get("/?q=never-asked-before")
        assert fresh.status_code == 503 and b"Temporarily unavailable" in fresh.content
        assert site.get("/healthz")[0].status_code == 200
        assert site.get("/readyz")[0].status_code == 503
    finally:
        postgres.start()
    assert _wait_for(lambda: site.get("/?q=never-asked-before")[0].status_code == 200)
    assert site.get("/readyz")[0].status_code == 200
    assert site.get(cached)[0].headers["X-Cache"] in {"hit", "miss"}


def test_postgres_read_only_while_serving(stack):
    """A primary turned read-only (maintenance, a demotion): reads go on, a write gets our
    503 with Retry-After within 3 s, and nothing is half-written."""
    postgres, _redis, site = stack
    pages = _pages(site)
    subscriptions = postgres.sql("SELECT count(*) FROM alerts_subscription")[0][0]
    form = {"email": "reader@example.org", "frequency": "weekly", "query": "q=learning"}
    postgres.read_only(True)
    try:
        for url in [*pages, "/?q=read-only-search"]:
            response, seconds = site.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert seconds < 3, (url, seconds)
        started = time.monotonic()
        refused = site.client.post("/alerts/subscribe/", data={**form, "website": ""})
        assert time.monotonic() - started < 3
        assert refused.status_code == 503, refused.status_code
        assert int(refused.headers["Retry-After"]) > 0
        assert b"Temporarily unavailable" in refused.content and b"site.css" in refused.content
    finally:
        postgres.read_only(False)
    assert postgres.sql("SELECT count(*) FROM alerts_subscription")[0][0] == subscriptions
    assert site.get(pages[0])[0].status_code == 200
