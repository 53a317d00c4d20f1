"""One curation flow in real headless Chromium: the correction an admin makes is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.models import Position
from positions.services import position_upsert_from_record
from scrapers.records import Evidence
from tests.factories import PASSWORD, SourceFactory, UserFactory, make_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

expect = None  # playwright.sync_api.expect, bound by the fixture (Playwright is optional)


@pytest.fixture
def page(browser):
    global expect
    from playwright.sync_api import expect as playwright_expect

    expect = playwright_expect
    context = browser.new_context()
    yield context.new_page()
    context.close()


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def advert(deadline: dt.date, description: str = "Fully funded PhD."):
    # What the normaliser made of the recorded page: the deadline came from a vague sentence.
    return make_record(
        url="https://www.bristol.ac.uk/jobs/phd-glaciology",
        title="PhD in Glaciology",
        institution="University of Bristol",
        deadline=deadline.isoformat(),
        description_text=description,
        evidence={
            "deadline": Evidence("applications close early in the new year", "month-guess", 0.3),
            "funding": Evidence("Fully funded", "keyword", 0.95),
        },
    )


def test_a_curator_corrects_a_low_confidence_deadline_publishes_and_the_fix_survives_a_rescrape(
    live_server, page
):
    source = SourceFactory(name="Bristol jobs", adapter="lab_page", auto_publish=False)
    position = position_upsert_from_record(record=advert(in_days(40)), source=source).position
    UserFactory(username="curator-admin", is_superuser=True)
    admin_url = f"{live_server.url}/admin/"

    page.goto(f"{admin_url}login/?next=/admin/")
    page.fill("#id_username", "curator-admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(admin_url)

    page.goto(f"{admin_url}positions/reviewqueueposition/")
    row = page.locator("#result_list tbody tr", has_text="PhD in Glaciology")
    assert "low confidence" in row.inner_text()
    row.get_by_role("link", name="PhD in Glaciology").click()
    expect(page.locator("#id_deadline")).to_be_visible()
    expect(page.locator("body")).to_contain_text("month-guess")  # the evidence by the field

    page.fill("#id_deadline", in_days(55).isoformat())
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_have_count(1)

    page.goto(f"{admin_url}positions/reviewqueueposition/")
    page.locator("#result_list tbody tr", has_text="PhD in Glaciology").locator(
        "input.action-select"
    ).check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("Published 1 position")

    # The next scheduled scrape: the page still says the old date, in new words.
    position_upsert_from_record(
        record=advert(in_days(40), description="Fully funded PhD. Apply soon."), source=source
    )

    page.goto(f"{admin_url}positions/position/{position.pk}/change/")
    expect(page.locator("#id_deadline")).to_have_value(in_days(55).strftime("%d/%m/%Y"))  # en-GB
    expect(page.locator("body")).to_contain_text(f"source now says: {in_days(40).isoformat()}")
    stored = Position.objects.get(pk=position.pk)
    assert stored.deadline == in_days(55)
    assert stored.moderation == "published"
    assert stored.locked_fields == ["deadline"]


def test_a_visitor_reports_a_position_from_its_page_and_it_lands_in_the_review_queue(
    live_server, page
):
    position = position_upsert_from_record(
        record=advert(in_days(40)), source=SourceFactory()
    ).position
    Position.objects.filter(pk=position.pk).update(reviewed_at=timezone.now(), needs_review=False)

    page.goto(f"{live_server.url}/positions/{position.pk}/")
    page.get_by_role("link", name="Report an outdated or wrong position").click()
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()  # the honeypot
    page.get_by_label("The position is filled or closed").check()
    page.fill("textarea[name=message]", "The group page says it was filled in March.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#report-thanks")).to_be_visible()

    position.refresh_from_db()
    assert position.needs_review
    assert position.reports.get().message == "The group page says it was filled in March."
