"""The careers office's admin walked in real headless Chromium at 1366x768 and phone size:
the home page's figures lead into the lists, the review sheet fits the screen and its keys
approve / reject / skip without breaking typing (and its buttons work without JavaScript),
the Sources list needs no sideways scroll, the code field comes only after the password of
an account with an authenticator, and a lock-out says when to try again.

Screenshots go to docs/screenshots/admin-*-{desktop,phone}.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from positions.models import Position
from positions.services import position_upsert_from_record
from scrapers.records import Evidence
from tests.factories import (
    PASSWORD,
    ListingFactory,
    PositionFactory,
    ScrapeRunFactory,
    SourceFactory,
    UserFactory,
    make_record,
)

from .test_login_throttle import token_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture(params=sorted(SIZES))
def size(request) -> str:
    return request.param


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def open_page(browser, size: str, **options):
    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=size == "phone", **options
    )
    return context, context.new_page()


def shoot(page, name: str, size: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"admin-{name}-{size}.png"))


def log_in(page, base: str, username: str = "office") -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    assert page.locator("#id_otp_token").count() == 0
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def queued(n: int) -> Position:
    record = make_record(
        url=f"https://www.example.ac.uk/jobs/phd-{n}",
        title=f"PhD studentship in Coastal Geomorphology and Sea-Level Change {n}",
        institution="University of Plymouth",
        deadline=in_days(30 + n).isoformat(),
        evidence={
            "deadline": Evidence("Applications close at the end of next month", "month-guess", 0.3),
            "funding": Evidence("a fully funded studentship covering fees", "keyword", 0.95),
            "stipend": Evidence("a stipend of £20,780 a year for 3.5 years", "amount", 0.9),
            "supervisors": Evidence("Supervisors: Dr A. Zemkoho and Prof. R. Hale", "label", 0.85),
            "eligibility": Evidence("open to home and international students", "keyword", 0.8),
        },
        contradictions=[
            {
                "field": "deadline",
                "chosen": in_days(30 + n).isoformat(),
                "other": in_days(45).isoformat(),
                "why": "the advert's own text wins over the listing's closing date",
            }
        ],
    )
    source = SourceFactory(name="Plymouth jobs", adapter="lab_page", auto_publish=False)
    return position_upsert_from_record(record=record, source=source).position


def test_the_home_page_leads_into_the_lists_that_need_attention(live_server, browser, size):
    UserFactory(username="office", is_superuser=True)
    for n in (1, 2, 3):
        queued(n)
    PositionFactory(moderation="published", reviewed_at=timezone.now(), deadline=in_days(2))
    failing = SourceFactory(
        name="Leeds doctoral college (jobs.leeds.ac.uk)", health="failing", consecutive_failures=3
    )
    ScrapeRunFactory(source=failing, status="failed", found=0)
    ok = SourceFactory(name="FindAPhD: physics")
    ScrapeRunFactory(source=ok, found=41, created=3)
    ListingFactory(source=ok)
    context, page = open_page(browser, size)
    try:
        log_in(page, live_server.url)
        assert page.locator("#attention-heading").is_visible()
        shoot(page, "home", size)
        assert no_sideways_scroll(page)
        system = page.locator("caption", has_text="System")
        assert system.count() == 1
        page.click("text=waiting for review")
        page.wait_for_url("**/reviewqueueposition/")
        expect(page.locator("#result_list tbody tr")).to_have_count(3)
        page.go_back()
        page.click("text=sources failing")
        page.wait_for_url("**/scrapers/source/?attention=failing")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        assert "Leeds" in rows.inner_text()
    finally:
        context.close()


def test_the_review_sheet_fits_the_screen_and_its_keys_decide(live_server, browser, size):
    UserFactory(username="office", is_superuser=True)
    first, second, third = queued(1), queued(2), queued(3)
    context, page = open_page(browser, size)
    try:
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/admin/positions/reviewqueueposition/{first.pk}/change/")
        sheet = page.locator("#review-sheet")
        deadline = sheet.locator("tr", has=page.locator("th", has_text="Deadline"))
        assert "month-guess" in deadline.inner_text() and "⚠" in deadline.inner_text()
        assert no_sideways_scroll(page)
        if size == "desktop":
            # Everything to decide on is on the first screen.
            bottom = page.evaluate(
                "Math.max(...[...document.querySelectorAll('#review-sheet tr, .review-buttons')]"
                ".map(e => e.getBoundingClientRect().bottom))"
            )
            assert bottom <= 768, bottom
        shoot(page, "review", size)

        # Typing a letter in a field types it; it does not approve.
        title = page.locator("#id_title")
        title.click()
        title.press("End")
        title.type(" a r n")
        assert page.url.endswith(f"/{first.pk}/change/")
        assert title.input_value().endswith(" a r n")
        title.evaluate("element => element.blur()")

        page.keyboard.press("n")  # skip, nothing saved
        page.wait_for_url(f"**/{second.pk}/change/")
        first.refresh_from_db()
        assert not first.title.endswith(" a r n") and first.moderation == "pending"

        page.keyboard.press("a")  # approve the second, open the third
        page.wait_for_url(f"**/{third.pk}/change/")
        assert "Approved and published" in page.locator(".messagelist").inner_text()
        second.refresh_from_db()
        assert second.moderation == "published"

        page.keyboard.press("r")  # reject the third
        page.wait_for_url(f"**/{first.pk}/change/")
        third.refresh_from_db()
        assert third.moderation == "hidden" and third.reviewed_at is not None
    finally:
        context.close()


def test_the_review_buttons_work_without_javascript(live_server, browser):
    UserFactory(username="office", is_superuser=True)
    first, second, third = queued(1), queued(2), queued(3)
    context, page = open_page(browser, "desktop", java_script_enabled=False)
    try:
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/admin/positions/reviewqueueposition/{first.pk}/change/")
        page.click("button.approve")
        page.wait_for_url(f"**/{second.pk}/change/")
        first.refresh_from_db()
        assert first.moderation == "published"
        page.click("#review-sheet a:has-text('Next')")
        page.wait_for_url(f"**/{third.pk}/change/")
        page.click("button.reject")
        page.wait_for_url(f"**/{second.pk}/change/")  # the one skipped, round again
        third.refresh_from_db()
        assert third.moderation == "hidden"
    finally:
        context.close()


def test_the_sources_list_reads_without_sideways_scroll(live_server, browser, size):
    UserFactory(username="office", is_superuser=True)
    names = [
        "University of Amsterdam: Faculty of Science vacancies (werkenbij.uva.nl)",
        "EURAXESS: doctoral positions in the Netherlands",
        "KTH Royal Institute of Technology: doctoral students (Varbi)",
        "Max Planck Institute for Intelligent Systems, Tübingen",
    ]
    for index, name in enumerate(names):
        source = SourceFactory(
            name=name,
            start_url=f"https://www.jobs{index}.example.org/vacancies/phd?lang=en",
            adapter="generic",
            auto_publish=index % 2 == 0,
            health=["ok", "failing", "empty", "ok"][index],
            review_below_completeness=50 if index == 2 else None,
        )
        ScrapeRunFactory(source=source, found=120 + index, created=7, failed=index)
    context, page = open_page(browser, size)
    try:
        log_in(page, live_server.url)
        page.goto(f"{live_server.url}/admin/scrapers/source/")
        assert page.locator("#result_list tbody tr").count() == len(names)
        shoot(page, "sources", size)
        if size == "desktop":
            assert no_sideways_scroll(page)
            table = page.evaluate(
                "(() => { const t = document.querySelector('#result_list');"
                " const box = t.closest('.results') || t.parentElement;"
                " return [t.scrollWidth, box.clientWidth]; })()"
            )
            assert table[0] <= table[1] + 1, table
        listed = page.locator("#result_list").inner_text()
        assert "auto · review < 50%" in listed and "review all" in listed
    finally:
        context.close()


def test_the_code_is_asked_only_after_the_password_of_an_account_with_one(
    live_server, browser, size
):
    user = UserFactory(username="keyholder", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    context, page = open_page(browser, size)
    try:
        log_in(page, live_server.url, "keyholder")
        code = page.locator("#id_otp_token")
        assert code.is_visible() and page.locator("#id_password").count() == 0
        assert "Password accepted for keyholder" in page.locator("#two-factor-step").inner_text()
        shoot(page, "login-code", size)
        code.fill(token_for(device))
        page.click("#login-form [type=submit]")
        page.wait_for_url("**/admin/")
        assert page.locator("#attention-heading").is_visible()
    finally:
        context.close()


def test_a_lock_out_says_when_to_try_again(live_server, browser, size, settings):
    UserFactory(username="office", is_superuser=True)
    context, page = open_page(browser, size)
    try:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            page.goto(f"{live_server.url}/admin/login/?next=/admin/")
            page.fill("#id_username", "office")
            page.fill("#id_password", "not the password")
            page.click("#login-form [type=submit]")
        text = page.locator("#content").inner_text()
        assert "Too many failed logins" in text and "Try again after" in text
        assert "minutes" in text
        shoot(page, "lockout", size)
        assert no_sideways_scroll(page)
    finally:
        context.close()
