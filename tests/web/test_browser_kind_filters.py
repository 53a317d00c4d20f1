"""The kind-of-post filters in Chromium (issue 22): a seeker ticks "Part-time" and a region,
sorts by stipend (converted to euros, highest first, unknown last) and reads the posting
date on every card; with the page's script at desktop size and without it on a phone
(plain GET forms). Screenshots: docs/screenshots/kind-filters-desktop.png, -phone.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import PositionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": ((1280, 1000), True), "phone": ((390, 844), False)}


_ROWS = [
    # title, schedule, programme, level, city, region, amount, currency, eur, days ago
    (
        "Soil carbon under drought",
        "part_time",
        "project",
        "r1",
        "Munich",
        "DE-BY",
        2500,
        "EUR",
        30_000,
        3,
    ),
    (
        "Doctoral network in photonics",
        "either",
        "programme",
        "r1",
        "Erlangen",
        "DE-BY",
        45_000,
        "EUR",
        45_000,
        10,
    ),
    (
        "Glacier hydrology",
        "full_time",
        "project",
        "r1",
        "Edinburgh",
        "GB-SCT",
        20_780,
        "GBP",
        24_922,
        1,
    ),
    (
        "Part-time archive studies",
        "part_time",
        "project",
        "r1",
        "Munich",
        "DE-BY",
        None,
        "",
        None,
        30,
    ),
    (
        "Postdoc in optics",
        "full_time",
        "project",
        "r2",
        "Munich",
        "DE-BY",
        60_000,
        "EUR",
        60_000,
        2,
    ),
]


def _catalogue() -> None:
    now = timezone.now()
    for title, schedule, programme, level, city, region, amount, currency, eur, days in _ROWS:
        PositionFactory(
            title=title,
            country=region[:2],
            city=city,
            region=region,
            schedule=schedule,
            programme=programme,
            researcher_level=level,
            stipend_amount=amount,
            stipend_currency=currency,
            stipend_period="month" if amount == 2500 else ("year" if amount else ""),
            stipend_eur_year=eur,
            stipend_rate_date=dt.date(2026, 10, 30) if eur else None,
            first_seen=now - dt.timedelta(days=days),
            search=True,
        )


def _titles(page) -> list[str]:
    return [text.strip() for text in page.locator(".result__title").all_inner_texts()]


def _apply(page, with_js: bool, expected_url: str) -> None:
    if not with_js:
        page.locator(".facets__actions button[type=submit]").first.click()
    page.wait_for_url(f"**{expected_url}**")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_ticking_kind_filters_and_sorting_by_stipend(live_server, browser, size):
    _catalogue()
    (width, height), with_js = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=size == "phone",
        java_script_enabled=with_js,
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        assert len(_titles(page)) == 5
        filters = page.locator("#filters")
        if filters.get_attribute("open") is None and page.locator("#filters > summary").count():
            page.locator("#filters > summary").click()

        page.locator('input[name="schedule"][value="part_time"]').check()
        _apply(page, with_js, "schedule=part_time")
        # A post offered full- or part-time is found by "Part-time" too.
        assert sorted(_titles(page)) == [
            "Doctoral network in photonics",
            "Part-time archive studies",
            "Soil carbon under drought",
        ]

        page.locator('input[name="region"][value="DE-BY"]').check()
        _apply(page, with_js, "region=DE-BY")
        page.locator('input[name="programme"][value="project"]').check()
        _apply(page, with_js, "programme=project")
        assert sorted(_titles(page)) == ["Part-time archive studies", "Soil carbon under drought"]
        page.locator('input[name="programme"][value="project"]').uncheck()
        _apply(page, with_js, "region=DE-BY")

        page.locator("#sort").select_option("stipend")
        if not with_js:
            page.locator(".results__sort button").click()
        page.wait_for_url("**sort=stipend**")
        page.wait_for_load_state("networkidle")
        # Highest stipend first (€45,000, then €2,500 a month = €30,000), unknown last.
        assert _titles(page) == [
            "Doctoral network in photonics",
            "Soil carbon under drought",
            "Part-time archive studies",
        ]
        cards = page.locator(".result")
        assert cards.count() == 3
        for index in range(3):
            assert "Posted " in cards.nth(index).locator(".result__posted").inner_text()
        assert "≈ €30,000 a year" in cards.nth(1).inner_text()
        assert "Bayern" in cards.nth(0).inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"kind-filters-{size}.png"), full_page=True)
    finally:
        context.close()
