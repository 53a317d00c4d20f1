#!/usr/bin/env python
"""E-mail alert digests at scale (issue 21):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/phd_alerts_bench
    .venv/bin/python bench/alerts.py --positions 100000 --subscriptions 100000 [--reuse-data]

It fills the database with `--positions` synthetic positions (`manage.py generate_positions`,
the same generator as the other benchmarks), makes ~2% of the open ones new since yesterday
and reopens 200 closed ones (through the database trigger, as a scrape would), and inserts
`--subscriptions` confirmed daily saved searches over `--queries` distinct searches drawn
with a Zipf-like skew (many readers share the common searches): words taken from the
generated titles, alone or with a funding, country or topic filter. A local SMTP server
(aiosmtpd, in this process) takes and counts every mail.

The digest run is `manage.py send_alerts daily` in a worker process of its own, as a Celery
worker would run it: keyset batches of ALERTS_BATCH_SIZE, one SMTP connection, each digest
claimed before it is sent. Reported: wall time, mails per second, subscriptions examined per
second, distinct searches matched, and the worker's peak RSS (VmHWM). With `--sizes` the run
is repeated at several subscription counts to show the memory stays flat. Prints one JSON
line last.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Sink:
    """Counts the mails; keeps nothing."""

    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.count += 1
            self.bytes += len(envelope.original_content or b"")
        return "250 OK"


def manage(*args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def prepare_positions(count: int, reuse: bool) -> None:
    import django

    django.setup()
    from positions.models import Position

    if reuse and Position.objects.count() >= count:
        return
    manage("migrate", "--no-input")
    manage("generate_positions", str(count), "--clear")


def make_fresh(seed: int) -> dict[str, int]:
    """~2% of the open positions first seen in the last 20 hours; 200 closed ones reopened."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE alerts_subscription, alerts_sentdigest, alerts_reminder, alerts_positionevent CASCADE"
        )
        cursor.execute("SELECT setseed(%s)", [seed / 1000])
        # The generator dates a position with a future deadline "first seen today" (a third
        # of them): pushed back before the digests' window, so only the 2% below are new.
        cursor.execute(
            """UPDATE positions_position
                  SET first_seen = now() - interval '3 days' - random() * interval '90 days'
                WHERE first_seen > now() - interval '3 days'"""
        )
        cursor.execute(
            """UPDATE positions_position SET first_seen = now() - random() * interval '20 hours'
               WHERE status = 'open' AND moderation = 'published' AND random() < 0.02"""
        )
        new = cursor.rowcount
        cursor.execute(
            """UPDATE positions_position SET status = 'open', closed_at = NULL,
                      deadline = CURRENT_DATE + 30
               WHERE id IN (SELECT id FROM positions_position WHERE status = 'closed'
                            AND moderation = 'published' ORDER BY id LIMIT 200)"""
        )
        reopened = cursor.rowcount
    return {"new": new, "reopened": reopened}


def make_queries(count: int, rng: random.Random) -> list[str]:
    from urllib.parse import urlencode

    from positions.models import Position, Topic

    titles = list(
        Position.objects.filter(status="open").order_by("?").values_list("title", flat=True)[:3000]
    )
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    countries = list(
        Position.objects.exclude(country="").values_list("country", flat=True).distinct()[:40]
    )
    topics = list(Topic.objects.values_list("slug", flat=True)[:200])
    queries: set[str] = set()
    while len(queries) < count:
        pairs: list[tuple[str, str]] = []
        roll = rng.random()
        if roll < 0.75:
            pairs.append(("q", rng.choice(words)))
        if roll > 0.5 or not pairs:
            kind = rng.choice(["funding", "country", "topic"])
            value = {
                "funding": "full",
                "country": rng.choice(countries or ["GB"]),
                "topic": rng.choice(topics or ["physics"]),
            }[kind]
            pairs.append((kind, value))
        queries.add(urlencode(pairs))
    return sorted(queries)


def make_subscriptions(count: int, queries: list[str], rng: random.Random) -> None:
    from django.db import connection

    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(queries))]
    chosen = rng.choices(queries, weights=weights, k=count)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO alerts_subscription
                (kind, email, email_hash, query, position_ids, frequency, created_at, confirmed_at)
            SELECT 'search', 'reader' || n || '@bench.example.org', md5(n::text) || md5((n + 1)::text),
                   q, '{}', 'daily', now() - interval '10 days', now() - interval '10 days'
              FROM unnest(%s::text[]) WITH ORDINALITY AS s(q, n)
            """,
            [chosen],
        )
        cursor.execute("ANALYZE alerts_subscription")


def run_worker(port: int, batch: int, profile: str = "") -> dict[str, Any]:
    env = dict(os.environ)
    env.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        ALERTS_BATCH_SIZE=str(batch),
        LOG_LEVEL="WARNING",
        SITE_URL="https://phd.example.org",
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            *(["-m", "cProfile", "-o", profile] if profile else []),
            "manage.py",
            "send_alerts",
            "daily",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak_kb = 0
    while process.poll() is None:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            peak_kb = max(peak_kb, int(found.group(1))) if found else peak_kb
        except OSError:
            pass
        time.sleep(0.2)
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"worker failed: {err[-2000:]}")
    return {
        "seconds": time.monotonic() - started,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "stats": out.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--sizes", default="", help="Subscription counts to run, e.g. 10000,100000")
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--reuse-data", action="store_true")
    parser.add_argument("--profile", default="", help="Write the worker's cProfile stats here")
    args = parser.parse_args()
    from aiosmtpd.controller import Controller

    prepare_positions(args.positions, args.reuse_data)
    rng = random.Random(args.seed)
    sink = Sink()
    sock_port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sock_port)
    controller.start()
    results = []
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s] or [args.subscriptions]
        for size in sizes:
            fresh = make_fresh(args.seed)
            queries = make_queries(args.queries, rng)
            make_subscriptions(size, queries, rng)
            before = sink.count
            run = run_worker(sock_port, args.batch, args.profile)
            mails = sink.count - before
            result = {
                "positions": args.positions,
                "subscriptions": size,
                "distinct_searches": len(queries),
                "fresh": fresh,
                "mails": mails,
                "seconds": round(run["seconds"], 1),
                "mails_per_second": round(mails / run["seconds"], 1),
                "subscriptions_per_second": round(size / run["seconds"], 1),
                "worker_peak_rss_mb": run["peak_rss_mb"],
                "mean_mail_kb": round(sink.bytes / max(1, sink.count) / 1024, 1),
                "worker": run["stats"][-400:],
            }
            print(json.dumps(result), flush=True)
            results.append(result)
    finally:
        controller.stop()
    print(json.dumps({"alerts_bench": results}))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
