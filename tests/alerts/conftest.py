"""A real SMTP server on 127.0.0.1 (aiosmtpd) that the tests send alert mail through and read
back, and the settings that point Django's SMTP backend at it."""

from __future__ import annotations

import email
import logging
import re
import socket
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """What the server received; `refuse` makes it answer RCPT with that code, `fail_data`
    makes it answer DATA with that code (451: try later), for the failure tests."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: int | None = None
        self.fail_data: int | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse:
            return f"{self.refuse} 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_data:
            return f"{self.fail_data} 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def clear(self) -> None:
        self.messages.clear()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "both parts are required"
    return text.get_content(), html.get_content()


def links(message: EmailMessage) -> list[str]:
    text, _ = parts(message)
    return re.findall(r"https?://[^\s<>\"]+", text)


def link_to(message: EmailMessage, fragment: str) -> str:
    found = [link for link in links(message) if fragment in link]
    assert found, f"no link with {fragment!r} in {links(message)}"
    return found[0]


def csrf_post(client: Any, path: str, data: dict[str, str] | None = None) -> Any:
    """POST a page's form as a browser does: GET it, send its CSRF token back."""
    page = client.get(path)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
    token = found.group(1).decode() if found else ""
    return client.post(path, {"csrfmiddlewaretoken": token, **(data or {})})


@pytest.fixture
def smtp_server():
    # The test server's own log would print each recipient in full.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server, settings) -> Inbox:
    box, port = smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_USE_TLS = False
    settings.ALERTS_FROM_EMAIL = "alerts@phd.example"
    return box


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Each test starts with no rate-limit counts (they live in the tests' own Redis db)."""
    client = redis.Redis.from_url(django_settings.ALERTS_RATE_LIMIT_REDIS_URL)
    try:
        keys = list(client.scan_iter("alerts:rl:*", count=1000))
        if keys:
            client.delete(*keys)
    except redis.RedisError:
        pass
    yield
