"""Digests at most once per subscription and period: a worker killed (SIGKILL) mid-batch,
a mail server that refuses for a while, then retries that send each mail once."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from alerts.digests import retry_digests, send_digests
from alerts.models import SendState, SentDigest, Subscription
from alerts.sending import MailServerDown
from tests.factories import PositionFactory, refresh_search

ROOT = Path(__file__).resolve().parents[2]


def subscribers(count: int, query: str = "q=chemistry") -> list[Subscription]:
    confirmed = timezone.now() - dt.timedelta(days=3)
    return Subscription.objects.bulk_create(
        [
            Subscription(
                email=f"reader{n}@example.org",
                email_hash=f"{n:064x}",
                query=query,
                frequency="daily",
                confirmed_at=confirmed,
            )
            for n in range(count)
        ]
    )


def received(inbox) -> Counter[str]:
    return Counter(str(message["To"]) for message in inbox.messages)


@pytest.mark.django_db
def test_smtp_refusing_leaves_rows_to_retry_and_the_retry_sends_each_once(inbox, settings):
    settings.ALERTS_RETRY_BACKOFF_SECONDS = 0
    settings.ALERTS_CLAIM_LEASE_SECONDS = 0
    subscribers(6)
    refresh_search([PositionFactory(title="Organic chemistry of soils", first_seen=timezone.now())])
    inbox.fail_data = 451
    now = timezone.now() + dt.timedelta(minutes=1)
    with pytest.raises(MailServerDown):
        send_digests("daily", now=now, batch_size=4)
    assert inbox.messages == []
    states = Counter(SentDigest.objects.values_list("state", flat=True))
    assert states == {SendState.FAILED: 1, SendState.CLAIMED: 3}  # the batch stopped at once
    # Still down: the retry sweep fails again without sending anything twice.
    assert retry_digests().sent == 0
    inbox.fail_data = None
    retried = retry_digests()
    assert retried.sent == 4
    # The subscriptions of the next batch were never claimed: the next run sends them.
    assert send_digests("daily", now=now + dt.timedelta(minutes=1), batch_size=4).sent == 2
    assert retry_digests().sent == 0
    assert set(received(inbox).values()) == {1} and len(received(inbox)) == 6
    assert not SentDigest.objects.exclude(state=SendState.SENT).exists()


@pytest.mark.django_db
def test_the_task_retries_with_backoff_while_the_mail_server_is_down(inbox, settings):
    from celery.exceptions import Retry

    from alerts import tasks

    settings.ALERTS_RETRY_BACKOFF_SECONDS = 30
    subscribers(2)
    refresh_search([PositionFactory(title="Chemistry of clouds", first_seen=timezone.now())])
    settings.EMAIL_PORT = 1  # nothing listens there: connection refused
    with pytest.raises(Retry) as raised:
        tasks.send_daily_digests.apply(throw=True)
    assert raised.value.when == 30  # the first retry's countdown; doubled each time
    assert SentDigest.objects.filter(state=SendState.FAILED).count() == 1


class SlowInbox:
    """Takes each mail in 50 ms, so a worker can be killed in the middle of a batch."""

    def __init__(self, inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.05)
        return await self.inbox.handle_DATA(server, session, envelope)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_sends_no_one_a_duplicate(smtp_server):
    from aiosmtpd.controller import Controller

    from tests.alerts.conftest import Inbox, free_port

    inbox = Inbox()
    controller = Controller(SlowInbox(inbox), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        subscribers(40)
        PositionFactory(title="Chemistry of metals", first_seen=timezone.now())
        refresh_search(list(PositionFactory._meta.model.objects.all()))
        env = _environment(controller.port)
        worker = _send_alerts(env)
        deadline = time.monotonic() + 60
        while len(inbox.messages) < 8 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
        first = len(inbox.messages)
        assert 8 <= first < 40, "killed mid-batch"
        # Run again, as beat and the retry sweep would (leases ended: ALERTS_CLAIM_LEASE_SECONDS=0).
        for command in ("daily", "retry"):
            assert _send_alerts(env, command).wait(120) == 0
        counts = received(inbox)
        assert max(counts.values()) == 1, "nobody gets a duplicate"
        # At most the one mail in the SMTP conversation when the kill came is given up.
        assert len(counts) >= 39
        given_up = SentDigest.objects.filter(state=SendState.GAVE_UP).count()
        assert len(counts) + given_up >= 40
    finally:
        controller.stop()


def _environment(port: int) -> dict[str, str]:
    database = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        ALERTS_CLAIM_LEASE_SECONDS="0",
        ALERTS_RETRY_BACKOFF_SECONDS="0",
        ALERTS_BATCH_SIZE="500",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    return env


def _send_alerts(env: dict[str, str], what: str = "daily") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "send_alerts", what],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
