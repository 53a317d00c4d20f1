"""Fixtures for the scraping tests: local servers on 127.0.0.1, fast politeness settings,
and a clean slate of the fetch layer's Redis keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapers import fetch
from tests.scrapers.servers import LocalServer


@pytest.fixture(scope="session", autouse=True)
def _institution_registry_built() -> None:
    """Build (or load) the institution registry once before any test, so its cache file is
    there for the Celery worker processes the worker tests start, as on a deployed machine
    whose workers have run before; a worker that finds no cache builds it in a few seconds."""
    from scrapers.normalize.registry import registry

    registry()


@pytest.fixture(autouse=True)
def _clean_fetch_state(settings) -> Iterator[None]:
    settings.SCRAPER_REPLAY_DIR = ""
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.SCRAPER_MIN_HOST_DELAY = 0.0
    settings.SCRAPER_MAX_RETRIES = 0
    settings.SCRAPER_BACKOFF_BASE = 0.01
    _delete_scrape_keys()
    yield
    _delete_scrape_keys()


def _delete_scrape_keys() -> None:
    client = fetch.redis_client()
    keys = list(client.scan_iter(match=f"{fetch.KEY_PREFIX}*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


from tests.scrapers import support  # noqa: E402
from tests.scrapers.site import JobSite  # noqa: E402

support.install()


@pytest.fixture
def site(server) -> JobSite:
    site = JobSite(server).serve()
    for number in (1, 2, 3):
        site.add(number)
    return site
