"""Where one new search's time goes, in process: each SQL statement's time and the total.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phd_bench \\
        .venv/bin/python bench/profile_search.py "q=engineering" "q=zebrafish" ""

Runs the search API's view function (`positions.api._search_answer`) with the search cache
off, once to warm up and then `--repeat` times per query string, and prints the mean time
of each statement it ran and of the whole answer (the rest is Python). One search at a
time: the cost of a search, not the server's throughput (that is bench/run.py).

`--mix` searches bench/run.py's query mix (rare to very common words) instead, and ends with
the sum over the mix of each search's SQL and of its whole answer: the figure to compare
two states of the same database back to back (say, before and after merging the GIN
indexes' pending lists), which this VM's drift makes hard under load.

`--paging` runs with the search cache on (Redis at REDIS_URL) and times each search of the
mix (or of the given query strings) as someone paging through it asks for it: page 1 (a new
search), then page 2 right after, `--repeat` rounds. Each round first moves the database's
data version, which makes every cached search of that database stale (nothing is deleted).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="*", default=["q=engineering", "q=zebrafish", ""])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--mix", action="store_true", help="search bench/run.py's query mix")
    parser.add_argument(
        "--paging", action="store_true", help="cache on: page 1 of each search, then page 2"
    )
    options = parser.parse_args()
    os.environ["SEARCH_CACHE"] = "1" if options.paging else "0"
    queries = options.queries
    if options.mix:
        from urllib.parse import urlencode

        from run import QUERY_MIX  # bench/run.py, beside this script

        queries = [urlencode({"q": text}) for text in QUERY_MIX]

    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory

    from positions.api import _search_answer

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    if options.paging:
        paging(queries, options.repeat, factory)
        return
    timings: list[tuple[float, str]] = []

    def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, " ".join(sql.split())[:80]))

    mix_sql = mix_total = 0.0
    with connection.execute_wrapper(timed):
        for query in queries:
            _search_answer(factory.get(f"/api/positions/?{query}"))  # warm up
            statements: dict[int, list[Any]] = {}
            total = 0.0
            for _ in range(options.repeat):
                timings.clear()
                started = time.perf_counter()
                _search_answer(factory.get(f"/api/positions/?{query}"))
                total += time.perf_counter() - started
                for number, (seconds, text) in enumerate(timings):
                    statements.setdefault(number, [0.0, text])[0] += seconds
            print(f"{query or '(no parameters)'}")
            for seconds, text in statements.values():
                print(f"  {seconds / options.repeat * 1000:6.1f} ms  {text}")
            sql = sum(seconds for seconds, _text in statements.values())
            print(
                f"  {total / options.repeat * 1000:6.1f} ms  in all"
                f" ({(total - sql) / options.repeat * 1000:.1f} ms outside SQL)"
            )
            mix_sql += sql / options.repeat
            mix_total += total / options.repeat
    if len(queries) > 1:
        print(
            f"{len(queries)} searches: {mix_sql * 1000:.1f} ms of SQL,"
            f" {mix_total * 1000:.1f} ms in all"
        )


def paging(queries: list[str], repeat: int, factory: Any) -> None:
    """Page 1 of each search, then its page 2, with the search cache on, each round after
    moving the data version (so page 1 is a new search)."""
    from django.conf import settings

    from positions.api import _search_answer
    from positions.cache import bump_data_version

    settings.SEARCH_CACHE_STALE_SECONDS = 0  # a stale answer is never served meanwhile
    settings.DATA_VERSION_SECONDS = 0  # the moved version is read at once
    first = second = 0.0
    for _ in range(repeat):
        bump_data_version()
        for query in queries:
            started = time.perf_counter()
            _search_answer(factory.get(f"/api/positions/?{query}"))
            middle = time.perf_counter()
            _search_answer(factory.get(f"/api/positions/?{query}&page=2"))
            first += middle - started
            second += time.perf_counter() - middle
    count = repeat * len(queries)
    print(
        f"{len(queries)} searches x {repeat}: page 1 (new) {first / count * 1000:.1f} ms,"
        f" page 2 right after {second / count * 1000:.1f} ms on average"
    )


if __name__ == "__main__":
    main()
