"""A results page nobody configured, crawled end to end from a local server: its doctoral
adverts are fetched and stored, the others are not, each decision is on the run, and the
pager is followed until a page brings nothing new or the cap is reached."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from positions.models import Position
from scrapers import pipeline
from scrapers.models import ScrapeRun
from tests.factories import SourceFactory
from tests.scrapers.servers import send

pytestmark = pytest.mark.django_db

PAGES = {
    1: [
        (301, "Doktorand/in (m/w/d) in der Theoretischen Physik"),
        (302, "Wissenschaftliche/r Mitarbeiter/in (Promotion) Informatik"),
        (303, "Professur (W3) für Organische Chemie"),
        (304, "Technische/r Assistent/in im Labor"),
    ],
    2: [
        (305, "Promotionsstelle in der Hydrologie"),
        (306, "Doktorandin oder Doktorand in der Linguistik"),
        (307, "Sachbearbeiter/in Haushalt"),
    ],
}
TITLES = {number: title for rows in PAGES.values() for number, title in rows}


def _list_page(number: int) -> str:
    rows = PAGES[min(number, 2)]  # past page 2 the site repeats its last page
    items = "".join(
        f'<li><a href="/stellen/{n}">{title}</a> <span>Bewerbungsschluss: 15.03.2030</span></li>'
        for n, title in rows
    )
    return (
        "<html><head><title>Stellenangebote</title></head><body><h1>Stellenangebote</h1>"
        f'<ul>{items}</ul><p><a href="/stellen?seite={number + 1}">Weiter \u203a</a></p></body></html>'
    )


@pytest.fixture
def board(server):
    def listing(request) -> None:
        query = parse_qs(urlsplit(request.path).query)
        number = int(query.get("seite", ["1"])[0])
        send(request, 200, _list_page(number).encode(), "text/html; charset=utf-8")

    def advert(request) -> None:
        number = int(request.path.rsplit("/", 1)[1])
        body = (
            f"<html><body><main><h1>{TITLES[number]}</h1><p>Universität Beispiel, Fakultät "
            "für Naturwissenschaften.</p><p>Bewerbungsschluss: 15.03.2030</p>"
            "<p>Eine Stelle für vier Jahre, Vergütung nach TV-L E13 (65 %).</p></main></body></html>"
        )
        send(request, 200, body.encode(), "text/html; charset=utf-8")

    server.route("/stellen", listing)
    for number in TITLES:
        server.route(f"/stellen/{number}", advert)
    return server


def test_only_the_doctoral_adverts_of_every_page_are_stored_and_paging_stops(board):
    source = SourceFactory(start_url=board.url("/stellen"), adapter="generic", options={})

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    assert sorted(Position.objects.values_list("title", flat=True)) == sorted(
        TITLES[n] for n in (301, 302, 305, 306)
    )
    paths = board.paths()
    assert "/stellen/303" not in paths and "/stellen/307" not in paths  # never fetched
    assert "/stellen?seite=3" in paths and "/stellen?seite=4" not in paths
    assert "brought no advert not seen before" in run.message
    decisions = run.listing_decisions
    assert (decisions["listing_pages"], decisions["kept"], decisions["dropped"]) == (3, 4, 3)
    assert decisions["reasons"]["kept: title says 'Doktorand'"] == 1
    assert any(
        sample["title"] == TITLES[303] and not sample["kept"] and "Professur" in sample["reason"]
        for sample in decisions["samples"]
    )


def test_the_listing_page_cap(board):
    source = SourceFactory(
        start_url=board.url("/stellen"), adapter="generic", options={"max_listing_pages": 1}
    )

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert Position.objects.count() == 2
    assert not any(path.startswith("/stellen?") for path in board.paths())
    assert "at the cap of 1 results pages" in run.message


@pytest.fixture
def api(server):
    """A JSON API of jobs, two pages joined by a cursor, each job with its advert page."""
    jobs = {
        "": ([(1, "PhD student in glaciology"), (2, "Lecturer in statistics")], "c2"),
        "c2": ([(3, "Doctoral candidate in ocean acoustics")], None),
    }

    def listing(request) -> None:
        cursor = parse_qs(urlsplit(request.path).query).get("cursor", [""])[0]
        rows, next_cursor = jobs[cursor]
        body = {
            "results": [{"id": n, "title": title, "url": f"/job/{n}"} for n, title in rows],
            "next_cursor": next_cursor,
        }
        send(request, 200, json.dumps(body).encode(), "application/json")

    def advert(request) -> None:
        number = int(request.path.rsplit("/", 1)[1])
        title = {1: "PhD student in glaciology", 3: "Doctoral candidate in ocean acoustics"}
        body = (
            f"<html><body><main><h1>{title.get(number, 'Lecturer')}</h1>"
            "<p>Application deadline: 1 March 2031.</p></main></body></html>"
        )
        send(request, 200, body.encode(), "text/html; charset=utf-8")

    server.route("/api/jobs", listing)
    for number in (1, 2, 3):
        server.route(f"/job/{number}", advert)
    return server


def test_a_json_api_is_paged_by_its_cursor(api):
    source = SourceFactory(start_url=api.url("/api/jobs"), adapter="generic", options={})

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    assert "/api/jobs?cursor=c2" in api.paths() and "/job/2" not in api.paths()
    assert sorted(Position.objects.values_list("title", flat=True)) == [
        "Doctoral candidate in ocean acoustics",
        "PhD student in glaciology",
    ]
    assert (run.listing_decisions["kept"], run.listing_decisions["dropped"]) == (2, 1)
