"""Redis and Postgres failing under a request, in this process: the cache and the broker
point at a local port nothing listens on, the database connection at another (real
refused connections, nothing mocked). The end-to-end tests with servers killed for real
are in test_killed_services.py."""

from __future__ import annotations

import logging
import time

import pytest
from django.core.cache import cache
from django.db import connection

from config import cache as cache_module
from positions.models import Position
from tests.factories import PositionFactory, SourceFactory, UserFactory
from tests.resilience.conftest import closed_port


@pytest.mark.django_db
def test_with_redis_away_every_page_is_served_uncached(client, redis_away):
    position = PositionFactory(title="Graph learning for proteins")
    before = cache_module.outage.errors
    for url in ("/", "/?q=learning", f"/positions/{position.pk}/", "/api/positions/?q=learning"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "bypass", url
    assert b"Graph learning for proteins" in client.get("/?q=learning").content
    assert cache_module.outage.errors > before
    assert cache.get("anything") is None  # the cache answers "a miss", not an error


@pytest.mark.django_db
def test_with_redis_back_pages_are_cached_again(client):
    PositionFactory(title="Graph learning for proteins")
    cache.clear()
    assert client.get("/?q=graph")["X-Cache"] == "miss"
    assert client.get("/?q=graph")["X-Cache"] == "hit"


def test_cache_errors_are_logged_at_most_once_a_minute(redis_away, caplog):
    outage = cache_module.CacheOutage()
    error = ConnectionError("refused")
    with caplog.at_level(logging.ERROR, logger="config.cache"):
        for _ in range(50):
            outage.record("get", error)
    assert outage.errors == 50
    assert len([r for r in caplog.records if r.name == "config.cache"]) == 1
    outage._logged_at -= cache_module.LOG_EVERY_SECONDS
    with caplog.at_level(logging.ERROR, logger="config.cache"):
        outage.record("get", error)
    assert len([r for r in caplog.records if r.name == "config.cache"]) == 2


@pytest.mark.django_db
def test_report_rate_limit_and_login_do_not_fail_with_redis_away(client, redis_away):
    position = PositionFactory()
    response = client.post(
        f"/positions/{position.pk}/report/", {"reason": "expired", "details": "closed"}
    )
    assert response.status_code < 500
    UserFactory(username="ada", is_superuser=True, is_staff=True)
    response = client.post(
        "/admin/login/", {"username": "ada", "password": "wrong"}, REMOTE_ADDR="198.51.100.9"
    )
    assert response.status_code < 500


@pytest.mark.django_db
def test_scrape_now_with_the_broker_away_says_nothing_was_queued(client, broker_away):
    client.force_login(UserFactory(username="ada", is_superuser=True, is_staff=True))
    source = SourceFactory(enabled=True)
    started = time.monotonic()
    response = client.post(
        "/admin/scrapers/source/",
        {"action": "scrape_now", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert time.monotonic() - started < 10
    text = response.content.decode()
    assert "broker" in text and "not queued" in text
    assert "Queued 1 source" not in text


@pytest.mark.django_db(transaction=True)  # the runs are queued once the reset commits
def test_rescrape_with_the_broker_away_says_nothing_was_queued(client, broker_away):
    from positions.models import Listing

    client.force_login(UserFactory(username="ada", is_superuser=True, is_staff=True))
    position = PositionFactory()
    source = SourceFactory(enabled=True)
    Listing.objects.create(position=position, source=source, url="https://example.org/a/1")
    response = client.post(
        "/admin/positions/position/",
        {"action": "rescrape", "_selected_action": [position.pk]},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "broker" in text and "1 scrape(s) were not queued" in text


@pytest.mark.django_db
def test_scrape_locks_fail_closed_with_redis_away(settings):
    import redis

    from scrapers import fetch, pipeline

    source = SourceFactory(enabled=True)
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    fetch_client = fetch.redis_client
    fetch.redis_client = lambda: redis.Redis.from_url(settings.REDIS_URL)  # type: ignore[assignment]
    try:
        with pytest.raises(redis.exceptions.ConnectionError):
            pipeline.scrape_source(source.pk)
    finally:
        fetch.redis_client = fetch_client  # type: ignore[assignment]
    assert not source.runs.exists()  # no run started without its lock


@pytest.fixture
def database_away(django_db_blocker):
    with django_db_blocker.unblock():
        connection.close()
        saved = dict(connection.settings_dict)
        connection.settings_dict["PORT"] = str(closed_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)


def test_with_postgres_away_pages_are_our_503_with_retry_after(database_away):
    from django.test import Client

    client = Client(raise_request_exception=False)
    for url in ("/", "/?q=x", "/positions/1/", "/api/positions/", "/sitemap.xml"):
        started = time.monotonic()
        response = client.get(url)
        assert response.status_code == 503, url
        assert time.monotonic() - started < 3, url
        assert int(response["Retry-After"]) > 0
    page = client.get("/")
    assert b"Temporarily unavailable" in page.content
    assert b"site.css" in page.content  # our styled page, not Django's bare one
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_with_postgres_away_cached_pages_are_served_stale_with_a_notice(client, django_db_blocker):
    PositionFactory(title="Ocean acoustics and whales")
    cache.clear()
    fresh = client.get("/?q=ocean")
    assert fresh.status_code == 200 and b"Ocean acoustics" in fresh.content
    api = client.get("/api/positions/?q=ocean")
    assert api.status_code == 200
    connection.close()
    saved = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = str(closed_port())
    try:
        stale = client.get("/?q=ocean")
        stale_api = client.get("/api/positions/?q=ocean")
        uncached = raise_free_client().get("/?q=never-seen")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert stale.status_code == 200
    assert stale["X-Cache"] == "stale" and "Stale" in stale["Warning"]
    assert b"Ocean acoustics" in stale.content and b"data-stale" in stale.content
    assert stale_api.status_code == 200 and stale_api["X-Cache"] == "stale"
    assert stale_api.json() == api.json()
    assert uncached.status_code == 503
    assert Position.objects.count() == 1


def raise_free_client():
    from django.test import Client

    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_test_parse_in_a_web_process_with_redis_away_answers_within_seconds(settings):
    """A worker's fetch waits out a Redis restart; the admin's Test parse (a web request) is
    told within seconds that Redis is away (config/web_process.configure_fetch)."""
    from config.web_process import configure_fetch
    from scrapers.preview import source_preview
    from tests.scrapers.servers import LocalServer

    server = LocalServer().start()
    try:
        server.page("/jobs", "<html><body><h1>PhD position in optics</h1></body></html>")
        settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
        settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
        settings.SCRAPER_REPLAY_DIR = ""
        settings.SCRAPER_REDIS_RETRY_SECONDS = 15.0
        settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
        configure_fetch()
        assert settings.SCRAPER_REDIS_RETRY_SECONDS == settings.SCRAPER_WEB_REDIS_RETRY_SECONDS
        started = time.monotonic()
        preview = source_preview(start_url=server.url("/jobs"), adapter="generic")
        seconds = time.monotonic() - started
    finally:
        server.stop()
    assert seconds < 5, seconds
    assert preview.errors and "connect" in " ".join(preview.errors).lower(), preview.errors
