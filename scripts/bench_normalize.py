#!/usr/bin/env python
"""How many adverts the normaliser handles per second on one core.

    .venv/bin/python scripts/bench_normalize.py [DIR ...] [--rounds N]

The corpus is every page in the given folders (default: ../shared/adverts beside the
repository, the project's own tests/fixtures/pages and demo/recorded). Pages are parsed once
by their adapters; the timed loop runs only `scrapers.normalize.normalize` over the raw
records, in this one process (so the figure is per core). The full extract path (adapter +
normaliser) is timed too, for comparison. One-off start-up costs (loading the city table,
compiling patterns) are paid in a warm-up round that is not timed; the institution
registry's build time and the resident memory it adds to the process are printed first
(issue 20: at most 150 MB more per worker), and the slowest single page's extract time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scrapers import get_adapter  # noqa: E402
from scrapers.adapters import detect_adapter  # noqa: E402
from scrapers.extract import extract_records, page_from_text  # noqa: E402
from scrapers.normalize import normalize  # noqa: E402
from scrapers.records import RawRecord  # noqa: E402

_SUFFIXES = {".md", ".html", ".htm", ".txt", ".xml", ".json", ".markdown"}


def default_folders() -> list[Path]:
    folders = [ROOT / "tests" / "fixtures" / "pages", ROOT / "demo" / "recorded"]
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "adverts").is_dir():
            folders.insert(0, base / "shared" / "adverts")
            break
    return [folder for folder in folders if folder.is_dir()]


def pages(folders: list[Path]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in _SUFFIXES:
                continue
            if path.suffix == ".json" and (
                path.with_suffix(".md").exists()
                or path.with_suffix(".html").exists()
                or path.name == "index.json"
            ):
                continue  # labels and recorded-page indexes, not pages
            found.append(
                (path.resolve().as_uri(), path.read_text(encoding="utf-8", errors="replace"))
            )
    return found


def raw_records(corpus: list[tuple[str, str]]) -> list[RawRecord]:
    records: list[RawRecord] = []
    for url, text in corpus:
        page = page_from_text(text, url)
        try:
            records.extend(get_adapter(detect_adapter(page)).parse(page, None).records)
        except Exception as error:
            print(f"skipped {url}: {error}", file=sys.stderr)
    return records


def _rss_mb() -> float:
    """This process's resident memory (Linux /proc), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def registry_cost() -> tuple[float, float, int]:
    """(seconds to build the institution index, MB of memory it added, rows)."""
    from scrapers.normalize.registry import registry

    before = _rss_mb()
    start = time.perf_counter()
    rows = len(registry().rows)
    return time.perf_counter() - start, _rss_mb() - before, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="adverts normalised per second per core")
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    folders = args.folders or default_folders()
    seconds, megabytes, rows = registry_cost()
    print(
        f"institution registry: {rows} rows built in {seconds:.1f} s, "
        f"+{megabytes:.0f} MB resident memory"
    )
    corpus = pages(folders)
    records = raw_records(corpus)
    if not records:
        parser.error("no adverts found")
    for raw in records:  # warm-up: city table, compiled patterns
        normalize(raw)
    start = time.process_time()
    for _ in range(args.rounds):
        for raw in records:
            normalize(raw)
    normalise_seconds = time.process_time() - start
    start = time.process_time()
    extracted = 0
    slowest = (0.0, "")
    for url, text in corpus:
        page_start = time.process_time()
        try:
            extracted += len(extract_records(text, url))
        except Exception:  # noqa: S112 - counted as skipped above
            continue
        slowest = max(slowest, (time.process_time() - page_start, url))
    extract_seconds = time.process_time() - start
    rate = args.rounds * len(records) / normalise_seconds
    print(
        f"corpus: {len(corpus)} pages, {len(records)} adverts from {', '.join(str(f) for f in folders)}"
    )
    print(
        f"normalize(): {rate:.0f} adverts per second per core "
        f"({args.rounds} rounds, {1000 * normalise_seconds / (args.rounds * len(records)):.1f} ms per advert, CPU time)"
    )
    print(
        f"extract_records() (adapter + normaliser): {extracted / extract_seconds:.0f} adverts per second per core"
        f" ({1000 * extract_seconds / max(extracted, 1):.1f} ms per advert; slowest page "
        f"{1000 * slowest[0]:.0f} ms: {slowest[1].rsplit('/', 1)[-1]})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
