"""One statement timeout per web request, not one per statement.

The web's connections cancel a statement after DATABASE_WEB_STATEMENT_TIMEOUT (3 s,
config/web_process.py). A request whose search falls back to a second and a third query
when the first fails would wait that long once per query: behind a lock, 4 queries made a
12 s request. `DatabaseBudgetMiddleware` watches the request's queries (a Django execute
wrapper, no query of its own): once one is cancelled for its time (SQLSTATE 57014, or a
lock timeout, 55P03), every further query of that request fails at once with the same
OperationalError, so the request ends in the site's 503 (positions/outage.py) or its
stale cached copy within the timeout.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

_OUT_OF_TIME = ("57014", "55P03")


class _Budget:
    def __init__(self) -> None:
        self.spent = ""

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self.spent:
            raise OperationalError(f"the request's database time is spent: {self.spent}")
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            if str(getattr(error.__cause__, "pgcode", "") or "") in _OUT_OF_TIME:
                self.spent = str(error).strip()[:200]
            raise


class DatabaseBudgetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        budget = _Budget()
        with contextlib.ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(budget))
            return self.get_response(request)
