"""Per-host politeness: one request in flight per host, and a minimum gap between them,
across fetchers (each thread here stands for a worker process sharing Redis)."""

from __future__ import annotations

import itertools
import threading

from scrapers.fetch import Fetcher


def test_requests_to_one_host_are_spaced_by_the_minimum_delay(server):
    for name in "abc":
        server.page(f"/{name}", f"<html>{name}</html>")

    with Fetcher(min_delay=0.5) as fetcher:
        for name in "abc":
            fetcher.fetch(server.url(f"/{name}"))

    pages = [r for r in server.requests if r.path != "/robots.txt"]
    gaps = [later.started - earlier.finished for earlier, later in itertools.pairwise(pages)]
    assert len(gaps) == 2
    assert min(gaps) >= 0.45


def test_only_one_request_is_in_flight_per_host_across_fetchers(server):
    for index in range(6):
        server.page(f"/slow/{index}", "<html>slow</html>", delay=0.2)
    errors: list[BaseException] = []

    def worker(indices: range) -> None:
        try:
            with Fetcher(min_delay=0) as fetcher:
                for index in indices:
                    fetcher.fetch(server.url(f"/slow/{index}"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(range(i, 6, 3),)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len([p for p in server.paths() if p.startswith("/slow/")]) == 6
    assert server.max_in_flight == 1


def test_the_user_agent_names_the_project_and_a_contact(server, settings):
    settings.SCRAPER_USER_AGENT = "phd-aggregator/0.1 (+https://example.org/contact; bot)"
    server.page("/jobs", "<html>jobs</html>")

    with Fetcher() as fetcher:
        fetcher.fetch(server.url("/jobs"))

    assert {r.headers["user-agent"] for r in server.requests} == {
        "phd-aggregator/0.1 (+https://example.org/contact; bot)"
    }
