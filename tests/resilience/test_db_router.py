"""Which database a read goes to when a read replica is configured (config/db_router.py):
the routing rules in this process; tests/resilience/test_read_replica.py runs them against
a real streaming replica."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config import db_router
from positions.models import Position
from scrapers.models import ScrapeRun

router = db_router.ReplicaRouter()


def _reads(alias: str | None):  # type: ignore[no-untyped-def]
    class _Using:
        def __enter__(self) -> None:
            self.token = db_router._reads.set(alias)

        def __exit__(self, *_exc: object) -> None:
            db_router._reads.reset(self.token)

    return _Using()


def test_reads_outside_a_public_request_go_to_the_primary():
    # Workers, beat and commands never set the request's alias.
    assert router.db_for_read(Position) == DEFAULT_DB_ALIAS
    assert router.db_for_read(ScrapeRun) == DEFAULT_DB_ALIAS


def test_a_public_request_reads_the_replica_except_sessions_auth_and_alerts():
    with _reads(db_router.REPLICA):
        assert router.db_for_read(Position) == db_router.REPLICA
        assert router.db_for_read(Session) == DEFAULT_DB_ALIAS
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
    assert router.db_for_write(Position) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "positions")
    assert not router.allow_migrate(db_router.REPLICA, "positions")


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary():
    # A read in a transaction may feed a write (the test itself runs in one).
    with _reads(db_router.REPLICA), transaction.atomic():
        assert router.db_for_read(Position) == DEFAULT_DB_ALIAS


@pytest.mark.parametrize(
    ("method", "path", "cookie", "replica"),
    [
        ("GET", "/", "", True),
        ("GET", "/api/positions/", "", True),
        ("HEAD", "/feeds/positions.atom", "", True),
        ("POST", "/positions/1/report/", "", False),
        ("GET", "/admin/positions/position/", "", False),
        ("GET", "/alerts/confirm/abc/", "", False),
        ("GET", "/positions/1/", "db_primary=1", False),  # just wrote: read the primary
    ],
)
def test_which_requests_read_the_replica(settings, method, path, cookie, replica):
    settings.ADMIN_URL = "admin/"
    request = RequestFactory().generic(method, path, HTTP_COOKIE=cookie)
    assert db_router.request_reads_replica(request) is replica


def test_the_middleware_routes_the_request_and_pins_the_primary_after_a_write(monkeypatch):
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router.health, "usable", lambda: True)
    seen: list[str] = []

    def view(request):  # type: ignore[no-untyped-def]
        seen.append(router.db_for_read(Position))
        return HttpResponse("ok")

    middleware = db_router.ReplicaReadsMiddleware(view)
    factory = RequestFactory()
    assert db_router.PIN_COOKIE not in middleware(factory.get("/")).cookies
    posted = middleware(factory.post("/shortlist/star/"))
    assert posted.cookies[db_router.PIN_COOKIE]["max-age"] == 5
    monkeypatch.setattr(db_router.health, "usable", lambda: False)  # the replica is away
    middleware(factory.get("/"))
    assert seen == [db_router.REPLICA, DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS]
