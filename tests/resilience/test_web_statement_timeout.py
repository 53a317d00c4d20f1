"""Web requests have a statement timeout of their own (DATABASE_WEB_STATEMENT_TIMEOUT, 3 s by
default) while workers and commands keep the longer DATABASE_STATEMENT_TIMEOUT: a query
stuck behind a lock ends in the site's 503 with Retry-After within seconds, under a real
gunicorn, and the same page answers again once the lock is gone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from positions.models import Position
from tests.resilience.services import ROOT, Site

SHOW = (
    "import {module}; import django; django.setup(); from django.db import connection; "
    "cursor = connection.cursor(); cursor.execute('SHOW statement_timeout'); "
    "print(cursor.fetchone()[0])"
)


def _timeout_in(module: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", SHOW.format(module=module)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_web_process_has_the_short_timeout_and_a_worker_the_long_one():
    assert _timeout_in("config.wsgi") == "3s"
    assert _timeout_in("config.asgi") == "3s"
    assert _timeout_in("config.celery") == "30s"
    assert _timeout_in("config.wsgi", DATABASE_WEB_STATEMENT_TIMEOUT="1500ms") == "1500ms"
    assert _timeout_in("config.celery", DATABASE_STATEMENT_TIMEOUT="2min") == "2min"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_request_stuck_behind_a_lock_gets_a_503_within_the_web_timeout(tmp_path: Path):
    from tests.factories import PositionFactory

    PositionFactory(title="PhD position in glacier hydrology")
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "tests-web-timeout-" + "x" * 40,
        "STATIC_PLAIN_STORAGE": "1",
        "DATA_VERSION_SECONDS": "0",
        "SEARCH_CACHE_STALE_SECONDS": "0",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    site = Site(env, tmp_path / "gunicorn.log")
    locker = psycopg2.connect(url.replace("postgres://", "postgresql://"))
    try:
        assert site.get("/api/positions/?q=glacier")[0].status_code == 200
        cursor = locker.cursor()
        cursor.execute(f"LOCK TABLE {Position._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        # A query no cache holds: it must reach Postgres and wait behind the lock.
        answers = [site.get(f"/api/positions/?q=hydrology{n}") for n in range(2)]
        page = site.get("/?q=never-cached-words")
        locker.rollback()
        for response, seconds in [*answers, page]:
            assert response.status_code == 503, response.text[:300]
            assert response.headers["Retry-After"]
            assert 2.5 <= seconds < 5.0, seconds  # the 3 s timeout, not gunicorn's 30 s
        assert "text/html" in page[0].headers["Content-Type"]
        back, seconds = site.get("/api/positions/?q=hydrology0")
        assert back.status_code == 200 and seconds < 3
    finally:
        threading.Thread(target=locker.close).start()
        site.stop()
