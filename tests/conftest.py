"""Shared fixtures. Tests talk to the real Postgres and Redis configured in settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from positions.browser import chromium_launch_options


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _search_cache(request, settings):
    """The search cache is on, as deployed; `@pytest.mark.search_cache_off` turns it off.

    Deployed, the data version moves when a transaction that changed positions commits.
    Most tests write inside a transaction that never commits, so for them the version's
    triggers fire at each write statement instead (SET CONSTRAINTS ... IMMEDIATE), and
    every test starts at a version no other test (or earlier run of --reuse-db) cached
    anything under. Tests with committed writes (transactional_db) see the deployed
    behaviour unchanged."""
    settings.SEARCH_CACHE = request.node.get_closest_marker("search_cache_off") is None
    settings.DATA_VERSION_SECONDS = 0  # each test sees its own writes at once
    # No ingestion runs beside a test: a change shows on the next request, not up to 10 s
    # later (the cache's own tests set the staleness they test).
    settings.SEARCH_CACHE_STALE_SECONDS = 0
    if not _uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    from django.db import connection

    from positions.cache import bump_data_version

    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS data_version_bump IMMEDIATE")
    bump_data_version()


def _uses_database(request: pytest.FixtureRequest) -> bool:
    names = set(request.fixturenames)
    return request.node.get_closest_marker("django_db") is not None or bool(
        names & {"db", "transactional_db", "django_db_reset_sequences", "live_server"}
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The system's Chromium through Playwright, launched as `manage.py screenshots` does;
    one per test module (each test opens its own context)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls are still synchronous, so Django's async-safety guard does not apply to them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            launched = playwright.chromium.launch(**chromium_launch_options())
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
