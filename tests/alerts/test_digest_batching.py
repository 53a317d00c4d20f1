"""Digests made fast without giving anything up: one rendering per distinct digest, each
mail still carrying its own subscriber's links; one SMTP connection for the whole run; the
suppression check in the statement that takes a row."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from alerts import mail as alert_mail
from alerts import tokens
from alerts.digests import send_digests
from alerts.models import SendState, SentDigest, Subscription, Suppression
from alerts.sending import send_rows, take_one
from tests.alerts.conftest import Inbox, free_port, parts
from tests.factories import PositionFactory, refresh_search

pytestmark = pytest.mark.django_db


def _subscribe(address: str, query: str) -> Subscription:
    subscription = Subscription(
        email=address,
        query=query,
        frequency="daily",
        confirmed_at=timezone.now() - dt.timedelta(days=3),
    )
    subscription.save()
    return subscription


def test_one_rendering_per_distinct_digest_and_each_mail_its_own_links(inbox):
    same = [_subscribe(f"reader{n}@example.org", "q=chemistry") for n in range(3)]
    other = _subscribe("other@example.org", "q=geology")
    now = timezone.now()
    refresh_search(
        [
            PositionFactory(title="Organic chemistry of soils", first_seen=now),
            PositionFactory(title="Geology of glaciers", first_seen=now),
        ]
    )
    stats = send_digests("daily", now=now + dt.timedelta(minutes=1))
    assert stats.sent == 4
    assert stats.extra["rendered"] == 2  # one per distinct search and result
    for subscription in [*same, other]:
        (message,) = inbox.to(subscription.email)
        text, html = parts(message)
        header = re.search(r"<([^>]+)>", str(message["List-Unsubscribe"])).group(1)
        # The links are signed with the time they were made: read back, not compared as text.
        body = text + html.replace("&amp;", "&")
        unsubscribes = set(re.findall(r"/alerts/unsubscribe/([^/\s\"<>]+)/", header + body))
        manages = set(re.findall(r"/alerts/manage/([^/\s\"<>]+)/", body))
        assert header.startswith(alert_mail.absolute("/alerts/unsubscribe/"))
        assert unsubscribes and manages
        # Each mail's links are its own subscriber's, none another's.
        assert {tokens.read_unsubscribe_token(t) for t in unsubscribes} == {subscription.pk}
        assert {tokens.read_manage_token(t) for t in manages} == {subscription.email_hash}
        assert alert_mail.UNSUBSCRIBE_MARK not in text + html
        assert alert_mail.MANAGE_MARK not in text + html
        wanted = "Organic chemistry" if subscription.query == "q=chemistry" else "Geology"
        assert wanted in text


class CountingInbox(Inbox):
    """Also records which client connection (its address and port) each mail came on."""

    def __init__(self) -> None:
        super().__init__()
        self.peers: list[object] = []

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


def _digests_through_a_counting_server(settings) -> CountingInbox:
    from aiosmtpd.controller import Controller

    box = CountingInbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        for n in range(5):
            _subscribe(f"reader{n}@example.org", "q=chemistry" if n % 2 else "q=metals")
        now = timezone.now()
        refresh_search(
            [
                PositionFactory(title="Chemistry of clouds", first_seen=now),
                PositionFactory(title="Metals in the sea", first_seen=now),
            ]
        )
        assert send_digests("daily", now=now + dt.timedelta(minutes=1), batch_size=2).sent == 5
    finally:
        controller.stop()
    assert len(box.messages) == 5
    return box


def test_a_run_sends_every_mail_over_one_smtp_connection(settings):
    box = _digests_through_a_counting_server(settings)
    assert len(set(box.peers)) == 1, "one connection for the run, across its batches"


def test_the_run_reopens_its_connection_before_the_servers_limits(settings):
    """Mail servers cap the mails a connection carries and drop idle ones: the run reopens
    its connection between two mails before either would cut one off."""
    settings.ALERTS_SMTP_MESSAGES_PER_CONNECTION = 2
    box = _digests_through_a_counting_server(settings)
    assert len(set(box.peers)) == 3, "5 mails, at most 2 a connection"
    assert [len([p for p in box.peers if p == peer]) for peer in dict.fromkeys(box.peers)] == [
        2,
        2,
        1,
    ]
    settings.ALERTS_SMTP_MESSAGES_PER_CONNECTION = 100
    settings.ALERTS_SMTP_IDLE_SECONDS = -1
    box = _digests_through_a_counting_server(settings)
    assert len(set(box.peers)) == 5, "every mail after an idle spell on a new connection"


def test_an_address_suppressed_after_the_claim_is_not_written_to(inbox):
    subscription = _subscribe("late@example.org", "q=chemistry")
    row = SentDigest.objects.create(
        subscription=subscription, period="2026-12-07", position_ids=[1], state="claimed"
    )
    Suppression.objects.create(email_hash=subscription.email_hash, reason="complaint")
    may_receive = take_one(SentDigest, row.pk)
    assert may_receive is False
    row.refresh_from_db()
    assert row.state == SendState.SENDING and row.attempts == 1
    assert not send_rows(
        SentDigest, [row], subscription, lambda rows: None, None, may_receive=may_receive
    )
    row.refresh_from_db()
    assert row.state == SendState.GAVE_UP and inbox.messages == []
    # A row no longer "claimed" is not this worker's to take.
    assert take_one(SentDigest, row.pk) is None
