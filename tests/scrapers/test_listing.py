"""The listing reader on hand-written results pages: the repeated blocks found from the
structure, the doctoral decision of each entry, other hosts, the next page; and pages that
are not results pages (an advert with a "similar" box, a news list) left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers import doctoral, pagination
from scrapers.adapters import parse_page
from scrapers.adapters._common import soup_from_html
from scrapers.listing import read_listing
from scrapers.records import Page

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "listings"


def _read(name: str, url: str, options: dict | None = None):
    return read_listing(Page(url=url, text=(FIXTURES / name).read_text()), options)


def _by_title(listing) -> dict[str, object]:
    return {entry.title: entry for entry in listing.entries}


def test_table_rows_are_entries_and_the_type_column_decides_an_untyped_title():
    listing = _read("table-rows.html", "https://exu.varbi.com/en/what:findjob/")
    assert listing is not None
    assert [entry.url for entry in listing.entries] == [
        f"https://exu.varbi.com/what:job/jobID:{n}/" for n in range(1001, 1007)
    ]
    # The row's first link names the post; the department links to the same advert.
    assert listing.entries[0].title == "PhD student in Marine Ecology"
    kept = {entry.title: entry.reason for entry in listing.kept()}
    assert set(kept) == {
        "PhD student in Marine Ecology",
        "Computational models of coastal erosion",
        "Doktorand i matematisk statistik",
    }
    assert kept["Computational models of coastal erosion"] == "type says 'Doctoral'"
    dropped = {entry.title: entry.reason for entry in listing.entries if not entry.followed}
    assert "Postdoctoral" in dropped["Postdoctoral fellow in Social Psychology"]
    assert "Universitetslektor" in dropped["Universitetslektor i fysik"]
    assert listing.next_url is None


def test_cards_link_to_a_known_platform_on_another_host_but_not_to_an_unknown_host():
    listing = _read("cards-offhost.html", "https://www.exu.example/vacancies")
    assert listing is not None and len(listing.entries) == 5
    followed = [entry.url for entry in listing.kept()]
    assert followed == [
        "https://exu.varbi.com/en/what:job/jobID:7001/type:job/where:4/apply:1",
        "https://exu.varbi.com/en/what:job/jobID:7003/type:job/where:4/apply:1",
    ]
    unknown = _by_title(listing)["PhD position in hydrology, shared with a partner company"]
    assert unknown.doctoral and not unknown.followed
    assert "careers.unknown-hr.example is another host" in unknown.reason

    everywhere = _read(
        "cards-offhost.html", "https://www.exu.example/vacancies", {"allow_other_hosts": True}
    )
    assert "https://careers.unknown-hr.example/job/55" in [e.url for e in everywhere.kept()]


def test_every_position_is_kept_when_the_source_says_so():
    listing = _read(
        "cards-offhost.html", "https://www.exu.example/vacancies", {"doctoral_only": False}
    )
    assert len(listing.kept()) == 4  # all but the unknown host
    officer = _by_title(listing)["Financial officer (PA2026/105)"]
    assert officer.followed and "keeps every position" in officer.reason


def test_a_plain_list_with_a_localised_next_link():
    listing = _read("list-page-1.html", "https://www.uni.example/stellen")
    assert listing is not None
    assert [entry.title for entry in listing.kept()] == [
        "Doktorand/in (m/w/d) in der Theoretischen Physik",
        "Wissenschaftliche/r Mitarbeiter/in (Promotion) Informatik",
    ]
    assert listing.next_url == "https://www.uni.example/stellen?seite=2"
    second = _read("list-page-2.html", "https://www.uni.example/stellen?seite=2")
    assert second.next_url == "https://www.uni.example/stellen?seite=3"  # not back to 1


def test_articles_with_a_numbered_pager_counting_from_zero():
    listing = _read("articles-pager.html", "https://portal.example.eu/jobs/search")
    assert listing is not None
    assert [entry.url for entry in listing.entries] == [
        f"https://portal.example.eu/jobs/{n}" for n in (5001, 5002, 5003, 5004)
    ]
    # The heading's link, not the organisation's profile link above it.
    assert listing.entries[0].title == "PhD Candidate in comparative politics"
    assert [entry.url for entry in listing.kept()] == [
        "https://portal.example.eu/jobs/5001",
        "https://portal.example.eu/jobs/5003",
    ]
    assert listing.next_url == "https://portal.example.eu/jobs/search?page=1"


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("advert-similar.html", "https://www.exu.example/jobs/80"),
        ("news-list.html", "https://www.exu.example/news"),
    ],
)
def test_pages_that_are_not_results_pages(name, url):
    assert _read(name, url) is None


def test_an_advert_with_a_similar_box_stays_one_record_with_its_own_title():
    page = Page(
        url="https://www.exu.example/jobs/80", text=(FIXTURES / "advert-similar.html").read_text()
    )
    result = parse_page(page)
    assert result.links == []
    assert [record.title for record in result.records] == ["PhD position in glaciology"]


def test_a_results_page_read_with_no_adapter_named_yields_links_not_a_record():
    page = Page(
        url="https://exu.varbi.com/en/what:findjob/",
        text=(FIXTURES / "table-rows.html").read_text(),
    )
    result = parse_page(page)
    assert result.records == []
    assert [link.rel for link in result.links] == ["advert"] * 6
    assert len(result.follow) == 3
    for adapter in ("generic", "lab_page", "aggregator"):
        named = parse_page(page, adapter=adapter)
        assert named.records == [] and named.follow == result.follow, adapter


def test_a_json_api_page_with_a_next_link_and_one_with_a_cursor():
    listing = _read("api-page-1.json", "https://jobs.example.org/api/jobs?page=1")
    assert [entry.url for entry in listing.kept()] == [
        "https://jobs.example.org/job/9001",
        "https://jobs.example.org/job/9003",
    ]
    assert listing.next_url == "https://jobs.example.org/api/jobs?page=2"
    cursor = _read("api-cursor.json", "https://jobs.example.org/api/positions?cursor=abc")
    assert [entry.title for entry in cursor.kept()] == ["PhD fellowship in marine biology"]
    assert cursor.next_url == "https://jobs.example.org/api/positions?cursor=eyJvZmZzZXQiOjJ9"


@pytest.mark.parametrize(
    ("title", "cells", "expected"),
    [
        ("PhD student in Law", [], True),
        ("Doctoral candidate in Robotics", [], True),
        ("Doktorand i kemi", [], True),
        ("Doktorand/in (m/w/d) Biologie", [], True),
        ("Promovendus theoretische natuurkunde", [], True),
        ("Promotieplaats in de taalkunde", [], True),
        ("Sujet de thèse en chimie verte", [], True),
        ("Borsa di dottorato in fisica", [], True),
        ("Contrato predoctoral: doctorado en biología", [], True),
        ("Stipendiat i informatikk", [], True),
        ("Väitöskirjatutkija, fysiikka", [], True),
        ("Doctoral student or postdoc in optics", [], True),
        ("Postdoctoral researcher in ecology", [], False),
        ("Post-doc in optics (PhD required)", [], False),
        ("Postdoktor i kemi", [], False),
        ("Universitetslektor i matematik", [], False),
        ("Senior lecturer in economics", [], False),
        ("Research Software Engineer", [], False),
        ("Marine ecology", ["Temporary position", "Doctoral student"], True),
        ("Marine ecology", ["Permanent position", "Teaching staff"], None),
        ("Marine ecology", [], None),
    ],
)
def test_the_doctoral_check(title, cells, expected):
    verdict = doctoral.classify(title, cells)
    assert verdict.doctoral is expected
    if expected is not None:
        assert verdict.reason


@pytest.mark.parametrize(
    ("html", "url", "expected"),
    [
        ('<link rel="next" href="/r?p=9">', "https://x.example/r?p=8", "https://x.example/r?p=9"),
        (
            '<a href="/r?page=3">Next page</a>',
            "https://x.example/r?page=2",
            "https://x.example/r?page=3",
        ),
        ('<a href="/r?p=3">Nästa</a>', "https://x.example/r?p=2", "https://x.example/r?p=3"),
        (
            '<a href="/r?p=3" aria-label="Volgende">\u203a</a>',
            "https://x.example/r",
            "https://x.example/r?p=3",
        ),
        (
            '<a href="/r?start=0">1</a><a href="/r?start=20">2</a><a href="/r?start=40">3</a>',
            "https://x.example/r?start=20",
            "https://x.example/r?start=40",
        ),
        (
            '<a href="/r?start=20">2</a><a href="/r?start=40">3</a>',
            "https://x.example/r",
            "https://x.example/r?start=20",
        ),
        (
            '<a href="/jobs/page/2/">2</a><a href="/jobs/page/3/">3</a>',
            "https://x.example/jobs/",
            "https://x.example/jobs/page/2/",
        ),
        (
            '<a href="/jobs/page/2/">2</a><a href="/jobs/page/4/">4</a>',
            "https://x.example/jobs/page/3/",
            "https://x.example/jobs/page/4/",
        ),
        ('<a href="/r?page=1">1</a><span>2</span>', "https://x.example/r?page=2", None),
        ('<a href="/jobs/7">Doctoral student in physics</a>', "https://x.example/jobs/6", None),
    ],
)
def test_the_next_page(html, url, expected):
    assert pagination.next_page_url(soup_from_html(f"<body>{html}</body>"), url) == expected


def test_an_api_next_link_or_cursor():
    base = "https://api.example/v1/jobs?limit=20"
    assert pagination.json_next_url({"links": {"next": "/v1/jobs?page=2"}}, base) == (
        "https://api.example/v1/jobs?page=2"
    )
    assert pagination.json_next_url({"next": None, "results": []}, base) is None
    assert pagination.json_next_url({"nextPageToken": "t2", "items": []}, base) == (
        "https://api.example/v1/jobs?limit=20&pageToken=t2"
    )
    assert pagination.json_next_url({"meta": {"next_cursor": "c9"}}, base + "&cursor=c8") == (
        "https://api.example/v1/jobs?limit=20&cursor=c9"
    )
