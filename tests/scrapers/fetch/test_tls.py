"""HTTPS through the pinned connection: the socket goes to the checked address while TLS
still verifies the certificate for the host name (SNI), and Host keeps the name."""

from __future__ import annotations

import ssl
import subprocess

import pytest

from scrapers import fetch
from scrapers.fetch import Fetcher, GuardedTransport
from tests.scrapers.servers import LocalServer


@pytest.fixture
def certificate(tmp_path) -> tuple[str, str]:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=jobs.example", "-addext", "subjectAltName=DNS:jobs.example",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = LocalServer().start(tls=context)
    server.sni_names = names  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_https_to_a_pinned_address_verifies_the_certificate_for_the_host_name(
    tls_server, certificate, settings, monkeypatch
):
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["127.0.0.1"])
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    tls_server.page("/jobs", "<html>over tls</html>")
    trust = ssl.create_default_context(cafile=certificate[0])

    with Fetcher(transport=GuardedTransport(verify=trust)) as fetcher:
        result = fetcher.fetch(f"https://jobs.example:{tls_server.port}/jobs")

    assert "over tls" in result.text
    assert set(tls_server.sni_names) == {"jobs.example"}
    assert {r.headers["host"] for r in tls_server.requests} == {f"jobs.example:{tls_server.port}"}


def test_a_certificate_for_another_name_is_rejected(tls_server, certificate, settings, monkeypatch):
    monkeypatch.setattr(fetch.guard, "_resolve", lambda host, port: ["127.0.0.1"])
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1/32"]
    trust = ssl.create_default_context(cafile=certificate[0])

    with (
        Fetcher(transport=GuardedTransport(verify=trust)) as fetcher,
        pytest.raises(fetch.TLSFailed, match="certificate"),
    ):
        fetcher.fetch(f"https://other.example:{tls_server.port}/jobs")

    assert tls_server.requests == []
