#!/usr/bin/env python
"""Ingestion benchmarks (issue 7, item 5), run by bench/run.py or on their own:

    .venv/bin/python bench/ingest.py --count 10000

  * adverts normalised per second per core: `scrapers.normalize.normalize` over synthetic raw
    adverts (labelled fields + 150-400 words of text + HTML), one process, rate = adverts /
    CPU seconds of this process;
  * positions upserted per second: `positions.services.position_upsert_from_record` over
    `--count` new records on a dedicated source (each a new listing and position), and
    `positions_upsert_from_records` over the same records in batches of `--batch` (a page);
    each followed, in the time measured, by the merge of the search indexes' pending
    entries the scrape task runs after a run that changed positions;
  * the batches again with `--processes` processes side by side (default one per core, as
    a Celery worker with that concurrency runs scrapes of different sources), each on a
    source of its own: positions per second of wall time for them all;
  * an unchanged re-scrape: the same records again, both ways. It must write nothing: the
    write counters of every positions_* table (pg_stat_user_tables n_tup_ins/upd/del) are
    read before and after and the difference is reported.

The dedicated sources and their positions are deleted at the end, and the tables vacuumed
(their dead rows would slow the next benchmark on this database). Prints one JSON line last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from positions.models import Institution, Listing, Position, PositionChange, Topic  # noqa: E402
from positions.synthetic import (  # noqa: E402
    InstitutionChoice,
    PositionGenerator,
    TopicChoice,
    synthetic_institutions,
)
from scrapers.models import Source  # noqa: E402
from scrapers.records import PositionRecord, RawRecord, Stipend  # noqa: E402

INGEST_SOURCE = "Benchmark ingest source"
ID_OFFSET = 900_000_000  # synthetic ids for URLs only: never collide with generated positions


def generator(seed: int) -> PositionGenerator:
    topics = [
        TopicChoice(
            t.id,
            t.name,
            t.parent.name if t.parent else t.name,
            tuple(t.keywords) or (t.name.lower(),),
        )
        for t in Topic.objects.filter(parent__isnull=False).select_related("parent").order_by("id")
    ]
    if not topics:
        raise SystemExit("no topics: run manage.py load_taxonomy or generate_positions first")
    specs = synthetic_institutions(random.Random(seed), 400)
    known = dict(
        Institution.objects.filter(name__in=[s[0] for s in specs]).values_list("name", "id")
    )
    institutions = [
        InstitutionChoice(known.get(name, index + 1), name, country, city, domain)
        for index, (name, country, city, domain) in enumerate(specs)
    ]
    return PositionGenerator(
        seed=seed,
        institutions=institutions,
        topics=topics,
        source_count=1,
        today=timezone.localdate(),
    )


def raw_advert(values: dict[str, Any]) -> RawRecord:
    """What an aggregator adapter would hand over: labelled fields and the advert's text."""
    fields = {"Institution": values["institution_name"], "Location": f"{values['city']}"}
    if values["deadline"]:
        fields["Closing date"] = values["deadline"].strftime("%d %B %Y")
    if values["stipend_text"]:
        fields["Salary"] = values["stipend_text"]
    if values["supervisors"]:
        fields["Supervisor"] = ", ".join(values["supervisors"])
    fields["Funding"] = {
        "full": "Funded PhD Project (Students Worldwide)",
        "partial": "Competition Funded PhD Project",
        "self": "Self-Funded PhD Students Only",
    }.get(values["funding"], "")
    return RawRecord(
        url=values["url"],
        title=values["title"],
        text=values["description_text"],
        html=values["description_html"],
        fields={k: v for k, v in fields.items() if v},
        adapter="aggregator",
    )


def position_record(values: dict[str, Any], topic_paths: list[str]) -> PositionRecord:
    stipend = None
    if values["stipend_amount"] is not None:
        stipend = Stipend(
            amount=float(values["stipend_amount"]),
            currency=values["stipend_currency"],
            period=values["stipend_period"],
            text=values["stipend_text"],
        )
    return PositionRecord(
        url=values["url"],
        title=values["title"],
        institution=values["institution_name"],
        department=values["department"],
        country=values["country"],
        city=values["city"],
        deadline=values["deadline"].isoformat() if values["deadline"] else None,
        deadline_kind=values["deadline_kind"],
        start_date=values["start_date"].isoformat() if values["start_date"] else None,
        duration_months=values["duration_months"],
        funding=values["funding"],
        contract=values["contract"],
        eligibility=list(values["eligibility"]),
        open_to=list(values.get("open_to") or values["eligibility"]),
        stipend=stipend,
        fees_covered=values["fees_covered"],
        supervisors=list(values["supervisors"]),
        contact_emails=list(values["contact_emails"]),
        topics=topic_paths,
        tags=list(values["tags"]),
        apply_url=values["apply_url"] or None,
        description_html=values["description_html"],
        description_text=values["description_text"],
        source_item_id=str(values["id"]),
    )


def table_writes() -> dict[str, int]:
    """n_tup_ins + n_tup_upd + n_tup_del per positions_* table, freshly flushed."""
    with connection.cursor() as cursor:
        # Statistics reach shared memory when a backend flushes them: ours, now.
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT 1")
    time.sleep(1.2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"
            " WHERE relname LIKE 'positions\\_%%'"
        )
        return dict(cursor.fetchall())


def bench_normalize(gen: PositionGenerator, seconds: float, limit: int) -> dict[str, Any]:
    from scrapers.normalize import normalize

    adverts = [raw_advert(gen.make(ID_OFFSET + n).values) for n in range(min(limit, 2000))]
    today = timezone.localdate()
    for advert in adverts[:20]:  # imports, compiled patterns, lazily loaded data
        normalize(advert, today=today)
    done = 0
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    while time.perf_counter() - wall_started < seconds and done < limit:
        normalize(adverts[done % len(adverts)], today=today)
        done += 1
    cpu = time.process_time() - cpu_started
    wall = time.perf_counter() - wall_started
    return {
        "normalised adverts/s per core": round(done / cpu, 1),
        "normalised adverts (wall rate)": f"{done} in {wall:.1f} s ({done / wall:.1f}/s)",
    }


def bench_upsert(gen: PositionGenerator, count: int, *, batch: int) -> dict[str, Any]:
    """New adverts then the same adverts again, one by one (position_upsert_from_record) and
    in batches of `batch` (positions_upsert_from_records), each on a fresh source."""
    from positions.services import (
        position_upsert_from_record,
        positions_clean_search_indexes,
        positions_upsert_from_records,
    )

    topic_paths = {
        t.id: f"{t.parent.name} > {t.name}" if t.parent else t.name
        for t in Topic.objects.select_related("parent")
    }
    records = []
    for n in range(count):
        item = gen.make(ID_OFFSET + n)
        records.append(position_record(item.values, [topic_paths[i] for i in item.topic_ids]))

    def one_by_one(source: Source) -> dict[str, int]:
        outcomes: dict[str, int] = {}
        for record in records:
            result = position_upsert_from_record(record=record, source=source)
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        return outcomes

    def batched(source: Source) -> dict[str, int]:
        outcomes: dict[str, int] = {}
        for start in range(0, len(records), batch):
            for result in positions_upsert_from_records(
                records=records[start : start + batch], source=source
            ):
                outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        return outcomes

    out: dict[str, Any] = {}
    for label, store in (("", one_by_one), (f" (batches of {batch})", batched)):
        Source.objects.filter(name=INGEST_SOURCE).delete()
        source = Source.objects.create(
            name=INGEST_SOURCE,
            start_url="https://ingest.example.org/",
            adapter="aggregator",
            enabled=False,
        )
        try:
            started = time.perf_counter()
            outcomes = store(source)
            positions_clean_search_indexes()  # as the scrape task does after its run
            elapsed = time.perf_counter() - started
            out[f"upserted positions/s{label}"] = round(count / elapsed, 1)
            out[f"upsert outcomes{label}"] = json.dumps(outcomes)
            before = table_writes()
            started = time.perf_counter()
            outcomes = store(source)
            elapsed = time.perf_counter() - started
            after = table_writes()
            changed = {name: after.get(name, 0) - before.get(name, 0) for name in after}
            out[f"unchanged re-scrape listings/s{label}"] = round(count / elapsed, 1)
            out[f"unchanged re-scrape outcomes{label}"] = json.dumps(outcomes)
            out[f"unchanged re-scrape row writes{label}"] = sum(changed.values())
            out[f"unchanged re-scrape writes by table{label}"] = json.dumps(
                {k: v for k, v in changed.items() if v}
            )
        finally:
            Position.objects.filter(listings__source=source).delete()
            source.delete()
    return out


def _upsert_share(worker: int, seed: int, count: int, batch: int, start: Any, done: Any) -> None:
    """One of bench_upsert_parallel's processes: its own source and its share of new adverts,
    stored in batches once every process is ready; reports its elapsed time."""
    from positions.services import positions_clean_search_indexes, positions_upsert_from_records

    gen = generator(seed + worker)  # adverts of their own, not copies under other URLs
    topic_paths = {
        t.id: f"{t.parent.name} > {t.name}" if t.parent else t.name
        for t in Topic.objects.select_related("parent")
    }
    offset = ID_OFFSET + (worker + 1) * 10_000_000  # URLs of their own
    records = []
    for n in range(count):
        item = gen.make(offset + n)
        records.append(position_record(item.values, [topic_paths[i] for i in item.topic_ids]))
    source = Source.objects.create(
        name=f"{INGEST_SOURCE} {worker}",
        start_url=f"https://ingest-{worker}.example.org/",
        adapter="aggregator",
        enabled=False,
    )
    start.wait()
    started = time.perf_counter()
    created = 0
    for first in range(0, len(records), batch):
        results = positions_upsert_from_records(
            records=records[first : first + batch], source=source
        )
        created += sum(result.outcome == "created" for result in results)
    positions_clean_search_indexes()  # as the scrape task does after its run
    done.put((worker, created, time.perf_counter() - started))
    connection.close()


def bench_upsert_parallel(seed: int, count: int, *, batch: int, workers: int) -> dict[str, Any]:
    """`workers` processes (as a Celery worker with that concurrency would run), each storing
    its share of `count` new adverts from its own source in batches: positions per second
    of wall time for them all, from the moment all are ready."""
    import multiprocessing

    from django.db import connections

    if workers < 2:
        return {}

    def clear() -> None:
        for n in range(workers):
            for source in Source.objects.filter(name=f"{INGEST_SOURCE} {n}"):
                Position.objects.filter(listings__source=source).delete()
                source.delete()

    clear()  # what an interrupted run left
    context = multiprocessing.get_context("fork")
    start = context.Barrier(workers + 1)
    done = context.Queue()
    connections.close_all()  # each process opens its own
    share = count // workers
    processes = [
        context.Process(target=_upsert_share, args=(n, seed, share, batch, start, done))
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        start.wait(timeout=300)
        began = time.perf_counter()
        reports = []
        while len(reports) < workers:
            try:
                reports.append(done.get(timeout=1))
            except queue.Empty:
                failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
                if failed:
                    raise SystemExit(f"an upsert process failed (exit codes {failed})") from None
        wall = time.perf_counter() - began
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
        clear()
    created = sum(report[1] for report in reports)
    return {
        f"upserted positions/s (batches of {batch}, {workers} processes)": round(created / wall, 1),
        f"upsert outcomes (batches of {batch}, {workers} processes)": json.dumps(
            {"created": created}
        ),
    }


def vacuum_positions() -> None:
    """VACUUM ANALYZE the tables the runs wrote to: each deleted its positions at the end,
    and their dead rows and index entries (30k positions with the defaults) would otherwise
    slow the searches of a benchmark run next on this database until autovacuum came by:
    at 100k, a new search took 33 ms instead of 25 ms (issue 7)."""
    tables = [
        model._meta.db_table
        for model in (Position, Position.topics.through, Listing, PositionChange, Source)
    ]
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run in a transaction
        cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--normalize-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=99)
    parser.add_argument("--batch", type=int, default=50, help="records per batched upsert")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="processes storing batches side by side (default: one per core)",
    )
    options = parser.parse_args()
    gen = generator(options.seed)
    result: dict[str, Any] = {"records": options.count, "date": dt.date.today().isoformat()}
    result.update(bench_normalize(gen, options.normalize_seconds, limit=options.count))
    try:
        result.update(bench_upsert(generator(options.seed + 1), options.count, batch=options.batch))
        result.update(
            bench_upsert_parallel(
                options.seed + 2, options.count, batch=options.batch, workers=options.processes
            )
        )
    finally:
        vacuum_positions()  # a failed run deletes what it wrote too
    print(json.dumps(result))


if __name__ == "__main__":
    main()
