"""The API's shape, the feeds, the calendar files, the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.utils import timezone

from tests.factories import ListingFactory, PositionFactory, SourceFactory, TopicFactory

from .ical import parse_calendar

pytestmark = pytest.mark.django_db

RECORD_KEYS = {
    "title", "institution", "country", "city", "deadline", "deadline_kind", "start_date",
    "duration_months", "funding", "eligibility", "stipend", "supervisors", "contact_emails",
    "topics", "degree", "apply_url", "url", "department", "deadline_time", "deadline_timezone",
    "start_text", "contract", "fees_covered", "teaching_duty", "tags", "contradictions", "evidence",
}  # fmt: skip
FACET_KEYS = {
    "funding",
    "deadline_kind",
    "country",
    "topic",
    "eligibility",
    "institution",
    "contract",
}


@pytest.fixture
def listed_position(db):
    parent = TopicFactory(name="Mathematics", slug="mathematics")
    position = PositionFactory(
        title="Optimal transport and PDEs",
        topics=[TopicFactory(name="Analysis", slug="analysis", parent=parent)],
        stipend_amount=2400,
        stipend_currency="EUR",
        stipend_period="month",
        pay_scale="TV-L E13",
        fte_percent=65,
        search=True,
    )
    ListingFactory(
        position=position, source=SourceFactory(name="EURAXESS"), url="https://euraxess.example/1"
    )
    ListingFactory(
        position=position, source=SourceFactory(name="FindAPhD"), url="https://findaphd.example/2"
    )
    return position


def test_the_list_has_the_documented_shape(client, listed_position):
    response = client.get("/api/positions/", {"q": "transport", "funding": "full"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results", "facets"}
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    assert set(body["facets"]) >= FACET_KEYS
    # Each entry also names the parameter that selects it (issue 18).
    assert body["facets"]["funding"] == [
        {"param": "funding", "value": "full", "label": "Fully funded", "count": 1}
    ]
    assert body["facets"]["topic"] == [
        {
            "param": "topic",
            "value": "mathematics",
            "label": "Mathematics",
            "count": 1,
            "children": [{"param": "topic", "value": "analysis", "label": "Analysis", "count": 1}],
        }
    ]
    record = body["results"][0]
    assert RECORD_KEYS | {"id", "detail_url", "api_url", "sources"} <= set(record)
    assert record["id"] == listed_position.pk
    assert record["url"] == listed_position.url
    assert record["detail_url"].endswith(f"/positions/{listed_position.pk}/")
    assert record["stipend"] == {
        "amount": 2400,
        "currency": "EUR",
        "period": "month",
        "pay_scale": "TV-L E13",
        "fte_percent": 65,
    }
    assert record["topics"] == ["Mathematics > Analysis"]
    assert [source["name"] for source in record["sources"]] == ["EURAXESS", "FindAPhD"]
    assert set(record["sources"][0]) == {"name", "url", "last_checked", "state"}


def test_next_and_previous_links_keep_the_query(client):
    PositionFactory.create_batch(3, funding="full")

    body = client.get("/api/positions/", {"funding": "full", "per_page": 1, "page": 2}).json()

    assert body["count"] == 3
    assert "funding=full" in body["next"] and "page=3" in body["next"]
    assert "page=1" in body["previous"]


def test_one_position_has_the_record_keys_and_its_sanitised_description(client, listed_position):
    response = client.get(f"/api/positions/{listed_position.pk}/")

    record = response.json()
    assert RECORD_KEYS | {"id", "sources", "description_html", "description_text"} <= set(record)
    assert record["title"] == "Optimal transport and PDEs"


@pytest.mark.parametrize("position_id", ["999999", "99999999999999999999999", "abc"])
def test_an_unknown_position_is_a_json_404(client, position_id):
    response = client.get(f"/api/positions/{position_id}/")

    assert response.status_code == 404
    assert response.json()["error"]


@pytest.mark.parametrize(
    "query",
    [
        {"funding": "lots"},
        {"deadline_after": "2026-02-30"},
        {"country": "Narnia"},
        {"page": "two"},
        {"institution": "1e9"},
        {"topic": "<script>"},
    ],
)
def test_bad_parameters_are_a_400_with_a_json_error(client, query):
    response = client.get("/api/positions/", query)

    assert response.status_code == 400
    body = response.json()
    assert body["error"] and set(body["detail"]) == set(query)


def test_the_openapi_schema_and_the_docs_page_need_no_cdn(client):
    schema = client.get("/api/openapi.json").json()
    docs = client.get("/api/docs/")

    assert "/api/positions/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/positions/"]["get"]["parameters"]}
    assert {
        "q",
        "funding",
        "deadline_within",
        "country",
        "sort",
        "page",
        "per_page",
        "include_closed",
    } <= parameters
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "cdn" not in html.lower() and "/static/ninja/swagger-ui-bundle.js" in html


def test_the_atom_feed_follows_the_search(client, listed_position):
    PositionFactory(title="Marine biology", funding="self", search=True)

    response = client.get("/feeds/positions.atom", {"funding": "full"})

    feed = feedparser.parse(response.content)
    assert response.status_code == 200 and not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Optimal transport and PDEs"]
    assert feed.entries[0].link.endswith(f"/positions/{listed_position.pk}/")


def test_the_deadlines_calendar_has_one_all_day_event_per_upcoming_deadline(client):
    today = timezone.localdate()
    PositionFactory(title="Closes soon", deadline=today + dt.timedelta(days=3), funding="full")
    PositionFactory(title="Rolling", deadline_kind="rolling", deadline=None, funding="full")
    PositionFactory(title="Self-funded", deadline=today + dt.timedelta(days=3), funding="self")

    response = client.get("/feeds/deadlines.ics", {"funding": "full"})

    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse_calendar(response.content)
    events = calendar.walk("VEVENT")
    assert [event.text("SUMMARY") for event in events] == ["Deadline: Closes soon"]
    assert events[0].value("DTSTART") == (today + dt.timedelta(days=3)).strftime("%Y%m%d")
    assert events[0].properties["DTSTART"][0][0] == "VALUE=DATE"


def test_a_position_calendar_file_is_a_download(client, listed_position):
    response = client.get(f"/positions/{listed_position.pk}/deadline.ics")

    assert "attachment" in response["Content-Disposition"]
    events = parse_calendar(response.content).walk("VEVENT")
    assert len(events) == 1 and "Optimal transport and PDEs" in events[0].text("SUMMARY")


def test_the_sitemap_lists_open_positions_only(client):
    open_position = PositionFactory()
    closed = PositionFactory(status="closed")

    index = client.get("/sitemap.xml").content.decode()
    section = client.get("/sitemap-positions.xml").content.decode()

    assert "sitemap-positions.xml" in index
    assert f"/positions/{open_position.pk}/" in section
    assert f"/positions/{closed.pk}/" not in section


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin_and_api(client):
    text = client.get("/robots.txt").content.decode()

    assert "Sitemap: " in text and "/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /api/" in text
