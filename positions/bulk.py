"""Lookups and inserts for storing many new positions at once (the batch upsert in
positions/services.py): institutions and topics for many names in one query each, and rows
inserted through one INSERT ... SELECT from JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Upper

from .models import Institution, Topic


def _institutions_by_name(names: Iterable[str]) -> dict[str, Institution]:
    """institution_for's lookup (the name case-insensitively, or an exact alias; the lowest
    id wins) for many names in one query. Keyed by the name as given; names found nowhere
    are absent."""
    wanted = {name for name in names if name}
    if not wanted:
        return {}
    by_upper: dict[str, list[str]] = {}
    for name in wanted:
        by_upper.setdefault(name.upper(), []).append(name)
    found: dict[str, Institution] = {}
    candidates = (
        Institution.objects.annotate(upper_name=Upper("name"))
        .filter(Q(upper_name__in=list(by_upper)) | Q(aliases__overlap=list(wanted)))
        .order_by("-id")
    )  # institution_for takes the lowest id: it comes last and wins
    for institution in candidates:
        for name in by_upper.get(institution.name.upper(), ()):
            found[name] = institution
        for alias in institution.aliases:
            if alias in wanted:
                found[alias] = institution
    return found


def _institutions_create(places: Sequence[tuple[str, str, str]]) -> dict[str, Institution]:
    """institution_for's get_or_create for the (name, country, city) of many new names, in
    two statements; keyed by name. A name another worker created meanwhile is taken as it is
    (ON CONFLICT DO NOTHING, then the one read finds it). Inserted in name order, so two
    workers creating overlapping names never wait on each other in a cycle."""
    if not places:
        return {}
    ordered = sorted(places)
    table = Institution._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, aliases, country, city, website)"  # noqa: S608
            " SELECT name, '{}', country, city, ''"
            " FROM unnest(%s::text[], %s::text[], %s::text[]) AS n(name, country, city)"
            " ON CONFLICT (name) DO NOTHING",
            [
                [name for name, _country, _city in ordered],
                [country for _name, country, _city in ordered],
                [city[:200] for _name, _country, city in ordered],
            ],
        )
    return {
        institution.name: institution
        for institution in Institution.objects.filter(name__in=[name for name, _c, _t in ordered])
    }


def _topic_key(path: str) -> tuple[str, str] | None:
    """topics_for's reading of a "Parent > Child" path: (parent, name) upper-cased, ("", name)
    for a root; None for an empty path."""
    parts = [part.strip() for part in str(path).split(">") if part.strip()]
    if not parts:
        return None
    return (parts[0].upper(), parts[-1].upper()) if len(parts) > 1 else ("", parts[0].upper())


def _topic_index(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """topics_for's lookup for many paths in one query: _topic_key -> topic id, for the
    taxonomy nodes the keys name (a key naming none is absent)."""
    names = {name for _parent, name in keys}
    if not names:
        return {}
    index: dict[tuple[str, str], int] = {}
    nodes = (
        Topic.objects.annotate(upper_name=Upper("name"))
        .filter(upper_name__in=names)
        .order_by("-parent__name", "-name", "-id")  # topics_for's .first() comes last, wins
        .values_list("id", "name", "parent__name")
    )
    for topic_id, name, parent in nodes:
        index[((parent or "").upper(), name.upper())] = topic_id
    return index


def _json_default(value: Any) -> Any:
    """What json.dumps cannot write itself, in the text form Postgres reads for the column."""
    if isinstance(value, dt.date | dt.time):  # datetimes too: full precision, with offset
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _insert_rows(
    model: type[models.Model],
    rows: Sequence[models.Model],
    *,
    computed: dict[str, str] | None = None,
) -> None:
    """INSERT `rows` in one statement whose one parameter is a JSON array of them:
    jsonb_populate_recordset reads it as rows of the table's own type (alias r), so every
    column is typed and checked by Postgres as on any INSERT, and a `computed` column is
    an SQL expression over r evaluated in the INSERT itself.

    Why not bulk_create: it prepares every value of every field through the ORM (a third
    of the cost of a batch of new positions, issue 7), and it cannot write a column
    computed from the row, which would then need a second UPDATE of every row.
    A primary key left unset is given by the table's identity column.
    """
    if not rows:
        return
    computed = computed or {}
    meta = model._meta
    with_pk = all(row.pk is not None for row in rows)
    fields = [
        f
        for f in meta.concrete_fields
        if f.column not in computed
        and (with_pk or not f.primary_key)
        and not f.generated  # Postgres computes those
    ]
    quote = connection.ops.quote_name
    names = [(f.column or f.attname, f.attname) for f in fields]  # concrete: a column each
    columns = [quote(column) for column, _ in names] + [quote(column) for column in computed]
    select = [f"r.{quote(column)}" for column, _ in names] + list(computed.values())
    payload = json.dumps(
        [{column: getattr(row, attname) for column, attname in names} for row in rows],
        default=_json_default,
        ensure_ascii=False,
    )
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)}"  # noqa: S608
            f" FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb) AS r",
            [payload],
        )
