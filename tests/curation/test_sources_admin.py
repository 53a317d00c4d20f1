"""Sources: added by URL with an adapter, previewed before saving, never internal."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scrapers.models import Source
from scrapers.validators import validate_public_url
from tests.factories import ScrapeRunFactory, SourceFactory, make_curator, make_superuser

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/jobs",
        "http://localhost:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://[::1]/",
    ],
)
def test_a_source_on_an_internal_address_is_refused_with_a_clear_message(client, url):
    client.force_login(make_superuser())
    response = client.post(
        "/admin/scrapers/source/add/",
        {
            "name": "Intranet",
            "start_url": url,
            "adapter": "generic",
            "options": "{}",
            "enabled": "on",
            "scrape_interval": "1 00:00:00",
            "min_delay_seconds": "2",
            "max_pages": "200",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["start_url"]
    assert any("Refused" in error or "refused" in error for error in errors), errors
    assert not Source.objects.filter(name="Intranet").exists()


def test_a_decimal_spelling_of_localhost_is_refused():
    with pytest.raises(ValidationError, match=r"127\.0\.0\.1"):
        validate_public_url("http://2130706433/")


def test_a_non_http_scheme_is_refused():
    with pytest.raises(ValidationError, match="http"):
        validate_public_url("file:///etc/passwd")


def test_the_source_list_shows_the_last_run_and_its_counts(client):
    source = SourceFactory(name="Uni jobs")
    ScrapeRunFactory(source=source, found=7, created=2, updated=1, failed=1)
    client.force_login(make_superuser())
    page = client.get("/admin/scrapers/source/").content.decode()
    assert "7 found · 2 new · 1 updated · 1 failed" in page


def test_scrape_runs_are_read_only_with_their_errors(client):
    run = ScrapeRunFactory(status="partial")
    run.errors.create(url="https://jobs.example.org/bad", stage="parse", message="no title")
    client.force_login(make_superuser())
    page = client.get(f"/admin/scrapers/scraperun/{run.pk}/change/")
    assert page.status_code == 200
    assert b"no title" in page.content
    assert b'name="_save"' not in page.content


def test_the_topic_taxonomy_is_editable_with_children(client):
    client.force_login(make_superuser())
    response = client.post(
        "/admin/positions/topic/add/",
        {
            "name": "Mathematics",
            "slug": "mathematics",
            "code": "1.1",
            "keywords": "maths",
            "children-TOTAL_FORMS": "1",
            "children-INITIAL_FORMS": "0",
            "children-MIN_NUM_FORMS": "0",
            "children-MAX_NUM_FORMS": "1000",
            "children-0-name": "Probability",
            "children-0-slug": "probability",
            "children-0-code": "",
            "children-0-keywords": "stochastic",
        },
    )
    assert response.status_code == 302
    from positions.models import Topic

    assert Topic.objects.get(slug="probability").parent.name == "Mathematics"


JSONLD_PAGE = """<!doctype html><html><head><title>PhD in Glaciology</title>
<script type="application/ld+json">{json}</script></head>
<body><h1>PhD in Glaciology</h1><p>Fully funded. Deadline 9 January 2031.</p></body></html>"""


@pytest.fixture
def advert_server(settings):
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "PhD in Glaciology",
        "datePosted": "2030-10-01",
        "validThrough": "2031-01-09",
        "hiringOrganization": {"@type": "Organization", "name": "University of Bristol"},
        "jobLocation": {
            "@type": "Place",
            "address": {"addressCountry": "GB", "addressLocality": "Bristol"},
        },
        "description": "<p>A fully funded PhD studentship. Deadline 9 January 2031.</p>",
        "url": "PLACEHOLDER",
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/robots.txt":
                self.send_response(404)
                self.end_headers()
                return
            body = JSONLD_PAGE.replace(
                "{json}", json.dumps({**posting, "url": self.server.base + self.path})
            )
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.base = f"http://127.0.0.1:{server.server_port}"
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.server_port]
    settings.SCRAPER_MIN_HOST_DELAY = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.base
    server.shutdown()


def post_test_parse(client, start_url: str, adapter: str = "generic"):
    return client.post(
        "/admin/scrapers/source/test-parse/", {"start_url": start_url, "adapter": adapter}
    )


def test_test_parse_shows_what_would_be_extracted_and_writes_nothing(client, advert_server):
    pytest.importorskip("scrapers.fetch")
    pytest.importorskip("scrapers.normalize")
    pytest.importorskip("scrapers.adapters.jsonld")
    client.force_login(make_superuser())
    with CaptureQueriesContext(connection) as queries:
        response = post_test_parse(client, f"{advert_server}/phd/glaciology", adapter="jsonld")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == []
    assert [record.data["title"] for record in preview.records] == ["PhD in Glaciology"]
    assert b"PhD in Glaciology" in response.content
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in q["sql"]
        and "axes_" not in q["sql"]
    ]
    assert writes == []
    assert Source.objects.count() == 0


def test_test_parse_refuses_an_internal_address_before_fetching(client):
    client.force_login(make_superuser())
    response = post_test_parse(client, "http://169.254.169.254/latest/")
    assert response.status_code == 200
    assert any("169.254.169.254" in error for error in response.context["preview"].errors)
    assert response.context["preview"].pages == []


def test_a_curator_cannot_use_test_parse(client):
    client.force_login(make_curator())
    response = post_test_parse(client, "https://example.org/")
    assert response.status_code == 403
