"""The site in real headless Chromium (Debian's, through Playwright) against live_server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import (
    InstitutionFactory,
    ListingFactory,
    PositionFactory,
    SourceFactory,
    TopicFactory,
)

from .ical import parse_calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ConsoleWatch:
    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console", lambda message: message.type == "error" and self.errors.append(message.text)
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.watch = ConsoleWatch(page)
    yield page
    context.close()


@pytest.fixture
def positions(transactional_db):
    today = timezone.localdate()
    field = TopicFactory(name="Mathematics", slug="mathematics")
    transport = TopicFactory(name="Optimal transport", slug="optimal-transport", parent=field)
    edinburgh = InstitutionFactory(name="University of Edinburgh", country="GB")
    munich = InstitutionFactory(name="Technische Universitaet Muenchen", country="DE")
    boards = [SourceFactory(name="FindAPhD"), SourceFactory(name="EURAXESS")]
    made = []
    for number in range(3):
        made.append(
            PositionFactory(
                title=f"Optimal transport studentship {number}",
                institution=edinburgh,
                funding="full",
                topics=[transport],
                deadline=today + dt.timedelta(days=10 + number),
                search=True,
            )
        )
    for number in range(2):
        made.append(
            PositionFactory(
                title=f"Transport networks project {number}",
                institution=munich,
                funding="partial",
                topics=[transport],
                deadline=today + dt.timedelta(days=20 + number),
                search=True,
            )
        )
    for position in made:
        ListingFactory(position=position, source=boards[0])
    ListingFactory(position=made[0], source=boards[1])
    return made


def expect(locator):
    # Playwright's own assertions wait without evaluating strings (which the page's CSP,
    # rightly, forbids).
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=30_000)
    return playwright_expect(locator)


def count_of(page, facet: str, value: str) -> int:
    option = page.locator(f'[data-facet="{facet}"] input[value="{value}"]').locator("xpath=..")
    return int(option.locator(".count").inner_text())


def test_search_filter_open_a_result_and_download_its_deadline(live_server, page, positions):
    page.goto(live_server.url + "/")
    assert page.locator("#results-count").inner_text() == "5 positions"

    page.fill("#q", "transport")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"q=transport"))
    assert count_of(page, "funding", "full") == 3 and count_of(page, "funding", "partial") == 2

    # click, not check: the script replaces the checkbox with the new facet panel at once.
    page.click('[data-facet="country"] input[value="DE"]')
    page.wait_for_url(re.compile(r"country=DE"))
    expect(page.locator("#results-count")).to_contain_text("2 positions")
    # The funding counts now reflect the country filter; the country counts do not.
    assert page.locator('[data-facet="funding"] input[value="full"]').count() == 0
    assert count_of(page, "funding", "partial") == 2
    assert count_of(page, "country", "GB") == 3

    page.go_back()
    expect(page.locator("#results-count")).to_contain_text("5 positions")
    assert not page.locator('[data-facet="country"] input[value="DE"]').is_checked()

    page.click("text=Optimal transport studentship 0")
    page.wait_for_url(re.compile(r"/positions/\d+/$"))
    assert page.locator("h1").inner_text() == "Optimal transport studentship 0"
    assert "FindAPhD" in page.locator(".sources").inner_text()

    with page.expect_download() as download_info:
        page.click("text=Add the deadline to my calendar")
    with open(download_info.value.path(), "rb") as downloaded:
        calendar = parse_calendar(downloaded.read())
    assert [event.text("SUMMARY") for event in calendar.walk("VEVENT")] == [
        "Deadline: Optimal transport studentship 0"
    ]
    assert page.watch.errors == []


def test_the_search_page_works_without_javascript(live_server, browser, positions):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.check('[data-facet="country"] input[value="GB"]')
        page.locator(".facets__actions--bottom button").click()
        page.wait_for_url(re.compile(r"country=GB"))
        assert page.locator("#results-count").inner_text() == "3 positions"
        page.select_option("#sort", "newest")
        page.click(".results__sort button")
        page.wait_for_url(re.compile(r"sort=newest"))
        assert page.locator("#results-count").inner_text() == "3 positions"
        page.click("text=Optimal transport studentship 1")
        assert page.locator("h1").inner_text() == "Optimal transport studentship 1"
    finally:
        context.close()


def test_a_hostile_advert_runs_no_script(live_server, page, transactional_db):
    position = PositionFactory(
        title="<img src=x onerror=alert(1)> PhD",
        supervisors=["<svg onload=alert(2)>"],
        apply_url="javascript:alert(3)",
        description_html=(
            '<a href="javascript:alert(7)">link</a>'
            "<svg><style><img src=x onerror=alert(4)></style></svg>"
            '<noscript><p title="</noscript><img src=x onerror=alert(5)>"></noscript>'
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(6)>"
        ),
    )

    page.goto(f"{live_server.url}/positions/{position.pk}/")
    page.click("text=link")
    page.goto(f"{live_server.url}/?q=PhD")

    assert page.watch.dialogs == []
    assert page.evaluate("document.querySelectorAll('[onerror],[onload],[onclick]').length") == 0
    assert page.watch.errors == []


def test_the_phone_layout_folds_the_filters_away(live_server, browser, positions):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert not page.locator("#filters").evaluate("element => element.open")
        page.click(".filters__summary")
        assert page.locator('[data-facet="funding"]').is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    finally:
        context.close()


def test_the_api_docs_render_from_our_own_files_under_the_policy(
    live_server, page, transactional_db
):
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))

    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".opblock")

    assert page.locator(".opblock").count() == 2
    assert requested_hosts == {live_server.url.split("/")[2]}
    assert page.watch.errors == []
