"""A misspelt search in Chromium at desktop and phone size (issue 22): the advert whose text
says "machine learning" is found for "machin lerning", the page offers "Did you mean machine
learning?" and says similar matches are shown; following the suggestion finds it exactly.
Screenshots: docs/screenshots/did-you-mean-desktop.png, -phone.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from positions.words import search_words_refresh
from tests.factories import PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_misspelt_search_finds_the_advert_and_offers_the_spelling(live_server, browser, size):
    PositionFactory(
        title="Forecasting the monsoon",
        description_text="You will develop machine learning methods for weather forecasting.",
        search=True,
    )
    PositionFactory(title="Coastal sediment transport", search=True)
    search_words_refresh()
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=size == "phone"
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/?q=machin+lerning")
        assert page.locator(".similar-too").is_visible()
        suggestion = page.locator(".did-you-mean a")
        assert suggestion.inner_text() == "machine learning"
        assert "Forecasting the monsoon" in page.locator("main").inner_text()
        assert "Coastal sediment transport" not in page.locator("main").inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"did-you-mean-{size}.png"))

        suggestion.click()
        page.wait_for_url("**/?q=machine+learning*")
        page.locator(".did-you-mean").wait_for(state="detached")
        assert "Forecasting the monsoon" in page.locator("main").inner_text()
        assert page.locator(".did-you-mean").count() == 0
    finally:
        context.close()
