"""Writing the institution registry into Postgres (the one write path for scrapers.RegistryInstitution)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from scrapers.models import RegistryInstitution
from scrapers.normalize.registry import Registry, registry


@dataclass(frozen=True)
class LoadResult:
    table: int
    swot: int
    previous: int


@transaction.atomic
def institutions_load(*, source: Registry | None = None, batch_size: int = 2000) -> LoadResult:
    """Replace the stored registry with the in-memory one, in one transaction (a reader sees
    the old rows or the new ones, never half of each); safe to run again."""
    index = source or registry()
    previous = RegistryInstitution.objects.count()
    RegistryInstitution.objects.all().delete()
    rows = [
        RegistryInstitution(
            name=row.name[:200],
            aliases=[alias[:200] for alias in row.aliases],
            city=row.city or "",
            country=row.country or "",
            domains=[domain[:253] for domain in row.domains],
            source=row.source,
        )
        for row in index.rows
    ]
    RegistryInstitution.objects.bulk_create(rows, batch_size=batch_size)
    return LoadResult(
        table=sum(1 for row in index.rows if row.source == "table"),
        swot=sum(1 for row in index.rows if row.source == "swot"),
        previous=previous,
    )
