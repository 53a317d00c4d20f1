"""The positions' GIN indexes keep their pending lists short (issue 7).

New rows' entries wait in a GIN index's pending list, which every search reads whole: with
a few thousand new positions waiting, one full-text index scan took ~100 ms at 100k
positions instead of ~1 ms. The lists are bounded (models.GIN_PENDING_LIST_KB) and merged
after each scrape that changed positions (tests/scrapers check the task and the command).
"""

from __future__ import annotations

import pytest
from django.db import connection

from positions.models import GIN_PENDING_LIST_KB, Position
from positions.selectors import position_search
from positions.services import positions_clean_search_indexes, positions_upsert_from_records
from scrapers.records import PositionRecord
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_every_gin_index_of_positions_has_a_short_pending_list():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, coalesce(c.reloptions, '{}') FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam"
            " WHERE i.indrelid = 'positions_position'::regclass AND am.amname = 'gin'"
        )
        options = dict(cursor.fetchall())
    assert len(options) == 12  # the full-text ones (whole, open, 8 sample levels), 2 more
    for name, reloptions in options.items():
        assert f"gin_pending_list_limit={GIN_PENDING_LIST_KB}" in reloptions, name


def test_cleaning_merges_what_new_positions_left_pending_and_search_still_finds_them():
    positions_clean_search_indexes()  # what other tests' rows left
    source = SourceFactory(auto_publish=True)
    records = [
        PositionRecord(
            url=f"https://jobs.example.org/{n}",
            title=f"PhD in limnology {n}",
            institution="University of Lakes",
            country="FI",
            description_text="Sediment cores from boreal lakes. " * 40,
        )
        for n in range(40)
    ]
    positions_upsert_from_records(records=records, source=source)

    assert positions_clean_search_indexes() > 0  # pages of pending entries merged
    assert positions_clean_search_indexes() == 0  # nothing left
    found = position_search({"q": "limnology sediment"})
    assert found.total == 40
    assert found.positions and all(p.title.startswith("PhD in limnology") for p in found.positions)
    assert Position.objects.filter(search_vector__isnull=True).count() == 0
