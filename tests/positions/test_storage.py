"""How rows are stored and loaded: LZ4 for the large columns, deferred loading."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from positions.models import Listing, Position, _load_order
from tests.factories import InstitutionFactory, ListingFactory, PositionFactory

pytestmark = pytest.mark.django_db


def _server_has_lz4() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
    except DatabaseError:  # a server built without LZ4 refuses the value
        return False
    return True


def test_large_columns_are_compressed_with_lz4():
    if not _server_has_lz4():
        pytest.skip("this PostgreSQL server was built without LZ4")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attname, attcompression FROM pg_attribute"
            " WHERE attrelid IN ('positions_position'::regclass, 'positions_listing'::regclass)"
            " AND attname IN ('description_html', 'description_text', 'search_vector',"
            " 'evidence', 'source_values', 'raw_record', 'normalized')"
        )
        methods = {(table, column): method for table, column, method in cursor.fetchall()}
    assert len(methods) == 7
    assert set(methods.values()) == {"l"}, methods

    text = " ".join(f"word{n} and more words about molecules" for n in range(400))
    position = PositionFactory(description_text=text)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(description_text) FROM positions_position WHERE id = %s",
            [position.pk],
        )
        assert cursor.fetchone()[0] == "lz4"
    assert Position.objects.get(pk=position.pk).description_text == text


def _fields(instance: Position | Listing, names: list[str]) -> dict[str, object]:
    return {name: getattr(instance, name) for name in names}


def test_deferred_loading_puts_every_loaded_value_in_its_own_field():
    institution = InstitutionFactory()
    position = PositionFactory(
        institution=institution,
        title="PhD in soil ecology",
        country="DE",
        city="Jena",
        deadline=dt.date(2031, 5, 1),
        stipend_amount=Decimal("2400.00"),
        stipend_currency="EUR",
        eligibility=["eu", "international"],
        supervisors=["Dr A. Example"],
        description_text="Roots and fungi.",
        description_html="<p>Roots and fungi.</p>",
    )
    names = [f.attname for f in Position._meta.concrete_fields]
    full = Position.objects.get(pk=position.pk)
    _load_order.cache_clear()

    for deferred in (
        ["description_html", "description_text", "search_vector", "source_values"],
        ["title"],
        ["city", "eligibility"],
        names[-3:],
    ):
        loaded = Position.objects.defer(*deferred).get(pk=position.pk)
        assert loaded.get_deferred_fields() == set(deferred)
        loaded_names = [name for name in names if name not in deferred]
        assert _fields(loaded, loaded_names) == _fields(full, loaded_names)
        # A deferred field is read from the database when asked for.
        assert _fields(loaded, deferred) == _fields(full, deferred)

    # Each set of loaded names was worked out once, by FastDeferredLoading.from_db.
    assert _load_order.cache_info().misses >= 4
    Position.objects.defer("title").get(pk=position.pk)
    assert _load_order.cache_info().hits >= 1

    few = Position.objects.only("id", "deadline", "country").get(pk=position.pk)
    assert (few.pk, few.deadline, few.country) == (position.pk, dt.date(2031, 5, 1), "DE")
    assert few.get_deferred_fields() == set(names) - {"id", "deadline", "country"}

    listing = ListingFactory(position=position)
    partial = Listing.objects.select_related("position").only(
        "id", "url", "position__id", "position__title"
    )
    loaded_listing = partial.get(pk=listing.pk)
    assert (loaded_listing.url, loaded_listing.position.title) == (listing.url, position.title)
    assert loaded_listing.get_deferred_fields() >= {"content_hash", "normalized"}
