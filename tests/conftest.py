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
def _no_search_cache(settings):
    # Tests write through factories inside a transaction that never commits, so the data
    # version (bumped on commit) would not move between two searches of one test. The
    # cache's own tests turn it back on with committed writes.
    settings.SEARCH_CACHE = False
    settings.DATA_VERSION_SECONDS = 0  # each test sees its own writes at once


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
