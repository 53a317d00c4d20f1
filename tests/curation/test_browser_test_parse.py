"""An admin previews a source's results page from its change form, in real headless
Chromium: the Test parse tab says what a crawl would do with the source's own options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import PASSWORD, SourceFactory, UserFactory
from tests.scrapers.servers import LocalServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLE = Path(__file__).resolve().parents[1] / "fixtures" / "listings" / "table-rows.html"


@pytest.fixture
def ats(settings):
    settings.SCRAPER_REPLAY_DIR = ""
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.SCRAPER_MIN_HOST_DELAY = 0
    server = LocalServer().start()
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    server.page("/en/what:findjob/", TABLE.read_text())
    for number in range(1001, 1007):
        server.page(
            f"/what:job/jobID:{number}/",
            f"<html><body><main><h1>Advert {number}: PhD student</h1>"
            "<p>Last application date: 2031-03-01.</p></main></body></html>",
        )
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_test_parse_from_the_change_form_shows_the_results_page_with_its_options(
    live_server, page, ats, tmp_path
):
    source = SourceFactory(
        name="Example ATS",
        start_url=ats.url("/en/what:findjob/"),
        adapter="generic",
        options={"doctoral_only": False},
    )
    UserFactory(username="sources-admin", is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "sources-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/scrapers/source/{source.pk}/change/")

    with page.context.expect_page() as opened:
        page.click("input[name=_test_parse]")
    preview = opened.value
    preview.wait_for_load_state()

    summary = preview.locator("#preview-summary").inner_text()
    # The source's own option keeps every position: all six rows are followed.
    assert summary == "results page: 6 advert links (6 followed), next page none; 4 records"
    preview.get_by_text("Advert links of the results page").click()  # folded under records
    rows = preview.locator("#preview-links tbody tr")
    assert rows.count() == 6
    assert "Universitetslektor" in rows.nth(2).inner_text()
    shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "admin-test-parse.png"
    preview.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
