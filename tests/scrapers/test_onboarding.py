"""A pasted vacancies URL becomes a Source's fields (scrapers.onboarding.suggest_source): the
platform from the URL, else from the page fetched through the guarded fetch layer; the
platform's identifiers and the adapter's options filled in; every failure said, none raised."""

from __future__ import annotations

import pytest

from scrapers.onboarding import WORKDAY_SEARCH, suggest_source
from scrapers.preview import source_preview
from tests.scrapers.onboarding_sites import WORKDAY_JOBS, serve_university, serve_workday


@pytest.fixture
def site(server, settings):
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    serve_university(server)
    serve_workday(server)
    return server


def test_a_university_page_of_no_known_platform_goes_to_the_generic_reader(site):
    suggestion = suggest_source(site.url("/vacancies"))

    assert suggestion.errors == []
    assert suggestion.adapter == "generic"
    assert suggestion.how.startswith("the page's content")
    assert suggestion.start_url == site.url("/vacancies")
    assert suggestion.name == "Vacancies | Northmoor University"
    assert suggestion.usable and suggestion.page is not None


def test_a_careers_site_on_the_universitys_domain_is_workday_with_its_tenant_and_site(site):
    suggestion = suggest_source(site.url("/careers"))

    assert suggestion.errors == []
    assert (suggestion.adapter, suggestion.how) == ("workday", "the page's markers")
    assert suggestion.facts == {"Workday tenant": "northmoor", "Workday site": "External"}
    assert suggestion.options == {"search_text": WORKDAY_SEARCH, "tenant": "northmoor"}
    # The careers site's own address is the start: the adapter turns it into the API's list.
    assert suggestion.start_url == site.url("/External")
    assert any("careers site" in note for note in suggestion.notes)

    preview = source_preview(
        start_url=suggestion.start_url, adapter=suggestion.adapter, options=suggestion.options
    )
    assert preview.errors == []
    assert sorted(r.data["title"] for r in preview.records) == sorted(t for t, *_ in WORKDAY_JOBS)
    # The list is asked for by POST with its search, as a crawl asks.
    assert any(b'"searchText": "PhD"' in body for _path, body in site.posted)


def test_a_doorway_page_linking_to_varbi_names_the_company(site):
    suggestion = suggest_source(site.url("/work-with-us"))

    assert (suggestion.adapter, suggestion.how) == ("varbi", "the page's markers")
    assert suggestion.facts == {"Varbi company": "northmoor"}
    # Its links are Varbi adverts: the pasted page itself is the results page.
    assert suggestion.start_url == site.url("/work-with-us")


def test_a_page_linking_to_jobbnorge_names_the_employer(site):
    suggestion = suggest_source(site.url("/ledige-stillinger"))

    assert suggestion.adapter == "jobbnorge"
    assert suggestion.facts == {"Jobbnorge employer": "1234"}


@pytest.mark.parametrize(
    ("url", "adapter", "facts", "options"),
    [
        (
            "https://ubc.wd10.myworkdayjobs.com/en-US/ubcfacultyjobs",
            "workday",
            {"Workday tenant": "ubc", "Workday site": "ubcfacultyjobs"},
            {"search_text": WORKDAY_SEARCH},
        ),
        ("https://kth.varbi.com/en/", "varbi", {"Varbi company": "kth"}, {}),
        (
            "https://www.jobbnorge.no/en/available-jobs?employer=77",
            "jobbnorge",
            {"Jobbnorge employer": "77"},
            {},
        ),
        ("https://euraxess.ec.europa.eu/jobs/search?keywords=PhD", "euraxess", {}, {}),
    ],
)
def test_the_url_alone_names_the_platform_even_when_it_cannot_be_reached(
    url, adapter, facts, options
):
    suggestion = suggest_source(url)  # no internet here: the address does not resolve

    assert (suggestion.adapter, suggestion.how) == (adapter, "the URL's host")
    assert suggestion.facts == facts
    assert suggestion.options == options
    assert suggestion.errors and "cannot be reached" in suggestion.errors[0]
    assert not suggestion.usable


def test_a_private_address_is_refused_and_never_contacted(server, settings):
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = []
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page("/jobs", "<html><body>intranet</body></html>")

    for url in (server.url("/jobs"), "http://10.1.2.3/jobs", "http://169.254.169.254/latest"):
        suggestion = suggest_source(url)
        assert suggestion.errors and suggestion.errors[0].startswith("Refused"), url
        assert not suggestion.usable
    assert server.connections == 0


def test_an_unreachable_page_and_a_bad_address_are_said(server, settings):
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page("/gone", "no", status=404)

    gone = suggest_source(server.url("/gone"))
    assert gone.errors and gone.errors[0].startswith("The page could not be fetched")
    assert not gone.fetched and gone.adapter == ""

    for url in ("", "not a url", "ftp://example.org/jobs", "https://user:pw@example.org/"):
        suggestion = suggest_source(url)
        assert suggestion.errors and not suggestion.usable, url
