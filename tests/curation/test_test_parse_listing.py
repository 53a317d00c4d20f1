"""The admin's Test parse on a results page: the same reading as a crawl and as
`manage.py extract --links` ("results page: N advert links ..., next page ...; M records"),
with the source's own options."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.models import Source
from tests.factories import make_superuser
from tests.scrapers.servers import LocalServer

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "table-rows.html"


@pytest.fixture
def ats(settings):
    settings.SCRAPER_REPLAY_DIR = ""
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.SCRAPER_MIN_HOST_DELAY = 0
    server = LocalServer().start()
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page("/en/what:findjob/", TABLE.read_text())
    for number in range(1001, 1007):
        server.page(
            f"/what:job/jobID:{number}/",
            f"<html><body><main><h1>Advert {number}: PhD student</h1>"
            "<p>Last application date: 2031-03-01. A four-year doctoral position.</p>"
            "</main></body></html>",
        )
    yield server
    server.stop()


def _post(client, url: str, options: str = ""):
    return client.post(
        "/admin/scrapers/source/test-parse/",
        {"start_url": url, "adapter": "generic", "options": options},
    )


def test_a_results_page_shows_its_advert_links_and_the_records_they_lead_to(client, ats):
    client.force_login(make_superuser())
    response = _post(client, ats.url("/en/what:findjob/"))
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == []
    assert preview.summary == (
        "results page: 6 advert links (3 followed), next page none; 3 records"
    )
    assert sorted(record.data["title"] for record in preview.records) == [
        f"Advert {n}: PhD student" for n in (1001, 1004, 1005)
    ]
    html = response.content.decode()
    assert "results page: 6 advert links (3 followed)" in html
    assert "Universitetslektor i fysik" in html and "not doctoral" in html
    assert Source.objects.count() == 0


def test_the_sources_own_options_are_used(client, ats):
    client.force_login(make_superuser())
    response = _post(client, ats.url("/en/what:findjob/"), '{"doctoral_only": false}')
    assert response.context["preview"].summary.startswith(
        "results page: 6 advert links (6 followed)"
    )
    bad = _post(client, ats.url("/en/what:findjob/"), "{not json")
    assert bad.status_code == 200
    assert any("not valid JSON" in error for error in bad.context["preview"].errors)
