"""Give generated positions the kinds-of-post facts (issue 22) so their facets can be timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/phd_bench .venv/bin/python bench/kind_facts.py

`manage.py generate_positions` does not state them; this fills them in one UPDATE from a
hash of each id (reproducible): working time (60 % full-time, 15 % part-time, 10 % either,
the rest not stated), programme or project (20 % / 55 %), researcher level (70 % R1, 10 %
R2, 5 % R3), a region of the position's country where its city is one of a few dozen
known ones, and the stipend in euros a year for positions with a yearly or monthly
amount (at a flat rate per currency: the figure is about counting, not money). Then
ANALYZE, as after a scrape.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SQL = """
UPDATE positions_position p SET
  schedule = CASE WHEN h < 60 THEN 'full_time' WHEN h < 75 THEN 'part_time'
                  WHEN h < 85 THEN 'either' END,
  programme = CASE WHEN (h * 7) % 100 < 20 THEN 'programme'
                   WHEN (h * 7) % 100 < 75 THEN 'project' END,
  researcher_level = CASE WHEN (h * 13) % 100 < 70 THEN 'r1' WHEN (h * 13) % 100 < 80 THEN 'r2'
                          WHEN (h * 13) % 100 < 85 THEN 'r3' END,
  region = CASE WHEN p.city <> '' AND p.country <> ''
                THEN p.country || '-' || chr(65 + (h * 17) % 8) || chr(65 + (h * 19) % 3) END,
  stipend_eur_year = CASE
      WHEN p.stipend_amount IS NULL THEN NULL
      WHEN p.stipend_period = 'month' THEN (p.stipend_amount * 12 /
           CASE p.stipend_currency WHEN 'GBP' THEN 0.85 WHEN 'USD' THEN 1.1
                WHEN 'SEK' THEN 11 WHEN 'CHF' THEN 0.93 ELSE 1 END)::int
      ELSE (p.stipend_amount /
           CASE p.stipend_currency WHEN 'GBP' THEN 0.85 WHEN 'USD' THEN 1.1
                WHEN 'SEK' THEN 11 WHEN 'CHF' THEN 0.93 ELSE 1 END)::int END
FROM (SELECT id, abs(hashint8(id)) % 100 AS h FROM positions_position) AS x
WHERE x.id = p.id
"""


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SQL)
        updated = cursor.rowcount
        cursor.execute(
            "UPDATE positions_position SET stipend_eur_year = NULL"
            " WHERE stipend_eur_year NOT BETWEEN 1000 AND 500000"
        )
        cursor.execute(
            "VACUUM ANALYZE positions_position"
            if connection.in_atomic_block is False
            else "ANALYZE positions_position"
        )
    print(f"{updated} positions given kinds-of-post facts in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
