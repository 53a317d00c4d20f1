"""Edge and detail pages as a person uses them, in headless Chromium at desktop (1366x900)
and phone (390x844) sizes (issue 22). Screenshots go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import InstitutionFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1366, 900), "phone": (390, 844)}


def _page(browser, size, *, javascript=True):
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=size == "phone",
        has_touch=size == "phone",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    return context, page


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def catalogue(transactional_db):
    made = [PositionFactory(title=f"Hydrology studentship {n}", search=True) for n in range(5)]
    made += [
        PositionFactory(title=f"Self-funded glaciology project {n}", funding="self", search=True)
        for n in range(2)
    ]
    return made


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_page_past_the_end_leads_to_the_last_page(live_server, browser, catalogue, size):
    context, page = _page(browser, size)
    try:
        page.goto(f"{live_server.url}/?per_page=3&page=99")
        notice = page.locator(".past-end")
        assert "Page 99 is past the end of these results." in notice.inner_text()
        _shot(page, f"past-the-end-{size}")
        notice.get_by_role("link", name="go to the last page (page 3)").click()
        page.wait_for_url("**page=3")
        assert page.locator(".result").count() == 1
        assert "Page 3 of 3" in page.locator(".pagination").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_missing_position_is_our_styled_404(live_server, browser, catalogue, size):
    context, page = _page(browser, size)
    try:
        response = page.goto(f"{live_server.url}/positions/987654/")
        assert response is not None and response.status == 404
        assert page.locator("h1").inner_text() == "This position is not here"
        assert page.locator(".site-header").is_visible()
        header_colour = page.evaluate(
            "getComputedStyle(document.querySelector('.not-found')).backgroundColor"
        )
        assert header_colour == "rgb(255, 255, 255)"  # our stylesheet is applied
        _shot(page, f"not-found-{size}")
        page.fill("#nf-q", "hydrology")
        page.press("#nf-q", "Enter")
        page.wait_for_url("**q=hydrology")
        assert page.locator(".result").count() == 5
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_show_n_results_takes_the_reader_to_the_results(
    live_server, browser, catalogue, javascript
):
    context, page = _page(browser, "phone", javascript=javascript)
    try:
        page.goto(f"{live_server.url}/")
        button = page.locator("[data-show-results]")
        if javascript:
            assert not button.is_visible()  # the filters are folded on a phone
            page.locator(".filters__summary").click()
        page.get_by_role("checkbox", name="Self-funded").check()
        if javascript:
            # The counts are live: the button says how many the ticked filter leaves.
            expect(button).to_have_text("Show 2 results")
        assert button.is_visible()
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 844  # on screen (sticky)
        _shot(page, f"show-results-phone-{'js' if javascript else 'no-js'}")
        button.click()
        page.wait_for_url("**funding=self**")
        expect(page.locator(".result")).to_have_count(2)
        page.wait_for_timeout(300)  # the scroll follows the swap
        top = page.evaluate("document.getElementById('results').getBoundingClientRect().top")
        assert top < 300  # the results, not the filters, fill the screen
        assert "Self-funded glaciology" in page.locator("#results").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_skip_to_results_appears_on_focus_and_jumps_past_the_filters(
    live_server, browser, catalogue, size
):
    context, page = _page(browser, size)
    try:
        page.goto(f"{live_server.url}/")
        reloads: list[str] = []  # the script's in-place searches (a fragment needs none)
        page.on(
            "request",
            lambda r: reloads.append(r.url) if r.headers.get("x-requested-with") else None,
        )
        skip = page.get_by_role("link", name="Skip to results")
        assert skip.bounding_box()["x"] < -1000  # out of sight until focused
        page.focus("#q")
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.textContent.trim()") == "Skip to results":
                break
        box = skip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["width"] > 50
        _shot(page, f"skip-to-results-{size}")
        page.keyboard.press("Enter")
        # A jump in the page, not a new search. The browser focuses the results (tabindex
        # -1) once the jump is done: waited for, as CI is slow at times.
        page.wait_for_function(
            "location.hash === '#results'"
            " && document.activeElement === document.getElementById('results')"
        )
        assert page.url.endswith("/#results")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('#results') !== null")
        assert focused  # the next stop is a result, not a filter
        assert reloads == []
    finally:
        context.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_detail_page_reads_as_a_person_writes_it(live_server, browser, size):
    position = PositionFactory(
        title="Optimization and machine learning",
        institution=InstitutionFactory(name="Weierstrass Institute", country="DE"),
        city="Berlin",
        stipend_amount=35000,
        stipend_currency="SEK",
        stipend_period="month",
        supervisors=[],
        apply_url="mailto:group@wias.example",
        description_html="<h2>Project</h2><p>Gradient flows.</p><h2>Professors</h2><ul></ul>",
    )
    context, page = _page(browser, size)
    try:
        page.goto(f"{live_server.url}/positions/{position.pk}/")
        facts = page.locator(".facts").inner_text()
        assert "SEK\u00a035,000 a month" in facts or "SEK 35,000 a month" in facts
        assert "Supervisor" not in facts
        assert "Professors" not in page.locator("main").inner_text()
        headings = page.locator("main h1, main h2, main h3").all_inner_texts()
        assert all(text.strip() for text in headings)
        apply = page.get_by_role("link", name="Apply by e-mail (group@wias.example)")
        assert apply.get_attribute("href") == "mailto:group@wias.example"
        _shot(page, f"detail-facts-{size}")
    finally:
        context.close()
