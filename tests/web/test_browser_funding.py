"""A self-funded position's page, as a seeker reads it in Chromium at desktop and phone size:
funded for nobody, open to every nationality, fees paid by the applicant (issue 22).
Screenshots go to docs/screenshots/ (funded-for-nobody-desktop.png, -phone.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import InstitutionFactory, PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_self_funded_position_says_it_is_funded_for_nobody(live_server, browser, size):
    unfunded = PositionFactory(
        title="Graph rewriting for chemical reaction networks",
        institution=InstitutionFactory(name="University of Strathclyde", city="Glasgow"),
        city="Glasgow",
        funding="self",
        contract="unknown",
        stipend_amount=None,
        stipend_currency="",
        stipend_period="",
        fees_covered="not_covered",
        open_to=["home", "eu", "international"],
        description_text="This project is not funded. Applicants pay the tuition fees.",
        description_html="<p>This project is not funded. Applicants pay the tuition fees.</p>",
        search=True,
    )
    funded = PositionFactory(
        title="Funded twin", funding="full", open_to=["international"], search=True
    )
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=size == "phone"
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/positions/{unfunded.pk}/")
        facts = page.locator(".facts")
        funding = facts.locator(".fact", has=page.locator("dt", has_text="Funding"))
        assert "Self-funded; the applicant pays the fees" in funding.inner_text()
        funded_for = facts.locator(".fact", has=page.locator("dt", has_text="Funded for"))
        assert "Nobody" in funded_for.inner_text()
        assert "International" not in funded_for.inner_text()
        who = facts.locator(".fact", has=page.locator("dt", has_text="Who may apply"))
        assert "Applicants from any country" in who.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"funded-for-nobody-{size}.png"))

        # The "Funded for me" filter offers the funded position, never the self-funded one.
        page.goto(f"{live_server.url}/?eligibility=international")
        results = page.locator("main").inner_text()
        assert funded.title in results
        assert unfunded.title not in results
    finally:
        context.close()
