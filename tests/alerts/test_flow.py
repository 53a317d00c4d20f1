"""Subscribing, confirming, digests and unsubscribing, through real mail on a local SMTP
server (the test client follows the links the mails carry)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from alerts.digests import send_digests
from alerts.models import SentDigest, Subscription, Suppression, address_hash
from tests.alerts.conftest import csrf_post, link_to, parts
from tests.factories import PositionFactory, refresh_search

pytestmark = pytest.mark.django_db
ADDRESS = "Jane.Doe@uni.example.org"


def path_of(url: str) -> str:
    parts_ = urlsplit(url)
    return parts_.path + (f"?{parts_.query}" if parts_.query else "")


def subscribe(client: Client, query: str = "q=physics&funding=full", frequency: str = "daily"):
    return client.post(
        "/alerts/subscribe/", {"email": ADDRESS, "frequency": frequency, "query": query}
    )


def confirmed(client: Client, inbox) -> Subscription:
    response = subscribe(client)
    assert response.status_code == 200
    (message,) = inbox.to(ADDRESS)
    link = link_to(message, "/alerts/confirm/")
    assert client.get(path_of(link)).status_code == 200  # a page with the button
    assert (
        Subscription.objects.get().confirmed_at is None
    )  # a GET (a link scanner) confirms nothing
    assert csrf_post(client, path_of(link)).status_code == 200
    return Subscription.objects.get()


def test_double_opt_in_then_a_digest_with_both_parts_and_one_click_unsubscribe(inbox):
    client = Client(enforce_csrf_checks=True)
    subscription = confirmed(client, inbox)
    assert subscription.confirmed_at is not None
    assert subscription.query == "q=physics&funding=full"
    inbox.clear()

    now = timezone.now()
    position = PositionFactory(
        title="Quantum physics of cold atoms", funding="full", first_seen=now
    )
    PositionFactory(title="Medieval history", funding="full", first_seen=now)
    refresh_search([position])
    stats = send_digests("daily", now=now + dt.timedelta(minutes=5))
    assert stats.sent == 1
    (digest,) = inbox.to(ADDRESS)
    text, html = parts(digest)
    assert "Quantum physics of cold atoms" in text and "Quantum physics of cold atoms" in html
    assert "Medieval history" not in text
    assert "“physics”" in text and "fully funded" in text.lower()  # the search in words
    assert "/?q=physics&funding=full" in text  # the same search on the site
    assert "/alerts/manage/" in text
    unsubscribe_header = digest["List-Unsubscribe"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.search(r"<(https?://[^>]+)>", str(unsubscribe_header)).group(1)
    # A mail client's one-click POST: no cookie, no CSRF token (RFC 8058).
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        path_of(url), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None

    inbox.clear()
    refresh_search([PositionFactory(title="Physics of plasma", funding="full")])
    assert send_digests("daily", now=timezone.now() + dt.timedelta(days=1)).sent == 0
    assert inbox.messages == []


def test_nothing_new_sends_nothing_and_one_digest_per_period(inbox):
    client = Client()
    subscription = confirmed(client, inbox)
    inbox.clear()
    now = timezone.now() + dt.timedelta(minutes=1)
    assert send_digests("daily", now=now).sent == 0  # nothing new: no mail, no send row
    assert not SentDigest.objects.exists()
    position = PositionFactory(title="Particle physics detector", funding="full", first_seen=now)
    refresh_search([position])
    later = now + dt.timedelta(minutes=5)
    assert send_digests("daily", now=later).sent == 1
    assert send_digests("daily", now=later + dt.timedelta(minutes=1)).sent == 0  # same period
    assert len(inbox.to(ADDRESS)) == 1
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None
    # The next day, the same position is not new again.
    assert send_digests("daily", now=later + dt.timedelta(days=1)).sent == 0


def test_a_reopened_position_is_new_again(inbox):
    client = Client()
    confirmed(client, inbox)
    inbox.clear()
    old = PositionFactory(
        title="Physics of glasses",
        funding="full",
        status="closed",
        first_seen=timezone.now() - dt.timedelta(days=60),
    )
    refresh_search([old])
    old.status = "open"
    old.save(update_fields=["status"])  # the trigger logs the reopening
    assert send_digests("daily", now=timezone.now() + dt.timedelta(minutes=1)).sent == 1
    assert "Physics of glasses" in parts(inbox.to(ADDRESS)[0])[0]


def test_manage_link_form_answers_the_same_for_known_and_unknown_addresses(inbox):
    client = Client()
    confirmed(client, inbox)
    inbox.clear()
    known = client.post("/alerts/manage/", {"email": ADDRESS})
    unknown = client.post("/alerts/manage/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    (message,) = inbox.messages
    assert address_hash(str(message["To"])) == address_hash(ADDRESS)
    page = client.get(path_of(link_to(message, "/alerts/manage/")))
    assert page.status_code == 200
    assert b"physics" in page.content
    assert ADDRESS.encode() not in page.content and b"jane.doe" not in page.content.lower()
    # A forged or altered token shows nothing.
    assert client.get("/alerts/manage/" + "x" * 40 + "/").status_code == 400


def test_suppressed_addresses_are_never_written_to(inbox):
    client = Client()
    subscription = confirmed(client, inbox)
    inbox.clear()
    Suppression.objects.create(email_hash=address_hash(ADDRESS), reason="bounce")
    position = PositionFactory(title="Physics again", funding="full", first_seen=timezone.now())
    refresh_search([position])
    assert send_digests("daily", now=timezone.now() + dt.timedelta(minutes=1)).sent == 0
    assert subscribe(client).status_code == 200  # the same answer, and no mail
    assert client.post("/alerts/manage/", {"email": ADDRESS}).status_code == 200
    assert inbox.messages == []
    assert subscription.pk


def test_a_hard_bounce_suppresses_the_address(inbox):
    client = Client()
    confirmed(client, inbox)
    inbox.clear()
    inbox.refuse = 550
    position = PositionFactory(title="Physics bounce", funding="full", first_seen=timezone.now())
    refresh_search([position])
    assert send_digests("daily", now=timezone.now() + dt.timedelta(minutes=1)).sent == 0
    assert Suppression.objects.filter(email_hash=address_hash(ADDRESS), reason="bounce").exists()
    assert Subscription.objects.get().bounced_at is not None


def test_rate_limits_per_address_and_per_client(inbox, settings):
    settings.ALERTS_MAILS_PER_ADDRESS_PER_DAY = 2
    settings.ALERTS_REQUESTS_PER_CLIENT_PER_HOUR = 4
    client = Client()
    for _ in range(3):
        assert subscribe(client).status_code == 200  # the third is silently not sent
    assert len(inbox.to(ADDRESS)) == 2
    assert subscribe(client, query="q=chemistry").status_code == 200
    assert subscribe(client, query="q=biology").status_code == 429


def test_redis_down_refuses_mail_sending_writes_and_nothing_else(inbox, settings):
    from alerts import ratelimit

    settings.ALERTS_RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ratelimit._clients.clear()
    client = Client()
    response = subscribe(client)
    assert response.status_code == 503 and response["Retry-After"]
    assert inbox.to(ADDRESS) == []
    # Django mails the admins about a 5xx; the address is not in that mail.
    for message in inbox.messages:
        assert "jane.doe" not in message.as_string().lower()
    assert client.get("/?q=physics").status_code == 200
    assert client.get("/alerts/manage/").status_code == 200


def test_bad_input_is_a_400_not_a_500(inbox):
    client = Client()
    assert (
        client.post("/alerts/subscribe/", {"email": "not an address", "query": "q=x"}).status_code
        == 400
    )
    assert (
        client.post("/alerts/subscribe/", {"email": ADDRESS, "frequency": "hourly"}).status_code
        == 400
    )
    assert (
        client.post("/alerts/shortlist/", {"email": ADDRESS, "token": "forged"}).status_code == 400
    )
    assert client.get("/alerts/confirm/garbage/").status_code == 400
    assert client.get("/alerts/unsubscribe/garbage/").status_code == 400
    assert client.post("/alerts/unsubscribe/garbage/").status_code == 400
    hostile = "q=%00%27%22<script>&country=ZZZ&topic=../../etc&deadline_within=-5&page=99999999"
    assert subscribe(client, query=hostile).status_code == 200
    assert inbox.messages  # a confirmation for what could be kept of it
