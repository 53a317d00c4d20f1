"""The shortlist in real headless Chromium, with JavaScript on and off: star from the results
and a position's page, see the shortlist, keep a note, compare three, open the link in a
fresh browser, fetch its calendar. Screenshots go to docs/screenshots/ (shortlist-*.png,
compare-*.png, search-starred-*.png)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.factories import InstitutionFactory, PositionFactory

from .ical import parse_calendar
from .test_browser import ConsoleWatch, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def catalogue(transactional_db):
    today = timezone.localdate()
    eth = InstitutionFactory(name="ETH Zurich", country="CH")
    leuven = InstitutionFactory(name="KU Leuven", country="BE")
    made = [
        PositionFactory(
            title="Machine learning for climate models",
            institution=eth,
            deadline=today + dt.timedelta(days=45),
            supervisors=["Prof. Ana Lopez", "Dr Jan Novak"],
            url="https://eth.example/jobs/1",
            search=True,
        ),
        PositionFactory(
            title="Probabilistic numerics studentship",
            institution=leuven,
            deadline=today + dt.timedelta(days=6),
            funding="partial",
            stipend_amount=2600,
            stipend_currency="EUR",
            stipend_period="month",
            duration_months=48,
            search=True,
        ),
        PositionFactory(
            title="Quantum error correction PhD",
            institution=eth,
            deadline=None,
            deadline_kind="rolling",
            contract="employment",
            search=True,
        ),
        PositionFactory(
            title="Stochastic analysis of networks",
            institution=leuven,
            deadline=today + dt.timedelta(days=120),
            search=True,
        ),
    ]
    return made


def new_page(browser, *, javascript=True, viewport=DESKTOP):
    context = browser.new_context(
        java_script_enabled=javascript,
        viewport=viewport,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.watch = ConsoleWatch(page)
    return page


def star_on_card(page, title):
    card = page.locator(".result", has_text=title)
    card.locator("button.star").click()
    return card.locator("button.star")


def run_the_journey(live_server, browser, catalogue, *, javascript):
    page = new_page(browser, javascript=javascript)
    base = live_server.url
    try:
        page.goto(base + "/")
        loads = []
        page.on("load", lambda _: loads.append(page.url))
        button = star_on_card(page, catalogue[0].title)
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_contain_text("Remove from shortlist")
        if javascript:
            assert loads == [], "the star should not reload the page"
        expect(page.locator(".site-nav [data-shortlist-count]")).to_have_text(re.compile(r"^1"))
        expect(
            page.locator(".result", has_text=catalogue[1].title).locator("button.star")
        ).to_have_attribute("aria-pressed", "false")

        # From a position's own page.
        page.goto(f"{base}/positions/{catalogue[1].pk}/")
        page.locator(".position__header button.star").click()
        expect(page.locator(".position__header button.star")).to_have_attribute(
            "aria-pressed", "true"
        )
        page.goto(base + "/")
        star_on_card(page, catalogue[2].title)
        expect(page.locator(".site-nav [data-shortlist-count]")).to_have_text(re.compile(r"^3"))

        titles = check_the_shortlist(page, catalogue)
        path, calendar_href = share_the_list(page, base, javascript)
    finally:
        page.context.close()
    open_the_link_elsewhere(browser, base, path, calendar_href, titles, catalogue, javascript)


def check_the_shortlist(page, catalogue):
    """Closing soonest first, rolling last, days left; a note; compare the three."""
    page.click(".site-nav__shortlist")
    page.wait_for_url(re.compile(r"/shortlist/$"))
    titles = page.locator(".entry__title").all_inner_texts()
    assert titles == [catalogue[1].title, catalogue[0].title, catalogue[2].title]
    expect(page.locator(".entry").first.locator(".days-left")).to_have_text("6 days left")
    expect(page.locator(".entry").nth(2).locator(".days-left")).to_have_text("Open until filled")

    entry = page.locator(f"#entry-{catalogue[0].pk}")
    entry.locator("textarea").fill("Ask Prof. Lopez about <co-supervision> & funding")
    entry.locator(".note-form button").click()
    page.wait_for_url(re.compile(r"saved="))
    entry = page.locator(f"#entry-{catalogue[0].pk}")
    expect(entry.locator("textarea")).to_have_value(
        "Ask Prof. Lopez about <co-supervision> & funding"
    )
    expect(entry.locator(".note-form__saved")).to_have_text("Saved")

    for box in page.locator("input[data-compare]").all():
        box.check()
    page.locator("#compare-form button").click()
    page.wait_for_url(re.compile(r"/shortlist/compare/\?"))
    expect(page.locator(".compare__position")).to_have_count(3)
    table = page.locator(".compare__table").inner_text()
    assert "Prof. Ana Lopez, Dr Jan Novak" in table and "2,600" in table
    assert "48 months (4 years)" in table
    return titles


def share_the_list(page, base, javascript):
    """The link to send oneself and the calendar's address, from the shortlist page."""
    page.goto(base + "/shortlist/")
    share = page.locator("#share-url").input_value()
    calendar_href = page.locator("a[download]", has_text=".ics").get_attribute("href")
    path = urlsplit(share).path
    assert path.startswith("/shortlist/s/")
    if javascript:
        assert page.locator("[data-copy]").is_visible()
    assert page.watch.errors == []
    return path, calendar_href


def open_the_link_elsewhere(browser, base, path, calendar_href, titles, catalogue, javascript):
    fresh = new_page(browser, javascript=javascript)
    try:
        fresh.goto(base + path)
        assert fresh.locator(".entry__title").all_inner_texts() == titles
        assert fresh.locator("textarea").count() == 0, "notes stay private"
        fresh.click("text=Add these to my shortlist")
        fresh.wait_for_url(re.compile(r"/shortlist/\?imported=3"))
        assert fresh.locator(".entry__title").all_inner_texts() == titles

        response = fresh.request.get(base + calendar_href)
        assert response.status == 200
        calendar = parse_calendar(response.body())
        summaries = [event.text("SUMMARY") for event in calendar.walk("VEVENT")]
        assert summaries == [f"Deadline: {catalogue[1].title}", f"Deadline: {catalogue[0].title}"]
        assert "https://eth.example/jobs/1" in calendar.walk("VEVENT")[1].text("DESCRIPTION")

        # Unstar from the shortlist itself.
        fresh.locator(f"#entry-{catalogue[2].pk} .entry__remove button").click()
        fresh.wait_for_url(re.compile(r"/shortlist/"))
        expect(fresh.locator(".entry")).to_have_count(2)
        assert fresh.watch.errors == []
    finally:
        fresh.context.close()


def test_the_shortlist_with_javascript(live_server, browser, catalogue):
    run_the_journey(live_server, browser, catalogue, javascript=True)


def test_the_shortlist_without_javascript(live_server, browser, catalogue):
    run_the_journey(live_server, browser, catalogue, javascript=False)


def test_stars_do_not_leak_to_another_browser(live_server, browser, catalogue, settings):
    settings.SEARCH_CACHE = True
    mine = new_page(browser)
    theirs = new_page(browser)
    try:
        mine.goto(live_server.url + "/")
        star_on_card(mine, catalogue[0].title)
        expect(mine.locator('button.star[aria-pressed="true"]')).to_have_count(1)
        response = theirs.goto(live_server.url + "/")
        assert response is not None and response.headers["x-cache"] in ("hit", "miss")
        expect(theirs.locator("button.star")).to_have_count(4)
        assert theirs.locator('button.star[aria-pressed="true"]').count() == 0
        mine.reload()
        expect(mine.locator('button.star[aria-pressed="true"]')).to_have_count(1)
    finally:
        mine.context.close()
        theirs.context.close()


def test_screenshots(live_server, browser, catalogue):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for kind, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(browser, viewport=viewport)
        try:
            page.goto(live_server.url + "/")
            for position in catalogue[:3]:
                star_on_card(page, position.title)
            expect(page.locator('button.star[aria-pressed="true"]')).to_have_count(3)
            page.screenshot(path=str(SCREENSHOTS / f"search-starred-{kind}.png"))
            page.goto(f"{live_server.url}/positions/{catalogue[0].pk}/")
            page.screenshot(path=str(SCREENSHOTS / f"detail-starred-{kind}.png"))
            page.goto(live_server.url + "/shortlist/")
            entry = page.locator(f"#entry-{catalogue[0].pk}")
            entry.locator("textarea").fill("E-mail Prof. Lopez before applying")
            entry.locator(".note-form button").click()
            page.wait_for_url(re.compile(r"saved="))
            page.screenshot(path=str(SCREENSHOTS / f"shortlist-{kind}.png"), full_page=True)
            ids = "&".join(f"id={position.pk}" for position in catalogue[:3])
            page.goto(f"{live_server.url}/shortlist/compare/?{ids}")
            page.screenshot(path=str(SCREENSHOTS / f"compare-{kind}.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], "the table scrolls inside its box"
            if kind == "phone":
                # The labels stay in view while the positions scroll sideways.
                box = page.locator(".compare")
                box.evaluate("element => { element.scrollLeft = 400; }")
                label = page.locator(".compare__table tbody th").first
                assert label.bounding_box()["x"] < 40
                page.screenshot(path=str(SCREENSHOTS / "compare-phone-scrolled.png"))
            assert page.watch.errors == []
        finally:
            page.context.close()
