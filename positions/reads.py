"""The connection a public read's raw SQL uses: the read replica when the router sends this
request's reads there (config/db_router.py), else the primary, as the ORM's querysets do."""

from __future__ import annotations

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper


def read_connection() -> BaseDatabaseWrapper:
    from positions.models import Position

    return connections[router.db_for_read(Position)]
