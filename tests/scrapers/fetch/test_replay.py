"""Recorded responses: the offline demo and the tests fetch from a folder, through the
same robots, limits and decoding, and never from the network."""

from __future__ import annotations

import json

import pytest

from scrapers.fetch import (
    BadContentType,
    Fetcher,
    GoneError,
    ReplayTransport,
    RobotsDisallowed,
    TooLarge,
    fetch_page,
)


@pytest.fixture
def recorded(tmp_path, settings):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "list.html").write_bytes(
        '<html><meta charset="windows-1252"><p>Caf\u00e9 \u20ac</p></html>'.encode("cp1252")
    )
    (tmp_path / "pages" / "big.html").write_bytes(b"<html>" + b"x" * 5000 + b"</html>")
    index = {
        "https://jobs.example.org/list": {
            "file": "pages/list.html",
            "status": 200,
            "content_type": "text/html",
            "headers": {"ETag": '"abc"'},
        },
        "https://jobs.example.org/big": {"file": "pages/big.html", "content_type": "text/html"},
        "https://jobs.example.org/old": {
            "status": 301,
            "headers": {"Location": "https://jobs.example.org/list"},
        },
        "https://jobs.example.org/doc.pdf": {
            "file": "pages/big.html",
            "content_type": "application/pdf",
        },
        "https://jobs.example.org/escape": {
            "file": "../../etc/passwd",
            "content_type": "text/html",
        },
        "https://strict.example.org/robots.txt": {
            "file": "pages/robots.txt",
            "content_type": "text/plain",
        },
        "https://strict.example.org/jobs": {"file": "pages/list.html", "content_type": "text/html"},
    }
    (tmp_path / "pages" / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    (tmp_path / "index.json").write_text(json.dumps(index))
    settings.SCRAPER_REPLAY_DIR = str(tmp_path)
    return tmp_path


def test_a_recorded_page_is_served_and_decoded_from_its_bytes(recorded):
    result = fetch_page("https://jobs.example.org/list")

    assert result.text == '<html><meta charset="windows-1252"><p>Caf\u00e9 \u20ac</p></html>'
    assert result.etag == '"abc"'


def test_recorded_redirects_are_followed(recorded):
    assert fetch_page("https://jobs.example.org/old").url == "https://jobs.example.org/list"


def test_an_unrecorded_url_is_gone(recorded):
    with pytest.raises(GoneError):
        fetch_page("https://jobs.example.org/never-recorded")


def test_recorded_robots_txt_is_obeyed(recorded):
    with pytest.raises(RobotsDisallowed):
        fetch_page("https://strict.example.org/jobs")


def test_limits_apply_to_recorded_pages(recorded, settings):
    settings.SCRAPER_MAX_BODY_BYTES = 1000
    with pytest.raises(TooLarge):
        fetch_page("https://jobs.example.org/big")
    with pytest.raises(BadContentType):
        fetch_page("https://jobs.example.org/doc.pdf")


def test_a_recorded_etag_answers_a_conditional_get(recorded):
    assert fetch_page("https://jobs.example.org/list", etag='"abc"').not_modified


def test_a_recorded_file_outside_the_folder_is_refused(recorded):
    with pytest.raises(Exception, match="lies outside"):
        fetch_page("https://jobs.example.org/escape")


def test_replay_never_opens_a_socket(recorded, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the replay transport opened a socket")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    with Fetcher() as fetcher:
        assert isinstance(fetcher._client._transport, ReplayTransport)
        assert fetcher.fetch("https://jobs.example.org/list").status == 200
