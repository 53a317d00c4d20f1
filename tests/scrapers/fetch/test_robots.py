"""robots.txt per RFC 9309: rules obeyed, 4xx means no rules, 5xx means stay away."""

from __future__ import annotations

import pytest

from scrapers.fetch import Fetcher, RobotsDisallowed, fetch_page


def test_robots_disallow_is_obeyed_without_requesting_the_page(server):
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.page("/private/advert", "<html>secret</html>")

    with pytest.raises(RobotsDisallowed, match="disallows"):
        fetch_page(server.url("/private/advert"))

    assert server.paths() == ["/robots.txt"]


def test_a_page_robots_allows_is_fetched(server):
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.page("/jobs", "<html><body>open positions</body></html>")

    result = fetch_page(server.url("/jobs"))

    assert "open positions" in result.text


def test_robots_rules_for_our_user_agent_win_over_the_wildcard(server, settings):
    settings.SCRAPER_USER_AGENT = "phd-aggregator/0.1 (+https://example.org/about; bot)"
    server.page(
        "/robots.txt",
        "User-agent: *\nAllow: /\n\nUser-agent: phd-aggregator\nDisallow: /jobs\n",
        content_type="text/plain",
    )
    server.page("/jobs", "<html>jobs</html>")

    with pytest.raises(RobotsDisallowed):
        fetch_page(server.url("/jobs"))


def test_robots_server_error_means_disallowed_for_now(server):
    server.page("/robots.txt", "oops", status=503, content_type="text/plain")
    server.page("/jobs", "<html>jobs</html>")

    with pytest.raises(RobotsDisallowed, match="RFC 9309"):
        fetch_page(server.url("/jobs"))

    assert "/jobs" not in server.paths()


def test_robots_missing_404_means_everything_is_allowed(server):
    server.page("/jobs", "<html>jobs</html>")

    assert fetch_page(server.url("/jobs")).status == 200
    assert server.paths() == ["/robots.txt", "/jobs"]


def test_robots_forbidden_403_is_a_4xx_and_allows_everything(server):
    server.page("/robots.txt", "no", status=403, content_type="text/plain")
    server.page("/jobs", "<html>jobs</html>")

    assert fetch_page(server.url("/jobs")).status == 200


def test_robots_txt_is_cached_across_fetchers(server):
    server.page("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    server.page("/a", "<html>a</html>")
    server.page("/b", "<html>b</html>")

    fetch_page(server.url("/a"))
    fetch_page(server.url("/b"))

    assert server.paths().count("/robots.txt") == 1


def test_crawl_delay_lengthens_the_gap_between_requests_but_is_capped(server, settings):
    settings.SCRAPER_MAX_CRAWL_DELAY = 0.4
    server.page("/robots.txt", "User-agent: *\nCrawl-delay: 3600\n", content_type="text/plain")
    server.page("/a", "<html>a</html>")
    server.page("/b", "<html>b</html>")

    with Fetcher(min_delay=0) as fetcher:
        fetcher.fetch(server.url("/a"))
        fetcher.fetch(server.url("/b"))

    first, second = (r for r in server.requests if r.path in {"/a", "/b"})
    assert second.started - first.finished >= 0.35
