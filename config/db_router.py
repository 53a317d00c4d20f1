"""A Postgres read replica for the web's public reads (docs/deployment.md, "Scale-out").

Off unless DATABASE_REPLICA_URL is set (settings add the `replica` database and this router).
Then:

- `ReplicaReadsMiddleware` lets a request read from the replica when it is a GET or HEAD of a
  public page (search, detail, API, feeds, sitemaps), not under the admin or the alerts
  (subscribe, confirm, manage: they act on what was just written), and the browser does not
  carry the pin cookie a write sets (below). Everything else reads the primary: POSTs, the
  admin, the workers, beat, management commands (they never pass through the middleware).
- `ReplicaRouter` sends those reads to the replica except for the apps that must read what
  they write (sessions, auth, the admin's log, django-axes, OTP devices, celery beat,
  alerts) and except inside a transaction (a read there may feed a write). Every write goes
  to the primary; migrations run on the primary only (the replica replays them).
- Read-after-write: a response to a POST (or any unsafe method) sets a short cookie
  (`DATABASE_REPLICA_PIN_SECONDS`, 5 s by default) under which that browser reads the
  primary, so the page a form redirects to shows what the form wrote, however far the
  replica lags. Other visitors see it once the replica has replayed it (usually well under
  a second; `pg_stat_replication` shows the lag).
- The replica unreachable: the middleware's check at the start of each routed request (the
  health check Django makes on a connection's first use in a request, and a connection
  attempt bounded by DATABASE_REPLICA_CONNECT_TIMEOUT, 1 s) fails, the replica is set aside
  for DATABASE_REPLICA_RETRY_SECONDS (10 s) and every read goes to the primary meanwhile.
  A replica that dies in the middle of a request fails that one request like any database
  outage (the 503 page, positions/outage.py); the next reads the primary.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "db_primary"
# Apps whose rows a request reads to act on them (or just wrote): always the primary.
PRIMARY_APPS = frozenset(
    {
        "admin",
        "auth",
        "contenttypes",
        "sessions",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_celery_beat",
        "alerts",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# The alias this request's (this thread's, this task's) public reads go to; None: primary.
_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("db_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        alias = _reads.get()
        if alias is None or model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class _ReplicaHealth:
    """When the replica last failed, per process: it is set aside for a while after."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_until = 0.0

    def usable(self) -> bool:
        if time.monotonic() < self.down_until:
            return False
        connection = connections[REPLICA]
        try:
            # Django checks a reused connection once per request anyway (conn_health_checks):
            # done here, a dead replica is noticed before the view runs.
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            self.set_aside(error)
            return False
        return True

    def set_aside(self, error: BaseException) -> None:
        seconds = float(getattr(settings, "DATABASE_REPLICA_RETRY_SECONDS", 10))
        with self._lock:
            first = time.monotonic() >= self.down_until
            self.down_until = time.monotonic() + seconds
        if first:
            logger.warning("the read replica is unreachable, reading the primary: %s", error)
        connection = connections[REPLICA]
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None


health = _ReplicaHealth()


def request_reads_replica(request: HttpRequest) -> bool:
    """Whether this request's public reads may go to the replica (see the module's doc)."""
    if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
        return False
    path = request.path_info.lstrip("/")
    return not (path.startswith(settings.ADMIN_URL) or path.startswith("alerts/"))


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        if not request_reads_replica(request) or not health.usable():
            response = self.get_response(request)
        else:
            token = _reads.set(REPLICA)
            try:
                response = self.get_response(request)
            finally:
                _reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=int(getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 5)),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
