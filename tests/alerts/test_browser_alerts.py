"""The alerts as a person uses them, in real headless Chromium: create an alert on the
search page, confirm it from the mail the local SMTP server received, get a digest, follow
its links, and unsubscribe in one click. Screenshots go to docs/screenshots/alerts-*.png."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone

from alerts.digests import send_digests
from alerts.mail import unsubscribe_url
from alerts.models import Subscription
from tests.alerts.conftest import link_to, parts
from tests.factories import PositionFactory, refresh_search

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ADDRESS = "ada.student@example.org"


@pytest.fixture
def site(live_server, inbox, settings):
    settings.SITE_URL = live_server.url
    settings.DEBUG = False
    refresh_search(
        [
            PositionFactory(
                title="Ecology of alpine meadows", institution_name="University of Bern"
            ),
            PositionFactory(title="Urban ecology and heat", institution_name="KU Leuven"),
        ]
    )
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def test_alert_from_search_to_digest_to_one_click_unsubscribe(site, inbox, page):
    page.goto(f"{site}/?q=ecology")
    page.get_by_text("E-mail me new positions like these").click()
    page.fill("#alert-email", ADDRESS)
    page.check("input[name=frequency][value=daily]")
    # Choosing a frequency does not reload the search (the page's script leaves the
    # alert's own fields alone): the address typed is still there.
    page.wait_for_timeout(300)
    assert page.input_value("#alert-email") == ADDRESS
    page.screenshot(path=str(SHOTS / "alerts-search-desktop.png"))
    page.click("button[form=alert-form]")
    page.wait_for_selector("#check-inbox")
    assert "“ecology”" in page.inner_text("main")

    (confirmation,) = inbox.to(ADDRESS)
    page.goto(link_to(confirmation, "/alerts/confirm/"))
    page.screenshot(path=str(SHOTS / "alerts-confirm.png"))
    page.click("#confirm-button")
    page.wait_for_selector("#confirmed")
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at and subscription.frequency == "daily"
    assert subscription.query == "q=ecology"
    inbox.clear()

    now = timezone.now()
    refresh_search(
        [
            PositionFactory(
                title="Marine ecology of kelp forests",
                first_seen=now,
                institution_name="University of Bergen",
            )
        ]
    )
    assert send_digests("daily", now=now + dt.timedelta(minutes=1)).sent == 1
    (digest,) = inbox.to(ADDRESS)
    _text, html = parts(digest)
    # The mail, opened as a mail client shows it (a browser of its own: this one has the
    # search page in its HTTP cache, from before the new position), and its search link.
    reader = page.context.browser.new_context(viewport={"width": 800, "height": 900})
    mail_page = reader.new_page()
    mail_page.set_content(html)
    mail_page.screenshot(path=str(SHOTS / "alerts-digest-email.png"), full_page=True)
    with mail_page.expect_navigation():
        mail_page.click("#search-link")
    assert mail_page.url.startswith(f"{site}/?q=ecology")
    assert "Marine ecology of kelp forests" in mail_page.inner_text("#results")
    reader.close()

    page.goto(link_to(digest, "/alerts/manage/"))
    assert "“ecology”" in page.inner_text("#alert-list")
    assert ADDRESS not in page.content() and "ada.student" not in page.content()
    page.screenshot(path=str(SHOTS / "alerts-manage.png"))

    # The mail client's one-click unsubscribe (RFC 8058): a POST to the List-Unsubscribe
    # URL with List-Unsubscribe=One-Click, no cookie, no CSRF token.
    header = re.search(r"<(https?://[^>]+)>", str(digest["List-Unsubscribe"])).group(1)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    response = page.context.request.post(header, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    page.reload()
    page.wait_for_selector("#no-alerts")
    assert page.errors == []


def test_unsubscribe_link_in_a_browser_is_one_click(site, inbox, page):
    subscription = Subscription.objects.create(
        email=ADDRESS, query="q=ecology", frequency="weekly", confirmed_at=timezone.now()
    )
    page.goto(unsubscribe_url(subscription))
    page.screenshot(path=str(SHOTS / "alerts-unsubscribe.png"))
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None  # a GET (or a link scanner) changes nothing
    page.click("#unsubscribe-button")
    page.wait_for_selector("#unsubscribed")
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


def test_phone_layout_of_the_alert_box(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site}/?q=zzzznothing")  # an empty result still offers the alert
    page.get_by_text("E-mail me new positions like these").click()
    page.wait_for_selector("#alert-email")
    page.locator("#alert-box").screenshot(path=str(SHOTS / "alerts-search-phone.png"))
    box = page.locator("#alert-email").bounding_box()
    assert box and box["x"] + box["width"] <= 390
    context.close()
