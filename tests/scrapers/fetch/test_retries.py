"""Retries with backoff on 429/5xx/timeouts, Retry-After honoured, a circuit breaker per
host, and 404/410 reported as gone."""

from __future__ import annotations

import time

import pytest

from scrapers.fetch import Fetcher, GoneError, HostPaused, HTTPStatusError, fetch_page
from tests.scrapers.servers import send


def _sequence(*responses):
    """A handler answering with each (status, headers) in turn, then 200 for ever."""
    remaining = list(responses)

    def handler(request) -> None:
        if remaining:
            status, headers = remaining.pop(0)
            send(request, status, b"busy", "text/plain", headers)
        else:
            send(request, 200, b"<html>finally</html>", "text/html")

    return handler


def test_a_429_with_retry_after_is_waited_out_then_retried(server, settings):
    settings.SCRAPER_MAX_RETRIES = 2
    server.route("/busy", _sequence((429, {"Retry-After": "1"})))

    result = fetch_page(server.url("/busy"))

    assert "finally" in result.text
    first, second = (r for r in server.requests if r.path == "/busy")
    assert second.started - first.finished >= 0.95


def test_a_retry_after_beyond_the_cap_pauses_the_host_instead_of_hammering(server, settings):
    settings.SCRAPER_MAX_RETRIES = 2
    settings.SCRAPER_MAX_RETRY_WAIT = 5
    server.route("/busy", _sequence((503, {"Retry-After": "3600"})))

    with pytest.raises(HTTPStatusError, match="503"):
        fetch_page(server.url("/busy"))
    with pytest.raises(HostPaused, match="asked to wait 3600 s"):
        fetch_page(server.url("/busy"))

    assert [p for p in server.paths() if p == "/busy"] == ["/busy"]


def test_server_errors_are_retried_with_backoff(server, settings):
    settings.SCRAPER_MAX_RETRIES = 3
    server.route("/flaky", _sequence((500, {}), (502, {})))
    sleeps: list[float] = []

    with Fetcher(sleep=lambda seconds: (sleeps.append(seconds), time.sleep(seconds))) as fetcher:
        result = fetcher.fetch(server.url("/flaky"))

    assert "finally" in result.text
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0] * 1.0  # exponential: base, then twice the base (+ jitter)


def test_a_client_error_is_not_retried(server, settings):
    settings.SCRAPER_MAX_RETRIES = 3
    server.page("/forbidden", "no", status=403, content_type="text/plain")

    with pytest.raises(HTTPStatusError, match="403"):
        fetch_page(server.url("/forbidden"))

    assert server.paths().count("/forbidden") == 1


@pytest.mark.parametrize("status", [404, 410])
def test_a_missing_page_is_reported_as_gone(server, status):
    server.page("/advert/1", "gone", status=status, content_type="text/plain")

    with pytest.raises(GoneError, match=f"gone \\(HTTP {status}\\)") as caught:
        fetch_page(server.url("/advert/1"))

    assert caught.value.status == status


def test_a_host_that_keeps_failing_is_paused_by_the_circuit_breaker(server, settings):
    settings.SCRAPER_BREAKER_FAILURES = 3
    settings.SCRAPER_BREAKER_PAUSE_SECONDS = 600
    server.page("/down", "down", status=500, content_type="text/plain")

    for _ in range(3):
        with pytest.raises(HTTPStatusError):
            fetch_page(server.url("/down"))
    with pytest.raises(HostPaused, match="3 fetches in a row failed"):
        fetch_page(server.url("/down"))

    assert server.paths().count("/down") == 3


def test_a_success_resets_the_failure_count(server, settings):
    settings.SCRAPER_BREAKER_FAILURES = 2
    server.page("/down", "down", status=500, content_type="text/plain")
    server.page("/up", "<html>up</html>")

    with pytest.raises(HTTPStatusError):
        fetch_page(server.url("/down"))
    fetch_page(server.url("/up"))
    with pytest.raises(HTTPStatusError):
        fetch_page(server.url("/down"))

    assert fetch_page(server.url("/up")).status == 200
