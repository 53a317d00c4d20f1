#!/usr/bin/env python
"""The benchmark suite (issue 7): the site under load at 10k, 100k and 1M positions.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/phd_bench REDIS_URL=redis://127.0.0.1:6379/6
    .venv/bin/python bench/run.py --sizes 10000,100000 [--duration 10] [--concurrency 1,4,8]

For each size it fills the database (`manage.py generate_positions N --clear`; skipped when
the database already holds N positions and --reuse-data is given), runs collectstatic, starts
gunicorn as deployed (`gunicorn config.wsgi:application`, DEBUG off, sync workers, 2 x cores
by default) on 127.0.0.1, and drives it with its own load generator: one thread per client,
each with its own connection, closed-loop (a client sends its next request when the previous
answer is read), for a fixed time per scenario. It measures

  1. search with full text, the facet panels and the total (API and page), over a query mix
     from rare to very common terms, at 1, 4 and 8 clients;
  2. the landing page and facet-only filters (no text);
  3. the detail page;
  4. /bench/noop, a Django view that does nothing, in the same server and run: the ceiling
     every other figure is divided by;
  5. ingestion (bench/ingest.py): adverts normalised per second per core, positions upserted
     per second, an unchanged re-scrape of 10k listings with the table write counters;
  6. peak RSS (VmHWM) of the web workers, and of a Celery worker during a replayed scrape.

It writes a Markdown report to bench/results/<date>-<size>.md (and prints it). With
--base-url the suite drives a server you started yourself (then it does not start gunicorn;
the database in DATABASE_URL must be the one that server reads).

The load generator shares the 2 cores with the server, Postgres and Redis, as the issue's
targets demand; its own cost shows in the noop ceiling.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import signal
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any

# Run as a script: bench/ is on sys.path.
from load import LoadResult, drive, fetch_json, fetch_status
from run_report import COLD_SCENARIOS, FACET_MIX, QUERY_MIX, TEXT_AND_FACETS, ms, render_report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"


# --- the server ------------------------------------------------------------------------------
def bench_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/phd_bench")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-" + "x" * 50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_CONN_MAX_AGE": env.get("DATABASE_CONN_MAX_AGE", "600"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def manage(*args: str, env: dict[str, str], check: bool = True) -> str:
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and completed.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout + completed.stderr


class Server:
    """gunicorn as deployed, on 127.0.0.1:port; stopped by its own pid."""

    def __init__(
        self,
        *,
        port: int,
        workers: int | None,
        threads: int | None,
        worker_class: str | None,
        env: dict[str, str],
    ):
        self.port = port
        self.env = dict(env)
        # gunicorn.conf.py (read by gunicorn from the working directory) holds the deployed
        # values; the options override them through the same environment variables.
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            self.env["GUNICORN_THREADS"] = str(threads)
        if worker_class:
            self.env["GUNICORN_WORKER_CLASS"] = worker_class
        self.process: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "bench" / "results" / f"gunicorn-{port}.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def describe(self) -> str:
        values: dict[str, Any] = {}
        conf = ROOT / "gunicorn.conf.py"
        if conf.exists():
            saved = dict(os.environ)
            os.environ.update(self.env)
            try:
                exec(compile(conf.read_text(), str(conf), "exec"), values)  # noqa: S102
            finally:
                os.environ.clear()
                os.environ.update(saved)
        workers = values.get("workers", self.env.get("WEB_CONCURRENCY", "1"))
        worker_class = values.get("worker_class", "sync")
        threads = values.get("threads", 1)
        keepalive = values.get("keepalive", 2)
        return (
            f"gunicorn config.wsgi:application, {workers} {worker_class} workers"
            + (f" x {threads} threads" if worker_class == "gthread" else "")
            + f", keep-alive {keepalive} s, DEBUG off"
        )

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log)
        for _ in range(120):
            try:
                if fetch_status(self.base_url, "/healthz") == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited: see {self.log}")
            time.sleep(0.25)
        raise SystemExit("gunicorn did not answer /healthz")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        return children_of(self.process.pid)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the process's peak resident set size, kept by the kernel."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- the machine -------------------------------------------------------------------------------
def machine(env: dict[str, str]) -> dict[str, str]:
    cpu_model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    postgres = sql_scalar(env, "SELECT version()") or "unknown"
    # Each setting as the server runs it, in its own units (setting || unit would print
    # 16384 x 8kB as "163848kB"), marked where it is not the built-in default
    # (postgresql.conf, ALTER SYSTEM...): the figures depend on shared_buffers.
    settings = sql_scalar(
        env,
        "SELECT string_agg(name || '=' || current_setting(name)"
        " || CASE WHEN setting = boot_val THEN '' ELSE ' (' || source || ')' END,"
        " ', ' ORDER BY name)"
        " FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'jit',"
        " 'max_parallel_workers_per_gather', 'effective_cache_size', 'random_page_cost')",
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cores": str(os.cpu_count()),
        "ram": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "cpu": cpu_model,
        "postgres": postgres.split(" on ")[0],
        "postgres settings": (settings or "")
        + " (the app's connections set jit=off and work_mem=32MB)",
        "python": platform.python_version(),
        "load average at start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "commit": commit,
    }


# A fixed English text for the Postgres half of the speed reference: ~250 words, as an advert.
_REFERENCE_TEXT = " ".join(
    ["The successful candidate will develop new methods for the analysis of large datasets"] * 18
)


def speed_reference(env: dict[str, str]) -> str:
    """This machine's speed now, on two fixed workloads: the CPU time of a pure Python loop
    and Postgres' time to stem 1,000 advert-sized texts (the work behind every search
    document). A shared VM's speed drifts, by up to 2x within an hour here: figures of two
    runs compare only with these beside them (or with each run's noop ceiling)."""
    started = time.process_time()
    total = 0
    for number in range(3_000_000):
        total += number * number
    python_ms = (time.process_time() - started) * 1000
    import psycopg2

    postgres = "unknown"
    try:
        connection = psycopg2.connect(env["DATABASE_URL"])
    except psycopg2.Error:
        connection = None
    if connection is not None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(to_tsvector('english',"
                    " %s || g)) FROM generate_series(1, 1000) AS g",
                    [_REFERENCE_TEXT],
                )
                plan = cursor.fetchone()[0]  # psycopg2 reads the JSON
            postgres = f"{plan[0]['Execution Time']:.0f} ms"
        finally:
            connection.close()
    return f"Python loop {python_ms:.0f} ms, Postgres stemming {postgres}"


def sql_scalar(env: dict[str, str], sql: str) -> str | None:
    import psycopg2

    try:
        connection = psycopg2.connect(env["DATABASE_URL"])
    except psycopg2.Error:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone()
            return None if row is None else str(row[0])
    finally:
        connection.close()


# --- scenarios ------------------------------------------------------------------------------------
def quote_query(text: str) -> str:
    return urllib.parse.urlencode({"q": text})


def discover(base_url: str) -> dict[str, Any]:
    """Match counts of the query mix and a sample of detail pages, through the API itself."""
    try:
        total = int(fetch_json(base_url, "/api/positions/?per_page=1").get("count") or 0)
    except (RuntimeError, OSError, ValueError) as error:
        print(f"  (no search API to discover with: {error})", flush=True)
        return {"counts": {}, "details": [], "visible": 0}
    counts: dict[str, int] = {}
    for text in QUERY_MIX:
        data = fetch_json(base_url, f"/api/positions/?{quote_query(text)}&per_page=1")
        counts[text] = int(data.get("count") or 0)
    details: list[str] = []
    rng = random.Random(7)
    pages = max(1, min(total // 100, 50))
    for page in rng.sample(range(1, pages + 1), min(pages, 5)):
        data = fetch_json(base_url, f"/api/positions/?per_page=100&page={page}&sort=newest")
        for item in data.get("results", []):
            url = item.get("detail_url") or f"/positions/{item['id']}/"
            details.append(urllib.parse.urlsplit(url).path)
    rng.shuffle(details)
    return {"counts": counts, "details": details[:300], "visible": total}


def scenarios(found: dict[str, Any]) -> list[tuple[str, list[str]]]:
    search_queries = [quote_query(text) for text in QUERY_MIX]
    return [
        ("noop", ["/bench/noop"]),
        ("search API (text + facets + total)", [f"/api/positions/?{q}" for q in search_queries]),
        ("search page (text + facets + total)", [f"/?{q}" for q in search_queries]),
        ("search page, text and facets", [f"/?{q}" for q in TEXT_AND_FACETS]),
        ("landing page", ["/"]),
        ("landing API", ["/api/positions/"]),
        ("facet-only filters, page", [f"/?{q}" for q in FACET_MIX]),
        ("facet-only filters, API", [f"/api/positions/?{q}" for q in FACET_MIX]),
        ("detail page", found["details"] or ["/positions/1/"]),
    ]


# --- the report ------------------------------------------------------------------------------------


# --- ingestion and the scrape (separate scripts, separate processes) ------------------------------
def run_json_script(
    script: str, args: list[str], env: dict[str, str], timeout: int
) -> dict[str, Any]:
    completed = subprocess.run(
        [PYTHON, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        return {
            "error": completed.stderr.strip().splitlines()[-1] if completed.stderr else "failed"
        }
    try:
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": "no JSON result: " + completed.stdout[-300:]}


# --- main ----------------------------------------------------------------------------------------
def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000", help="comma-separated position counts")
    parser.add_argument("--concurrency", default="1,4,8")
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds per scenario and client count"
    )
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--workers", type=int, help="default: gunicorn.conf.py (2 x cores)")
    parser.add_argument("--threads", type=int, help="default: gunicorn.conf.py")
    parser.add_argument("--worker-class", help="sync or gthread; default: gunicorn.conf.py")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--base-url", help="drive this running server instead of starting gunicorn")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse-data", action="store_true", help="keep the data if the count matches"
    )
    parser.add_argument("--no-generate", action="store_true", help="use the database as it is")
    parser.add_argument("--only", default="", help="comma-separated scenario name prefixes")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-scrape", action="store_true")
    parser.add_argument("--ingest-count", type=int, default=10_000)
    parser.add_argument("--scrape-pages", type=int, default=10_000)
    parser.add_argument(
        "--ingest-json", help="use the JSON line a separate bench/ingest.py run printed"
    )
    parser.add_argument(
        "--scrape-json", help="use the JSON line a separate bench/scrape_memory.py run printed"
    )
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the second pass with the search cache off"
    )
    parser.add_argument("--out", default=str(RESULTS))
    return parser.parse_args()


def main() -> None:
    options = _options()
    env = bench_environment()
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    client_counts = [int(n) for n in options.concurrency.split(",") if n.strip()]
    out_dir = Path(options.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    info = machine(env)

    for size in sizes:
        started_at = speed_reference(env)
        print(f"==> speed reference: {started_at}", flush=True)
        generation = _generate(size, options, env)
        results, memory, found, server_description = _web_passes(size, options, env, client_counts)
        ingest = _ingest_and_scrape(options, env, memory)
        ended_at = speed_reference(env)
        print(f"==> speed reference: {ended_at}", flush=True)
        report, _verdicts = render_report(
            size=size,
            info={
                **info,
                "speed reference at start (lower is faster)": started_at,
                "speed reference at end": ended_at,
            },
            options=options,
            results=results,
            found=found,
            ingest=ingest,
            memory=memory,
            generation=generation,
            server_description=server_description,
        )
        target = out_dir / f"{dt.datetime.now(dt.UTC):%Y-%m-%d}-{size}.md"
        target.write_text(report)
        print(report)
        print(f"==> wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def _generate(size: int, options: argparse.Namespace, env: dict[str, str]) -> str:
    """Fill the database with `size` positions (unless told not to); the generator's summary."""
    generation = ""
    if not options.no_generate:
        current = int(sql_scalar(env, "SELECT count(*) FROM positions_position") or -1)
        if options.reuse_data and current == size:
            generation = f"reused the existing {size:,} positions"
        else:
            print(f"==> generating {size:,} positions", flush=True)
            generation = manage(
                "generate_positions", str(size), "--clear", "--seed", str(options.seed), env=env
            )
            generation = "\n".join(
                line
                for line in generation.splitlines()
                if "rows/s" in line or "Rebuilt" in line or "VACUUM" in line
            )
            print(generation, flush=True)
    return generation


def _web_passes(
    size: int, options: argparse.Namespace, env: dict[str, str], client_counts: list[int]
) -> tuple[list[LoadResult], dict[str, Any], dict[str, Any], str]:
    """Every web scenario, as deployed and then with the search cache off."""
    results: list[LoadResult] = []
    memory: dict[str, Any] = {}
    server_description = ""
    found: dict[str, Any] = {}
    # Pass 1 as deployed (search cache on); pass 2 with SEARCH_CACHE=0, so every search
    # computes its counts and page: the cost of a query nobody asked before.
    passes: list[tuple[str, dict[str, str], set[str] | None]] = [("", {}, None)]
    if not options.base_url and not options.no_cold:
        passes.append((" [cache off]", {"SEARCH_CACHE": "0"}, COLD_SCENARIOS))
    for suffix, overrides, wanted in passes:
        server: Server | None = None
        if options.base_url:
            base_url = options.base_url.rstrip("/")
            server_description = f"external server at {base_url}"
        else:
            manage("collectstatic", "--no-input", "-v0", env=env)
            server = Server(
                port=options.port,
                workers=options.workers,
                threads=options.threads,
                worker_class=options.worker_class,
                env={**env, **overrides},
            )
            server.start()
            base_url = server.base_url
            server_description = server_description or server.describe()
        try:
            if not found:
                print(f"==> discovering the query mix at {size:,}", flush=True)
                found = discover(base_url)
            _run_scenarios(base_url, found, options, client_counts, suffix, wanted, results)
            if server:
                peaks = [peak_rss_mb(pid) for pid in server.worker_pids()]
                peaks = [p for p in peaks if p is not None]
                if peaks:
                    key = "web worker peak RSS (max over workers)"
                    memory[key] = max(memory.get(key, 0), round(max(peaks)))
        finally:
            if server:
                server.stop()
    return results, memory, found, server_description


def _run_scenarios(
    base_url: str,
    found: dict[str, Any],
    options: argparse.Namespace,
    client_counts: list[int],
    suffix: str,
    wanted: set[str] | None,
    results: list[LoadResult],
) -> None:
    for name, paths in scenarios(found):
        if wanted is not None and name not in wanted:
            continue
        if options.only and not any(name.startswith(p.strip()) for p in options.only.split(",")):
            continue
        name += suffix
        # Warm each path once: worker imports and first connections are not
        # what we measure (with the cache on, this also fills it).
        for path in paths[:300]:
            fetch_status(base_url, path)
        for clients in client_counts:
            result = drive(
                base_url,
                paths,
                scenario=name,
                clients=clients,
                seconds=options.duration,
                max_requests=options.max_requests,
            )
            results.append(result)
            print(
                f"  {name:48s} {clients} clients: {result.rps:8.0f} req/s"
                f"  p50 {ms(result.percentile(0.5))}  p95 {ms(result.percentile(0.95))}"
                f"  p99 {ms(result.percentile(0.99))} ms  errors {result.errors}",
                flush=True,
            )
            if result.failures:
                print("   first failure:", result.failures[0], flush=True)


def _ingest_and_scrape(
    options: argparse.Namespace, env: dict[str, str], memory: dict[str, Any]
) -> dict[str, Any] | None:
    """The ingestion figures (bench/ingest.py); the scrape's memory goes into `memory`."""
    ingest = None
    if options.ingest_json:
        ingest = json.loads(Path(options.ingest_json).read_text().strip().splitlines()[-1])
    elif not options.skip_ingest:
        print("==> ingestion", flush=True)
        ingest = run_json_script(
            "ingest.py", ["--count", str(options.ingest_count)], env, timeout=3600
        )
        print("  ", ingest, flush=True)
    if options.scrape_json:
        memory.update(json.loads(Path(options.scrape_json).read_text().strip().splitlines()[-1]))
    elif not options.skip_scrape:
        print("==> replayed scrape (Celery worker memory)", flush=True)
        scrape = run_json_script(
            "scrape_memory.py", ["--pages", str(options.scrape_pages)], env, timeout=3600
        )
        print("  ", scrape, flush=True)
        memory.update(scrape)
    return ingest


if __name__ == "__main__":
    main()
