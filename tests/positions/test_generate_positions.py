"""manage.py generate_positions drops the positions' secondary indexes for a large load into
an empty table and rebuilds them after: a load that fails half-way must rebuild them too."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from positions.management.commands import generate_positions

pytestmark = pytest.mark.django_db(transaction=True)


def index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'positions_position'"
        )
        return dict(cursor.fetchall())


def index_names() -> set[str]:
    return set(index_definitions())


@pytest.fixture
def indexes_restored():
    """Should the command lose indexes (the bug this guards), put them back for the tests
    that share this database."""
    definitions = index_definitions()
    yield
    missing = set(definitions) - index_names()
    with connection.cursor() as cursor:
        for name in missing:
            cursor.execute(definitions[name])


def test_a_load_that_fails_half_way_leaves_every_index_in_place(monkeypatch, indexes_restored):
    before = index_names()
    assert len(before) > 10
    monkeypatch.setattr(generate_positions, "BULK_INDEX_THRESHOLD", 10)
    real_batch_rows = generate_positions._batch_rows
    calls = []

    def failing_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the generator broke half-way")
        return real_batch_rows(*args, **kwargs)

    monkeypatch.setattr(generate_positions, "_batch_rows", failing_second_batch)
    out = io.StringIO()

    with pytest.raises(RuntimeError, match="half-way"):
        call_command(
            "generate_positions", "40", "--clear", "--batch", "10", "--seed", "1", stdout=out
        )

    assert "Rebuilt" in out.getvalue()
    assert index_names() == before
