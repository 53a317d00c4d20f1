"""The search document of a position, written by the database (positions/search/fulltext.py
defines it), and the upkeep of the full-text indexes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import Position
from .search import search_document_sql

# The document's one definition lives with the search (positions/search/fulltext.py).
SEARCH_DOCUMENT_SQL = (
    f"UPDATE positions_position AS p SET search_vector = {search_document_sql('p')} "  # noqa: S608
    "WHERE p.id = ANY(%s)"
)


def position_refresh_search_vector(*, position_ids: Iterable[int]) -> None:
    ids = list(position_ids)
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_DOCUMENT_SQL, [ids])


def positions_clean_search_indexes() -> int:
    """Merge the pending lists of the positions' GIN indexes into the indexes; the number
    of pending pages merged.

    New rows' entries wait in such a list (up to models.GIN_PENDING_LIST_KB per index) and
    every search reads the whole list: with a few thousand new positions waiting, one
    full-text index scan took ~100 ms at 100k positions instead of ~1 ms (issue 7). Run
    after each scrape or housekeeping pass that changed positions: ~0.1-0.2 ms of Postgres
    per new position, a merge Postgres would otherwise do itself, later, in some insert.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(gin_clean_pending_list(i.indexrelid)), 0)"
            " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am am ON am.oid = c.relam"
            " WHERE i.indrelid = %s::regclass AND am.amname = 'gin'",
            [Position._meta.db_table],
        )
        return int(cursor.fetchone()[0])
