"""Hostile responses are stopped within budget, each with an error a person understands."""

from __future__ import annotations

import gzip
import time
import zlib

import brotli
import pytest
import zstandard

from scrapers.fetch import (
    ACCEPT_FEED,
    BadContentType,
    BrokenResponse,
    FetchTimeout,
    TooLarge,
    TooManyRedirects,
    fetch_page,
)

CAP = 256 * 1024
BOMB_SIZE = 64 * 1024 * 1024  # 64 MiB of zeros once decoded


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.SCRAPER_MAX_BODY_BYTES = CAP
    settings.SCRAPER_TOTAL_TIMEOUT = 3.0
    settings.SCRAPER_READ_TIMEOUT = 5.0
    settings.SCRAPER_CONNECT_TIMEOUT = 2.0


def _zeros_gzip() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1024 * 1024)
    parts = [compressor.compress(block) for _ in range(BOMB_SIZE // len(block))]
    return b"".join(parts) + compressor.flush()


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    zeros = b"\0" * BOMB_SIZE
    return {
        "gzip": _zeros_gzip(),
        "br": brotli.compress(zeros, quality=4),
        "zstd": zstandard.ZstdCompressor(level=3).compress(zeros),
    }


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_a_compression_bomb_stops_at_the_decoded_size_cap(server, bombs, coding):
    bomb = bombs[coding]
    assert len(bomb) < CAP  # small on the wire, so only the decoded size can catch it
    server.page("/bomb", bomb, headers={"Content-Encoding": coding})

    with pytest.raises(TooLarge, match="once decoded"):
        fetch_page(server.url("/bomb"))


def test_a_small_gzip_page_is_decoded(server):
    server.page(
        "/small", gzip.compress(b"<html><p>fine</p></html>"), headers={"Content-Encoding": "gzip"}
    )

    assert "fine" in fetch_page(server.url("/small")).text


def test_an_endless_chunked_body_stops_at_the_size_cap(server):
    server.route("/endless", lambda request: _stream_forever(server, request))

    with pytest.raises(TooLarge, match="limit"):
        fetch_page(server.url("/endless"))


def _stream_forever(server, request) -> None:
    request.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"a" * 65536
    while not server.stopping.is_set():
        request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))


def _drip(server, request) -> None:
    request.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
    )
    request.wfile.flush()
    while not server.stopping.is_set():
        request.wfile.write(b"<")
        request.wfile.flush()
        time.sleep(2)


def test_a_one_byte_every_two_seconds_drip_hits_the_total_deadline(server):
    server.route("/drip", lambda request: _drip(server, request))
    started = time.monotonic()

    with pytest.raises(FetchTimeout, match=r"too long|deadline"):
        fetch_page(server.url("/drip"))

    # The read timeout (5 s) alone would never fire: each byte arrives within 2 s.
    assert time.monotonic() - started < 3.0 + 1.5


def test_a_content_length_beyond_the_cap_is_refused_before_reading(server):
    def huge(request) -> None:
        request.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000000000\r\n\r\n<html>"
        )

    server.route("/huge", huge)

    with pytest.raises(TooLarge, match="announces 10,000,000,000 bytes"):
        fetch_page(server.url("/huge"))


def test_a_content_length_that_understates_the_body_does_not_lift_the_cap(server):
    # Claims 100 bytes, then streams megabytes in chunks anyway.
    def liar(request) -> None:
        request.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"a" * 65536
        while not server.stopping.is_set():
            request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    server.route("/liar", liar)

    with pytest.raises((TooLarge, BrokenResponse)):
        fetch_page(server.url("/liar"))


def test_a_content_length_that_overstates_the_body_is_a_broken_response(server):
    def short(request) -> None:
        request.wfile.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n<html>short"
        )
        request.close_connection = True

    server.route("/short", short)

    with pytest.raises(BrokenResponse, match="broken response"):
        fetch_page(server.url("/short"))


def test_a_redirect_loop_stops_after_the_redirect_limit(server, settings):
    settings.SCRAPER_MAX_REDIRECTS = 5
    server.page("/loop-a", "", status=302, headers={"Location": "/loop-b"})
    server.page("/loop-b", "", status=302, headers={"Location": "/loop-a"})

    with pytest.raises(TooManyRedirects, match="gave up after 5 redirects"):
        fetch_page(server.url("/loop-a"))

    assert len([p for p in server.paths() if p.startswith("/loop")]) == 6


def test_a_redirect_within_the_limit_is_followed(server):
    server.page("/old", "", status=301, headers={"Location": "/new"})
    server.page("/new", "<html>moved here</html>")

    result = fetch_page(server.url("/old"))

    assert result.url == server.url("/new")
    assert "moved here" in result.text


def test_a_pdf_is_refused_where_html_is_expected(server):
    server.page("/advert.pdf", b"%PDF-1.7 ...", content_type="application/pdf")

    with pytest.raises(BadContentType, match="application/pdf"):
        fetch_page(server.url("/advert.pdf"))


def test_a_feed_is_accepted_where_the_adapter_expects_feeds(server):
    server.page(
        "/feed", "<?xml version='1.0'?><rss><channel/></rss>", content_type="application/rss+xml"
    )

    with pytest.raises(BadContentType):
        fetch_page(server.url("/feed"))
    assert fetch_page(server.url("/feed"), accept=ACCEPT_FEED).content_type == "application/rss+xml"
