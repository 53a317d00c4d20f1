"""Fill the database with N synthetic positions for benchmarks (never for production data).

    manage.py generate_positions 100000 --seed 7 --clear

Rows go in through COPY: a generator thread builds each batch in Python while a loader thread
copies the previous one, so Python and Postgres work at the same time on the two cores.
Positions are copied into a temporary staging table and moved into positions_position with
their search_vector computed by Postgres in the same INSERT ... SELECT (the same expression the
application uses), so the stored vectors are exactly what a real upsert would write.

On a large load into an empty table the secondary indexes are dropped first and rebuilt once
at the end (much faster than maintaining a GIN index row by row), and foreign-key triggers are
skipped for the session (the generator assigns consistent ids itself).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models
from django.utils import timezone

from positions import cache as position_cache
from positions.models import Institution, Listing, Position, Topic, listing_source_model
from positions.search import search_document_sql
from positions.synthetic import (
    InstitutionChoice,
    PositionGenerator,
    SyntheticPosition,
    TopicChoice,
    synthetic_institutions,
)
from positions.synthetic_words import FALLBACK_TAXONOMY, SOURCE_NAMES

BULK_INDEX_THRESHOLD = 50_000
# Connections rebuilding the dropped indexes after a bulk load, one core each.
INDEX_BUILDERS = 2
# "Every open PhD position in the world is on the order of 100k at a time" (issue 7).
OPEN_POSITIONS_WORLDWIDE = 100_000
TABLES_WITH_REBUILT_INDEXES = [
    "positions_position",
    "positions_listing",
    "positions_position_topics",
]


def _copy_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _array_literal(items: Iterable[Any]) -> str:
    quoted = ('"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"' for item in items)
    return _copy_escape("{" + ",".join(quoted) + "}")


def _encoder(field: models.Field[Any, Any]) -> Callable[[Any], str]:
    """A function turning a Python value into COPY text for this column."""

    def encode(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(field, ArrayField):
            return _array_literal(value)
        if isinstance(field, models.JSONField):
            return _copy_escape(json.dumps(value))
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return value.isoformat()
        if isinstance(value, int | float | Decimal):
            return str(value)
        return _copy_escape(str(value))

    return encode


def _column(field: models.Field[Any, Any]) -> str:
    """A concrete field's column (the stubs allow None: a non-concrete field has none)."""
    if field.column is None:
        raise ValueError(f"{field} has no database column")
    return field.column


class CopyRows:
    """COPY text for one model's concrete columns: given values, else the field's default."""

    def __init__(self, model: type[models.Model], *, skip: set[str], extra: Iterable[str] = ()):
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if f.column not in skip and not f.generated  # Postgres computes those
        ]
        self.columns = [_column(f) for f in self.fields] + list(extra)
        self.encoders = [_encoder(f) for f in self.fields]
        self.defaults = []
        for f in self.fields:
            default = f.get_default() if f.has_default() else (None if f.null else "")
            self.defaults.append(_encoder(f)(default))
        self.attnames = [f.attname for f in self.fields]

    def line(self, values: dict[str, Any], extra: Iterable[str] = ()) -> str:
        parts = [
            encode(values[name]) if name in values else default
            for name, encode, default in zip(
                self.attnames, self.encoders, self.defaults, strict=True
            )
        ]
        parts.extend(_copy_escape(item) for item in extra)
        return "\t".join(parts) + "\n"


class Command(BaseCommand):
    help = "Generate N synthetic positions (with listings and topics) for benchmarks only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=10_000)
        parser.add_argument("--institutions", type=int, default=400)
        parser.add_argument(
            "--loaders",
            type=int,
            default=2,
            help="Parallel COPY connections (Postgres computes the search vectors on each)",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Delete every position, listing and change first"
        )
        parser.add_argument(
            "--current-share",
            type=float,
            default=None,
            help="Share of current (not archived) adverts; default: 0.6, or 100,000/N above"
            " 166,666 positions, so a 1M database is a multi-year archive around ~100k"
            " open positions (issue 7)",
        )
        parser.add_argument(
            "--no-vacuum", action="store_true", help="Skip VACUUM ANALYZE at the end"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["count"]
        batch: int = options["batch"]
        if count < 0 or batch <= 0:
            raise CommandError("count must be >= 0 and --batch > 0")
        started = time.monotonic()
        if options["clear"]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE positions_position, positions_listing, positions_position_topics,"
                    " positions_positionchange, positions_report, positions_duplicatecandidate"
                    " RESTART IDENTITY CASCADE"
                )
            self.stdout.write("Cleared positions, listings, topics links, changes and reports.")
        rng = random.Random(options["seed"])
        institutions = self._institutions(rng, options["institutions"])
        topics = self._topics()
        sources = self._sources()
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(max(id), 0) FROM positions_position")
            first_id = cursor.fetchone()[0] + 1
            cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM positions_position)")
            empty = cursor.fetchone()[0]
        current_share = options["current_share"]
        if current_share is None:
            current_share = min(0.6, OPEN_POSITIONS_WORLDWIDE / max(count, 1))
        # The archive spans as many years as it takes to hold the closed positions.
        archive_days = int(365 * max(1.0, (1 - current_share) * count / OPEN_POSITIONS_WORLDWIDE))
        generator = PositionGenerator(
            current_share=current_share,
            archive_days=min(archive_days, 3650),
            seed=options["seed"],
            institutions=institutions,
            topics=topics,
            source_count=len(sources),
            today=timezone.localdate(),
        )
        rebuild = empty and count >= BULK_INDEX_THRESHOLD
        dropped = self._drop_indexes() if rebuild else []
        loaded = time.monotonic()
        try:
            self._load(generator, first_id, count, batch, sources, options["loaders"])
            load_seconds = time.monotonic() - loaded
            self.stdout.write(
                f"Loaded {count} positions in {load_seconds:.1f}s ({count / max(load_seconds, 1e-9):,.0f} rows/s)"
            )
        finally:
            # A load that fails (or is interrupted) half-way still leaves the table with every
            # index it had: without them each search would scan the whole table.
            if dropped:
                index_started = time.monotonic()
                self._create_indexes(dropped)
                self.stdout.write(
                    f"Rebuilt {len(dropped)} indexes in {time.monotonic() - index_started:.1f}s"
                )
        if not options["no_vacuum"]:
            vacuum_started = time.monotonic()
            connection.ensure_connection()
            with connection.cursor() as cursor:
                for table in TABLES_WITH_REBUILT_INDEXES:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
            self.stdout.write(f"VACUUM ANALYZE in {time.monotonic() - vacuum_started:.1f}s")
        self._after_ingest()
        total = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} positions in {total:.1f}s overall"
                f" ({count / max(total, 1e-9):,.0f} rows/s including indexes and vacuum)"
            )
        )

    # --- reference data ---------------------------------------------------------------
    def _institutions(self, rng: random.Random, wanted: int) -> list[InstitutionChoice]:
        specs = synthetic_institutions(rng, wanted)
        Institution.objects.bulk_create(
            [
                Institution(name=name, country=country, city=city, website=f"https://{domain}/")
                for name, country, city, domain in specs
            ],
            ignore_conflicts=True,
        )
        by_name = {
            name: (pk, country, city)
            for pk, name, country, city in Institution.objects.filter(
                name__in=[spec[0] for spec in specs]
            ).values_list("id", "name", "country", "city")
        }
        return [
            InstitutionChoice(
                id=by_name[name][0], name=name, country=country, city=city, domain=domain
            )
            for name, country, city, domain in specs
            if name in by_name
        ]

    def _topics(self) -> list[TopicChoice]:
        leaves = list(
            Topic.objects.filter(parent__isnull=False, children__isnull=True)
            .select_related("parent")
            .distinct()
        )
        if not leaves:
            self.stdout.write("No taxonomy loaded: creating a small two-level topic set.")
            for field_name, children in FALLBACK_TAXONOMY.items():
                parent, _ = Topic.objects.get_or_create(
                    name=field_name, parent=None, defaults={"slug": _slug(field_name)}
                )
                for leaf, keywords in children.items():
                    Topic.objects.get_or_create(
                        parent=parent,
                        name=leaf,
                        defaults={"slug": _slug(f"{field_name}-{leaf}"), "keywords": keywords},
                    )
            return self._topics()
        return [
            TopicChoice(
                id=leaf.id,
                name=leaf.name,
                field_name=leaf.parent.name if leaf.parent else leaf.name,
                keywords=tuple(k for k in leaf.keywords if k) or (leaf.name.lower(),),
                parent_id=leaf.parent_id,
            )
            for leaf in sorted(leaves, key=lambda t: t.id)
        ]

    def _sources(self) -> list[Any]:
        sources = []
        for index, name in enumerate(SOURCE_NAMES):
            # Scraping's model, looked up: positions imports nothing of scraping.
            source, _ = listing_source_model()._default_manager.get_or_create(
                name=name,
                defaults={
                    "start_url": f"https://board-{index}.example.org/phd",
                    "adapter": "aggregator",
                    "enabled": False,
                },
            )
            sources.append(source)
        return sources

    # --- the load -------------------------------------------------------------------------
    def _load(
        self,
        generator: PositionGenerator,
        first_id: int,
        count: int,
        batch: int,
        sources: list[Any],
        loaders: int,
    ) -> None:
        # topic_ids is not a model field: the generator states it (triggers are off here,
        # replica role) as the link triggers would keep it (migration 0008).
        position_rows = CopyRows(Position, skip={"search_vector"}, extra=["topic_ids"])
        listing_rows = CopyRows(Listing, skip={"id"})
        now = timezone.now()
        source_ids = [source.id for source in sources]

        work: queue.Queue[tuple[str, str, str, int] | None] = queue.Queue(maxsize=loaders + 1)
        errors: list[BaseException] = []
        threads = [
            threading.Thread(
                target=_copy_loader,
                args=(work, errors, position_rows, listing_rows),
                name=f"copy-loader-{n}",
            )
            for n in range(loaders)
        ]
        for thread in threads:
            thread.start()
        done = 0
        last_report = time.monotonic()
        started = last_report
        try:
            for batch_start in range(first_id, first_id + count, batch):
                if errors:
                    break
                size = min(batch, first_id + count - batch_start)
                work.put(
                    _batch_rows(
                        generator,
                        range(batch_start, batch_start + size),
                        position_rows,
                        listing_rows,
                        source_ids,
                        now,
                    )
                )
                done += size
                if time.monotonic() - last_report > 10:
                    last_report = time.monotonic()
                    rate = done / (last_report - started)
                    self.stdout.write(f"  generated {done:,}/{count:,} ({rate:,.0f} rows/s)")
        finally:
            for _ in threads:
                work.put(None)
            for thread in threads:
                thread.join()
        if errors:
            raise CommandError(f"loading failed: {errors[0]}") from errors[0]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('positions_position', 'id'),"
                " greatest((SELECT max(id) FROM positions_position), 1))"
            )

    # --- indexes ----------------------------------------------------------------------------
    def _drop_indexes(self) -> list[str]:
        """Drop secondary indexes (not primary keys or constraints); return their definitions."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef
                FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """,
                [TABLES_WITH_REBUILT_INDEXES],
            )
            rows = cursor.fetchall()
            for name, _definition in rows:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in rows]

    def _create_indexes(self, definitions: list[str]) -> None:
        """Build the indexes on INDEX_BUILDERS connections side by side (each build uses
        one core), the GIN indexes (full text, trigram: most of the time) first, so the
        builders finish together. 1M positions: 156 s one after another."""
        pending: queue.SimpleQueue[str] = queue.SimpleQueue()
        for definition in sorted(definitions, key=lambda text: " USING gin " not in text):
            pending.put(definition)
        errors: list[BaseException] = []

        def builder() -> None:
            # Its own connection: Django connections are per thread.
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET maintenance_work_mem = '512MB'")
                    while not errors:
                        try:
                            definition = pending.get_nowait()
                        except queue.Empty:
                            return
                        cursor.execute(definition)
            except BaseException as error:  # re-raised in the main thread
                errors.append(error)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=builder, name=f"index-builder-{n}")
            for n in range(INDEX_BUILDERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def _after_ingest(self) -> None:
        """Tell cached pages and counts that the data changed: the loaders write with
        triggers off (session_replication_role = replica), the version's among them."""
        position_cache.bump_data_version()


def _batch_rows(
    generator: PositionGenerator,
    position_ids: range,
    position_rows: CopyRows,
    listing_rows: CopyRows,
    source_ids: list[Any],
    now: Any,
) -> tuple[str, str, str, int]:
    """COPY text for one batch: positions, listings, topic links, and the batch's size."""
    positions_out: list[str] = []
    listings_out: list[str] = []
    topics_out: list[str] = []
    for position_id in position_ids:
        item: SyntheticPosition = generator.make(position_id)
        positions_out.append(
            position_rows.line(
                item.values,
                extra=["{" + ",".join(map(str, item.facet_topic_ids)) + "}"],
            )
        )
        for topic_id in item.topic_ids:
            topics_out.append(f"{position_id}\t{topic_id}\n")
        seen = item.values["first_seen"]
        for source_index, url in item.listings:
            listings_out.append(
                listing_rows.line(
                    {
                        "source_id": source_ids[source_index],
                        "position_id": position_id,
                        "url": url,
                        "source_item_id": f"{source_index}-{position_id}",
                        "content_hash": f"{position_id:064x}",
                        "fetched_at": now,
                        "first_seen": seen,
                        "last_seen": item.values["last_seen"],
                    }
                )
            )
    return "".join(positions_out), "".join(listings_out), "".join(topics_out), len(position_ids)


def _copy_loader(
    work: queue.Queue[tuple[str, str, str, int] | None],
    errors: list[BaseException],
    position_rows: CopyRows,
    listing_rows: CopyRows,
) -> None:
    """A loader thread: COPY each batch from `work` in, until it reads None."""
    position_columns = ", ".join(position_rows.columns)
    selected = ", ".join(f"s.{c}" for c in position_rows.columns)
    document = search_document_sql("s")
    # Its own connection: Django connections are per thread.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")
            cursor.execute(
                "CREATE TEMP TABLE bench_stage AS SELECT * FROM positions_position WITH NO DATA"
            )
            cursor.execute("ALTER TABLE bench_stage DROP COLUMN search_vector")
            raw = cursor.cursor
            while True:
                item = work.get()
                if item is None:
                    break
                positions_text, listings_text, topics_text, _size = item
                raw.copy_expert(
                    "COPY positions_position_topics (position_id, topic_id) FROM STDIN",
                    io.StringIO(topics_text),
                )
                raw.copy_expert(
                    f"COPY bench_stage ({position_columns}) FROM STDIN",
                    io.StringIO(positions_text),
                )
                cursor.execute(
                    # Column names from the model's _meta, nothing from outside.
                    f"INSERT INTO positions_position ({position_columns}, search_vector)"  # noqa: S608
                    f" SELECT {selected}, {document} FROM bench_stage s"
                )
                cursor.execute("TRUNCATE bench_stage")
                raw.copy_expert(
                    f"COPY positions_listing ({', '.join(listing_rows.columns)}) FROM STDIN",
                    io.StringIO(listings_text),
                )
            cursor.execute("DROP TABLE bench_stage")
            cursor.execute("SET session_replication_role = DEFAULT")
    except BaseException as error:  # re-raised in the main thread
        errors.append(error)
        while work.get() is not None:
            pass
    finally:
        connection.close()


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:200]
