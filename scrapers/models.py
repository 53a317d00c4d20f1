"""The institution registry in Postgres: what `manage.py load_institutions` writes.

The normaliser reads the same rows from its in-memory index (scrapers.normalize.registry), so
extraction stays pure; this table is for the admin, the API and SQL (trigram search by name,
lookup by domain).
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class RegistryInstitution(models.Model):
    """One row of the institution registry (not the institutions positions link to:
    positions.Institution holds those)."""

    name = models.CharField(max_length=200)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    city = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    source = models.CharField(
        max_length=20, help_text="'table' (curated) or 'swot' (the academic-domain list)"
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["domains"], name="registry_domains_gin"),
            GinIndex(fields=["name"], name="registry_name_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name
