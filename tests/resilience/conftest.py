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
    old_url, old_pool = celery_app.conf.broker_url, celery_app._pool
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port()}/0"
    celery_app._pool = None
    yield
    celery_app.conf.broker_url, celery_app._pool = old_url, old_pool
