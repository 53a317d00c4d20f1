"""Script, event handlers, javascript: URLs and mutation-XSS payloads in EVERY scraped field
come out inert on the search page, the detail page, the API and the feeds."""

from __future__ import annotations

import json

import feedparser
import lxml.html
import pytest
from lxml import etree

from positions.sanitize import clean_html, nesting_depth, safe_url
from tests.factories import InstitutionFactory, ListingFactory, PositionFactory, SourceFactory

from .ical import parse_calendar

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '"><svg onload=alert(1)>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "</script><script>alert(1)</script>",
]
DANGEROUS_TAGS = {
    "script",
    "img",
    "svg",
    "math",
    "iframe",
    "style",
    "noscript",
    "object",
    "embed",
    "mglyph",
    "base",
    "meta",
    "link",
}
OUR_SCRIPTS = {"/static/js/search.js", "/static/js/shortlist.js"}
OUR_FORMS = {"/", "/shortlist/star/", "/alerts/subscribe/"}


def hostile_position(payload: str):
    institution = InstitutionFactory(name=f"Institute {payload}"[:300])
    position = PositionFactory(
        title=f"PhD {payload}",
        institution=institution,
        institution_name=f"Institute {payload}",
        department=f"Department {payload}",
        city=f"City {payload}"[:200],
        supervisors=[f"Dr {payload}"[:200]],
        contact_emails=[f"{payload}@example.org"[:254]],
        description_html=f"<p>About {payload}</p>{payload}",
        description_text=f"About {payload}",
        stipend_text=f"{payload}"[:500],
        start_text=f"Autumn {payload}"[:300],
        pay_scale=f"{payload}"[:100],
        tags=[payload[:200]],
        deadline_timezone=payload[:64],
        apply_url="javascript:alert(1)",
        url=f'https://example.org/"><script>alert(1)</script>{payload}'[:2000],
        search=True,
    )
    ListingFactory(position=position, source=SourceFactory(name="Board"), url="javascript:alert(2)")
    return position


def assert_inert_html(html: str, *, allowed_scripts: set[str] = OUR_SCRIPTS) -> None:
    document = lxml.html.document_fromstring(html)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            source = element.get("src")
            if source is not None:
                assert source in allowed_scripts
            else:
                assert element.get("type") == "application/ld+json", "an inline script"
                json.loads(element.text)  # a data block that parses: nothing broke out of it
            continue
        if tag == "link":
            continue  # our stylesheet, icon, canonical and feed links from the template
        if tag == "meta":
            continue
        if tag == "form":
            assert element.get("action") in OUR_FORMS, "only our own forms (search, star, alert)"
        assert tag not in DANGEROUS_TAGS, f"<{tag}> came through"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name} on <{tag}>"
            if name.lower() in {"href", "src", "action", "formaction", "srcdoc"}:
                assert (
                    not value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
                ), value


def assert_inert_fragment(html: str) -> None:
    assert_inert_html(f"<html><body>{html}</body></html>", allowed_scripts=set())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_search_page_shows_hostile_fields_as_text(client, payload):
    hostile_position(payload)

    for query in ({}, {"q": "PhD"}):
        response = client.get("/", query)
        assert response.status_code == 200
        assert_inert_html(response.content.decode())
    assert "PhD " in response.content.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_detail_page_shows_hostile_fields_as_text(client, payload):
    position = hostile_position(payload)

    html = client.get(f"/positions/{position.pk}/").content.decode()

    assert_inert_html(html)
    document = lxml.html.document_fromstring(html)
    assert document.get_element_by_id("position-title").text_content() == position.title
    ld = [s for s in document.iter("script") if s.get("type") == "application/ld+json"]
    assert json.loads(ld[0].text)["title"] == position.title


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_api_returns_hostile_fields_as_json_data_and_sanitised_html(client, payload):
    position = hostile_position(payload)

    response = client.get(f"/api/positions/{position.pk}/")
    listing = client.get("/api/positions/")

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    record = response.json()
    assert record["title"] == position.title  # data, exactly as scraped
    assert record["apply_url"] is None
    assert record["sources"][0]["url"] is None
    assert_inert_fragment(record["description_html"])
    assert listing.json()["results"][0]["apply_url"] is None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_feeds_carry_hostile_fields_as_text(client, payload):
    position = hostile_position(payload)

    atom = client.get("/feeds/positions.atom")
    calendar = client.get("/feeds/deadlines.ics")

    etree.fromstring(atom.content)  # well-formed XML
    feed = feedparser.parse(atom.content)
    entry = feed.entries[0]
    assert entry.title == position.title
    assert entry.title_detail.type == "text/plain"
    assert_inert_fragment(entry.summary)
    events = parse_calendar(calendar.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].text("SUMMARY") == f"Deadline: {position.title}"


def test_newlines_in_a_title_cannot_start_a_calendar_event_of_their_own(client):
    PositionFactory(title="PhD\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected")

    events = parse_calendar(client.get("/feeds/deadlines.ics").content).walk("VEVENT")

    assert len(events) == 1
    assert "injected" in events[0].text("SUMMARY")


def test_sanitiser_keeps_ordinary_formatting_and_safe_links():
    html = clean_html(
        '<h2>Project</h2><p>See <a href="https://lab.example/x" onclick="x()">the lab</a>.</p>'
    )

    assert html == (
        '<h2>Project</h2><p>See <a href="https://lab.example/x" '
        'rel="nofollow noopener noreferrer">the lab</a>.</p>'
    )


def test_a_deeply_nested_document_is_shown_as_plain_text():
    html = "<div>" * 5000 + "<img src=x onerror=alert(1)>deep" + "</div>" * 5000

    assert nesting_depth(html) == 5000
    assert clean_html(html) == "<p>deep</p>"


def test_an_oversized_document_is_cut_before_sanitising():
    html = "<p>" + "a" * 1_000_000 + "</p>"

    assert len(clean_html(html)) < 250_000


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("mailto:ada@example.org", "mailto:ada@example.org"),
        ("javascript:alert(1)", ""),
        (" JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("//evil.example/", ""),
        ('https://x.example/"onmouseover="alert(1)', ""),
    ],
)
def test_only_http_https_and_mailto_links_are_kept(url, expected):
    assert safe_url(url) == expected
