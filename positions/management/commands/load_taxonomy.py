"""`manage.py load_taxonomy [--path FILE]`: create or update the Topic rows from the taxonomy file.

Safe to run again: topics are matched by slug, so a second run changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from positions.taxonomy import TAXONOMY_PATH, TaxonomyError, taxonomy_load


class Command(BaseCommand):
    help = (
        "Load the two-level topic taxonomy (OECD Fields of Science > sub-fields) into Topic rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(TAXONOMY_PATH), help="taxonomy JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = taxonomy_load(path=Path(options["path"]))
        except TaxonomyError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Topics: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
