"""What the site answers while Postgres is down or read-only (issue 23).

A request whose database work fails because Postgres cannot be reached, is shutting down,
or refuses writes (a read-only replica, a primary in recovery) gets a 503 with Retry-After
and our own page, never Django's bare "Server Error (500)". connect_timeout and
statement_timeout (settings) bound how long the request waits before that. Pages and API
answers already in the cache are served stale meanwhile (positions/cache.py).
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger(__name__)

# SQLSTATEs that mean "the database is away or will not write now", not "this query is wrong":
# 25006 read-only transaction, 57P01-57P03 shutting down / cannot connect now, 08xxx
# connection errors, 53300 too many connections, 57014 statement timeout (a hung server).
READ_ONLY_SQLSTATE = "25006"
_OUTAGE_STATES = (READ_ONLY_SQLSTATE, "57P01", "57P02", "57P03", "53300", "57014")


def sqlstate(error: BaseException | None) -> str:
    """The SQLSTATE of a database error, from either driver (psycopg2's pgcode, psycopg's
    sqlstate) on the error itself or the driver error Django wrapped; '' when there is none."""
    for candidate in (error, getattr(error, "__cause__", None)):
        for attribute in ("pgcode", "sqlstate"):
            state = getattr(candidate, attribute, None)
            if state:
                return str(state)
    return ""


def is_database_outage(error: BaseException | None) -> bool:
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if not isinstance(error, DatabaseError):
        return False
    state = sqlstate(error)
    return state in _OUTAGE_STATES or state.startswith("08")


def retry_after_seconds() -> int:
    return int(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 30))


def unavailable_response(*, api: bool = False) -> HttpResponse:
    """503 with Retry-After; the page needs neither the database nor the cache."""
    if api:
        response = HttpResponse(
            '{"detail": "The database is unavailable; try again shortly."}',
            status=503,
            content_type="application/json",
        )
    else:
        body = render_to_string(
            "503.html", {"page_title": "Temporarily unavailable", "retry": retry_after_seconds()}
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage becomes a 503 of ours; anything else Django's 500."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        logger.warning("database unavailable for %s: %s", request.path, error)
        return unavailable_response(api=request.path.startswith("/api/"))
    return defaults.server_error(request)
