"""A careers-office admin adds a source by pasting a vacancies URL, in real headless Chromium:
the platform and adapter are detected, the preview shows the advert links, the next page and
the records with their deadlines before anything is saved, and one click creates the source
(disabled unless ticked). A private address is refused on the page.
Screenshots go to docs/screenshots/ (admin-add-from-url-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.models import Source
from tests.factories import PASSWORD, UserFactory
from tests.scrapers.onboarding_sites import serving_sites

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def site(settings):
    yield from serving_sites(settings)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    UserFactory(username="careers-office", is_superuser=True)
    tab.goto(f"{live_server.url}/admin/login/?next=/admin/")
    tab.fill("#id_username", "careers-office")
    tab.fill("#id_password", PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url(f"{live_server.url}/admin/")
    yield tab
    context.close()


def test_paste_a_url_see_what_would_be_scraped_then_create_the_source(live_server, page, site):
    page.goto(f"{live_server.url}/admin/scrapers/source/")
    page.click("#add-from-url")
    page.fill("#id_url", site.url("/vacancies"))
    page.click("#detect")
    page.wait_for_selector("#preview-summary")

    assert "Adapter generic, detected from the page's content" in page.inner_text("#detected")
    summary = page.inner_text("#preview-summary")
    assert summary == (
        f"results page: 6 advert links (4 followed), next page {site.url('/vacancies?page=2')}; "
        "4 records"
    )
    records = page.locator("#preview-records tbody tr")
    assert records.count() == 4
    first = records.nth(0).inner_text()
    assert "PhD student in glacier hydrology" in first and "2031-03-15" in first
    assert page.input_value("#id_name") == "Vacancies | Northmoor University"
    assert page.input_value("#id_adapter") == "generic"
    assert not page.is_checked("#id_enabled")
    assert Source.objects.count() == 0  # nothing saved by the preview
    page.screenshot(path=str(SCREENSHOTS / "admin-add-from-url-preview.png"), full_page=True)

    page.fill("#id_name", "Northmoor University")
    page.click("#create-source")
    page.wait_for_selector(".messagelist")

    source = Source.objects.get()
    assert (source.name, source.adapter, source.enabled) == (
        "Northmoor University",
        "generic",
        False,
    )
    assert source.start_url == site.url("/vacancies")
    assert page.url.endswith(f"/admin/scrapers/source/{source.pk}/change/")
    assert "Created the source “Northmoor University” (generic), disabled." in page.inner_text(
        ".messagelist"
    )
    page.screenshot(path=str(SCREENSHOTS / "admin-add-from-url-created.png"))


def test_a_workday_careers_site_is_detected_with_its_tenant_and_created_enabled(
    live_server, page, site
):
    page.goto(f"{live_server.url}/admin/scrapers/source/add-from-url/")
    page.fill("#id_url", site.url("/careers"))
    page.click("#detect")
    page.wait_for_selector("#preview-summary")

    assert "Adapter workday, detected from the page's markers" in page.inner_text("#detected")
    assert "Workday tenant: northmoor" in page.inner_text("#platform-facts")
    assert '"tenant": "northmoor"' in page.input_value("#id_options")
    assert page.input_value("#id_start_url") == site.url("/External")
    assert page.locator("#preview-records tbody tr").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "admin-add-from-url-workday.png"), full_page=True)

    page.check("#id_enabled")
    page.click("#create-source")
    page.wait_for_selector(".messagelist")
    source = Source.objects.get()
    assert (source.adapter, source.enabled) == ("workday", True)
    assert source.options == {"search_text": "PhD", "tenant": "northmoor"}


def test_a_private_address_is_refused_on_the_page(live_server, page, site, settings):
    page.goto(f"{live_server.url}/admin/scrapers/source/add-from-url/")
    page.fill("#id_url", "http://10.20.30.40/jobs")
    page.click("#detect")
    page.wait_for_selector("#detect-errors")

    assert "Refused" in page.inner_text("#detect-errors")
    assert page.locator("#source-form").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "admin-add-from-url-refused.png"))
    assert Source.objects.count() == 0
