"""What a web process changes before serving: the short statement timeout of web requests,
and the short Redis retry of the fetches a web request makes (the admin's previews).

config/wsgi.py and config/asgi.py call `configure()` once, after Django's setup and before
any request opens a connection: every database the web uses gets
DATABASE_WEB_STATEMENT_TIMEOUT (3 s by default), so a slow or locked query ends in the
site's 503 page (positions/outage.py) within seconds instead of holding the request. Celery
workers and management commands never import this module: they keep
DATABASE_STATEMENT_TIMEOUT (30 s)."""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def configure() -> None:
    configure_database()
    configure_fetch()


def configure_fetch() -> None:
    # A worker's fetch rides out a Redis restart (SCRAPER_REDIS_RETRY_SECONDS, 15 s); an
    # admin waiting on Test parse is told within about a second that Redis is away.
    settings.SCRAPER_REDIS_RETRY_SECONDS = min(
        float(settings.SCRAPER_REDIS_RETRY_SECONDS), float(settings.SCRAPER_WEB_REDIS_RETRY_SECONDS)
    )


def configure_database() -> None:
    # The connection handler holds these same dicts: a connection opened from now on (each
    # connection reads its OPTIONS when it connects) has the web's timeout.
    for database in settings.DATABASES.values():
        database.setdefault("OPTIONS", {})["options"] = settings.DATABASE_WEB_OPTIONS
    for connection in connections.all(initialized_only=True):
        connection.close()  # one opened before this point (none in a fresh process)
