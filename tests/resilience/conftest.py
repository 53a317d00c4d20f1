"""Fixtures that point the cache, the broker or the database at a port nothing listens on."""

from __future__ import annotations

import socket

import pytest

from config.celery import app as celery_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_away(settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    yield


@pytest.fixture
def broker_away():
    """The Celery app publishing to a closed port: its connection and producer pools are set
    aside and put back afterwards (tests after this one publish to the real broker)."""
    amqp = celery_app.amqp
    saved = (celery_app.conf.broker_url, celery_app._pool, amqp._producer_pool)
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    celery_app._pool = None
    amqp._producer_pool = None
    try:
        yield
    finally:
        if celery_app._pool is not None:
            celery_app._pool.force_close_all()
        celery_app.conf.broker_url, celery_app._pool, amqp._producer_pool = saved
