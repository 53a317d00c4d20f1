#!/usr/bin/env python
"""Peak memory of a Celery worker during a replayed scrape of N pages (issue 7, item 6):

    .venv/bin/python bench/scrape_memory.py --pages 10000

Builds the recorded site with bench/make_replay.py (once; kept under var/), registers a source
for it, starts a real Celery worker (`celery -A config worker --concurrency 1`) with
SCRAPER_REPLAY_DIR pointing at the folder (the fetch layer then serves every request from
disk, never the network), sends `scrapers.tasks.scrape_source`, waits for the ScrapeRun to
finish, and reads the kernel's peak RSS (VmHWM) of the worker's processes. The source and
the positions it created are deleted at the end. Prints one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from make_replay import build  # noqa: E402

from positions.models import Position  # noqa: E402
from scrapers.models import ScrapeRun, Source  # noqa: E402

SOURCE_NAME = "Benchmark replayed board"


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def status_kb(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--folder", default="")
    parser.add_argument("--timeout", type=float, default=3000)
    options = parser.parse_args()
    folder = Path(options.folder or ROOT / "var" / f"bench-replay-{options.pages}")
    manifest_file = folder / "manifest.json"
    if (
        manifest_file.exists()
        and json.loads(manifest_file.read_text()).get("pages") == options.pages
    ):
        manifest = json.loads(manifest_file.read_text())
    else:
        manifest = build(options.pages, folder, seed=3)

    Source.objects.filter(name=SOURCE_NAME).delete()
    source = Source.objects.create(
        name=SOURCE_NAME,
        start_url=manifest["start_url"],
        adapter=manifest["adapter"],
        options=manifest["options"],
        enabled=False,
        min_delay_seconds=0,
        max_pages=options.pages + 10,
    )
    worker = _start_worker(folder)
    try:
        result = _watch(worker, source, options.timeout)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        Position.objects.filter(listings__source=source).delete()
        source.delete()
    print(json.dumps(result))


def _start_worker(folder: Path) -> subprocess.Popen[bytes]:
    """A Celery worker (one process) that fetches from the recorded pages in `folder`."""
    env = dict(os.environ)
    env.update(
        {
            "SCRAPER_REPLAY_DIR": str(folder),
            "SCRAPER_MIN_HOST_DELAY": "0",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
        }
    )
    log = (ROOT / "var" / "bench-celery.log").open("ab")
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--hostname",
            f"bench-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    return worker


def _watch(worker: subprocess.Popen[bytes], source: Source, timeout: float) -> dict[str, Any]:
    """Send the scrape to the worker, sample its memory until the run ends, say the peaks."""
    result: dict[str, Any] = {}
    time.sleep(3)
    from config.celery import app

    started = time.perf_counter()
    app.send_task("scrapers.tasks.scrape_source", args=[source.pk, "command"])
    peak_rss: dict[int, int] = {}
    run = None
    while time.perf_counter() - started < timeout:
        for pid in [worker.pid, *children_of(worker.pid)]:
            rss = status_kb(pid, "VmRSS")
            if rss:
                peak_rss[pid] = max(peak_rss.get(pid, 0), rss)
        run = ScrapeRun.objects.filter(source=source).order_by("-id").first()
        if run is not None and run.finished_at is not None:
            break
        if worker.poll() is not None:
            raise SystemExit("the Celery worker exited; see var/bench-celery.log")
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    high_water = {
        pid: status_kb(pid, "VmHWM") or 0 for pid in [worker.pid, *children_of(worker.pid)]
    }
    hwm = max(high_water.values(), default=0)
    result["celery worker peak RSS (max over processes)"] = round(
        max(hwm, *peak_rss.values(), 0) / 1024
    )
    result["celery processes VmHWM MB"] = json.dumps(
        {str(pid): round(kb / 1024) for pid, kb in high_water.items()}
    )
    if run is not None:
        result["replayed scrape"] = (
            f"{run.status}: {run.pages_fetched} pages, {run.created} created, "
            f"{run.failed} failed in {elapsed:.0f} s"
        )
    return result


if __name__ == "__main__":
    main()
