"""The SSRF guard refuses every internal address before a connection is made, however
the address is spelled and wherever a redirect points."""

from __future__ import annotations

import socket

import pytest

from scrapers import fetch
from scrapers.fetch import SSRFRefused, fetch_page

LOOPBACK_SPELLINGS = [
    "127.0.0.1",
    "localhost",
    "127.1",
    "0x7f000001",
    "2130706433",
    "017700000001",
    "0177.0.0.1",
    "0.0.0.0",
    "[::1]",
    "[::ffff:127.0.0.1]",
    "[::127.0.0.1]",
    "[2002:7f00:1::]",
    "[64:ff9b::7f00:1]",
]

INTERNAL_ADDRESSES = [
    "169.254.169.254",  # cloud metadata
    "10.0.0.1",
    "172.16.0.1",
    "192.168.1.1",
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "[fe80::1]",  # IPv6 link-local
    "[fc00::1]",  # IPv6 unique local
    "[ff02::1]",  # IPv6 multicast
    "[::ffff:169.254.169.254]",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]",  # teredo
]


@pytest.fixture
def guarded(settings, server):
    """Nothing private is allowed, and the test server's port is an allowed port, so only
    the address check can stop these requests."""
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = []
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page("/secret", "<html>internal</html>")
    return server


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused_without_a_connection(guarded, host):
    with pytest.raises(SSRFRefused, match="refused"):
        fetch_page(f"http://{host}:{guarded.port}/secret")

    assert guarded.connections == 0


@pytest.mark.parametrize("host", INTERNAL_ADDRESSES)
def test_internal_addresses_are_refused_without_opening_a_socket(guarded, host, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", no_connection)

    with pytest.raises(SSRFRefused, match="refused to connect"):
        fetch_page(f"http://{host}/latest/meta-data/")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "gopher://127.0.0.1:70/", "ftp://example.org/", "//example.org/"]
)
def test_only_http_and_https_are_fetched(guarded, url):
    with pytest.raises(SSRFRefused, match="only http and https"):
        fetch_page(url)


def test_a_host_with_one_private_address_among_public_ones_is_refused(guarded, monkeypatch):
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["93.184.216.34", "127.0.0.1"])

    with pytest.raises(SSRFRefused, match=r"127\.0\.0\.1 is a loopback address"):
        fetch_page(f"http://mixed.example:{guarded.port}/secret")

    assert guarded.connections == 0


def test_a_port_outside_the_allowed_ports_is_refused(settings, monkeypatch):
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = []
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["93.184.216.34"])

    with pytest.raises(SSRFRefused, match="only ports 80, 443 are allowed"):
        fetch_page("http://public.example:6379/")


def test_a_redirect_to_an_internal_address_is_refused_before_connecting(settings, server):
    # The first host is allowed by name only; where it redirects to is checked afresh.
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page(
        "/start", "", status=302, headers={"Location": f"http://127.1:{server.port}/secret"}
    )
    server.page("/secret", "<html>internal</html>")

    with pytest.raises(SSRFRefused, match=r"127\.0\.0\.1 is a loopback address"):
        fetch_page(f"http://localhost:{server.port}/start")

    assert "/secret" not in server.paths()


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "http://[::1]/"]
)
def test_redirects_to_metadata_files_or_loopback_are_refused(settings, server, location):
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["localhost"]
    server.page("/start", "", status=302, headers={"Location": location})

    with pytest.raises(SSRFRefused):
        fetch_page(f"http://localhost:{server.port}/start")


def test_a_rebinding_answer_at_connect_time_is_refused(settings, server, monkeypatch):
    # The name first resolves to an allowed address, then to an internal one: the socket
    # layer checks the address it dials, so the rebinding never reaches a connection.
    # (calls: the early check of the page, the early check of robots.txt, then the dial)
    answers = iter([["127.0.0.1"], ["127.0.0.1"], ["10.0.0.1"]])
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: next(answers))
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]

    with pytest.raises(SSRFRefused, match=r"10\.0\.0\.1 is a private network address"):
        fetch_page(f"http://rebind.example:{server.port}/robots.txt")

    assert server.connections == 0


def test_the_socket_layer_refuses_an_internal_address_by_itself(settings, server, monkeypatch):
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["127.0.0.1"])
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = []
    settings.SCRAPER_ALLOWED_PORTS = [server.port]

    with pytest.raises(SSRFRefused):
        fetch._GuardedBackend().connect_tcp("anything.example", server.port, timeout=1)

    assert server.connections == 0


def test_the_connection_keeps_the_host_name_for_the_host_header(settings, server, monkeypatch):
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["127.0.0.1"])
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    server.page("/jobs", "<html>jobs</html>")

    result = fetch_page(f"http://jobs.example:{server.port}/jobs")

    assert "jobs" in result.text
    assert {r.headers["host"] for r in server.requests} == {f"jobs.example:{server.port}"}


def test_proxies_from_the_environment_are_ignored(server, other_server, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, server.url())
    other_server.page("/jobs", "<html>direct</html>")

    assert "direct" in fetch_page(other_server.url("/jobs")).text
    assert server.connections == 0
