"""Security headers on every public page and cache headers on pages and feeds."""

from __future__ import annotations

import pytest

from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(db):
    return PositionFactory()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?q=x",
        "/positions/{id}/",
        "/api/positions/",
        "/feeds/positions.atom",
        "/robots.txt",
        "/nope/",
    ],
)
def test_every_response_has_a_strict_policy(client, position, path):
    response = client.get(path.format(id=position.pk))

    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_keeps_inline_scripts_forbidden(client):
    response = client.get("/admin/login/")

    assert "script-src 'self';" in response["Content-Security-Policy"]


def test_pages_have_no_inline_scripts_or_event_handlers(client, position):
    for path in ["/", f"/positions/{position.pk}/"]:
        html = client.get(path).content.decode()
        assert "<script>" not in html and " onclick=" not in html and " onload=" not in html


@pytest.mark.parametrize(
    ("path", "max_age"),
    [
        ("/", 60),
        ("/positions/{id}/", 300),
        ("/feeds/positions.atom", 600),
        ("/feeds/deadlines.ics", 600),
        ("/api/positions/", 60),
    ],
)
def test_public_pages_and_feeds_are_cacheable(client, position, path, max_age):
    response = client.get(path.format(id=position.pk))

    assert "public" in response["Cache-Control"]
    assert f"max-age={max_age}" in response["Cache-Control"]


def test_hsts_and_secure_cookies_when_served_over_https(client, settings, position):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = False

    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_closed_position_keeps_its_page_with_a_banner_and_noindex(client):
    closed = PositionFactory(status="closed")

    html = client.get(f"/positions/{closed.pk}/").content.decode()

    assert "This position is closed" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "application/ld+json" not in html


def test_an_open_position_has_job_posting_json_ld_and_no_noindex(client, position):
    html = client.get(f"/positions/{position.pk}/").content.decode()

    assert '"@type": "JobPosting"' in html
    assert "noindex" not in html


def test_an_unpublished_position_has_no_page(client):
    pending = PositionFactory(moderation="pending")

    assert client.get(f"/positions/{pending.pk}/").status_code == 404


def test_the_fragment_for_the_script_and_the_page_are_cached_apart(client, position):
    page = client.get("/?funding=full")
    fragment = client.get("/?funding=full", headers={"X-Requested-With": "fetch"})

    assert "X-Requested-With" in page["Vary"] and "X-Requested-With" in fragment["Vary"]
    assert b"<!doctype html>" in page.content and b"<!doctype html>" not in fragment.content
    assert b'data-region="results"' in fragment.content
