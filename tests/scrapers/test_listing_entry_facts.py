"""Facts a results page gives about an advert (its deadline, department, type, place) reach
the advert's stored position when the advert page leaves them out, with a lower confidence
than the advert's own facts and evidence saying they came from the results page; a fact the
advert page states itself wins, and a different deadline on the list is a contradiction."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from positions.models import Position
from scrapers import pipeline
from scrapers.listing import read_listing
from scrapers.listing_facts import LISTING_TRUST, RULE_PREFIX
from scrapers.models import ScrapeRun
from scrapers.records import Page
from tests.factories import SourceFactory
from tests.scrapers.servers import send

LISTINGS = Path(__file__).resolve().parents[1] / "fixtures" / "listings"
TABLE = (LISTINGS / "uni-vacancies.html").read_text("utf-8")
CARDS = (LISTINGS / "cards-facts.html").read_text("utf-8")

ADVERT = (
    "<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
    "<p>Northmoor University invites applications for a four-year doctoral position. The "
    "successful candidate joins a friendly research group and takes part in our graduate "
    "school's courses.</p>{extra}<p>Apply through the link below.</p></main></body></html>"
)


def test_a_table_row_gives_its_cells_under_the_header_cells():
    listing = read_listing(Page(url="https://www.northmoor.example/vacancies", text=TABLE))
    assert listing is not None
    first = listing.entries[0]
    assert first.title == "PhD student in glacier hydrology"
    assert first.facts == {
        "Department": "Department of Earth Sciences",
        "Type of employment": "Fixed-term employment",
        "Location": "Tromsø, Norway",
        "Application deadline": "2031-03-15",
    }


def test_cards_give_dl_pairs_labelled_texts_and_a_label_before_its_value_but_no_bare_date():
    listing = read_listing(Page(url="https://grad.example/open-positions", text=CARDS))
    assert listing is not None
    facts = {entry.url.rsplit("/", 1)[1]: entry.facts for entry in listing.entries}
    assert facts["ph-401"] == {"Faculty": "Faculty of Physics", "Deadline": "1 June 2031"}
    assert facts["ph-403"] == {"Closing date": "30 June 2031"}
    assert facts["ph-404"] == {
        "Department": "Institute of Plasma Physics",
        "Deadline": "10 July 2031",
    }
    # "Posted 3 January 2031" has no label: nothing says it is a deadline.
    assert all("Posted" not in " ".join(f) for f in facts.values())


@pytest.fixture
def university(server):
    server.page("/vacancies", TABLE)
    server.page("/vacancies?page=2", TABLE)  # the pager repeats: nothing new, paging stops
    own_deadline = "<p>Last day to apply: 2031-03-31.</p>"
    titles = {
        2101: ("PhD student in glacier hydrology", ""),
        2102: ("Doctoral student in machine learning for medical imaging", own_deadline),
        2104: ("PhD position in Arctic history", ""),
        2106: ("PhD candidate in sustainable aquaculture", ""),
    }
    for number, (title, extra) in titles.items():
        body = ADVERT.format(title=title, extra=extra)
        server.route(
            f"/vacancies/{number}",
            lambda request, body=body: send(request, 200, body.encode(), "text/html"),
        )
    return server


@pytest.mark.django_db
def test_the_crawl_carries_the_rows_facts_to_the_adverts_that_lack_them(university):
    source = SourceFactory(start_url=university.url("/vacancies"), adapter="generic", options={})

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    positions = {p.title: p for p in Position.objects.all()}
    assert len(positions) == 4, sorted(positions)  # the postdoc and the lecturer are dropped
    glacier = positions["PhD student in glacier hydrology"]
    assert glacier.deadline == dt.date(2031, 3, 15)
    assert glacier.department == "Department of Earth Sciences"
    assert (glacier.city, glacier.country) == ("Tromsø", "NO")
    evidence = glacier.evidence["deadline"]
    assert evidence["rule"].startswith(f"{RULE_PREFIX} {university.url('/vacancies')}")
    assert "2031-03-15" in evidence["snippet"]
    assert evidence["confidence"] <= LISTING_TRUST
    assert glacier.evidence["department"]["rule"].startswith(RULE_PREFIX)
    assert positions["PhD candidate in sustainable aquaculture"].city == "Bodø"

    # The advert's own deadline is the better witness; the list's other date is noted.
    imaging = positions["Doctoral student in machine learning for medical imaging"]
    assert imaging.deadline == dt.date(2031, 3, 31)
    assert not imaging.evidence["deadline"]["rule"].startswith(RULE_PREFIX)
    assert imaging.evidence["deadline"]["confidence"] > evidence["confidence"]
    assert any(
        c["field"] == "deadline" and c["other"] == "2031-04-01" for c in imaging.contradictions
    )
    # A fact the advert lacks still comes from its row.
    assert imaging.department == "Department of Computing"


@pytest.mark.django_db
def test_a_json_api_entry_gives_its_deadline_to_the_advert(server):
    jobs = [
        {
            "title": f"PhD position in hydrology {n}",
            "url": f"/jobs/{n}",
            "department": "Institute of Hydrology",
            "deadline": f"2031-0{n}-10",
        }
        for n in range(1, 5)
    ]
    server.page("/api/jobs", json.dumps({"jobs": jobs}), content_type="application/json")
    for job in jobs:
        body = ADVERT.format(title=job["title"], extra="")
        server.page(job["url"], body)
    source = SourceFactory(start_url=server.url("/api/jobs"), adapter="generic", options={})

    run = pipeline.scrape_source(source.pk, trigger="manual")

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.SUCCEEDED, run.message
    third = Position.objects.get(title="PhD position in hydrology 3")
    assert third.deadline == dt.date(2031, 3, 10)
    assert third.department == "Institute of Hydrology"
    assert third.evidence["deadline"]["rule"].startswith(RULE_PREFIX)
