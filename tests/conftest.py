"""Shared fixtures. Tests talk to the real Postgres and Redis configured in settings."""

from __future__ import annotations

import pytest


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
