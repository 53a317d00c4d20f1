"""The topic taxonomy in the database, loaded from positions/data/taxonomy.json.

The same file drives the normaliser's topic mapping (scrapers.normalize.topics), which stays
pure; this module writes it into Topic rows so that positions can point at topics and the
UI can offer them as facets. Loading is idempotent: rows are matched by slug and updated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from positions.models import Topic

TAXONOMY_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"


class TaxonomyError(ValueError):
    pass


@dataclass
class TaxonomyLoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TaxonomyError(f"cannot read the taxonomy {path}: {error}") from error
    fields = data.get("fields") if isinstance(data, dict) else None
    if not isinstance(fields, list):
        raise TaxonomyError(f"{path} has no list of 'fields'")
    return fields


def _save(
    result: TaxonomyLoadResult,
    *,
    slug: str,
    name: str,
    code: str,
    keywords: list[str],
    parent: Topic | None,
) -> Topic:
    values = {"name": name, "code": code, "keywords": keywords, "parent": parent}
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        topic = Topic(slug=slug, **values)
        topic.full_clean()
        topic.save()
        result.created += 1
        return topic
    if any(getattr(topic, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(topic, key, value)
        topic.full_clean()
        topic.save()
        result.updated += 1
    else:
        result.unchanged += 1
    return topic


@transaction.atomic
def taxonomy_load(*, path: Path = TAXONOMY_PATH) -> TaxonomyLoadResult:
    """Create or update one Topic per field and sub-field of the taxonomy file."""
    result = TaxonomyLoadResult()
    for field in _read(path):
        try:
            parent = _save(
                result,
                slug=str(field["slug"]),
                name=str(field["name"]),
                code=str(field.get("code", "")),
                keywords=[str(k) for k in field.get("keywords", [])],
                parent=None,
            )
            for child in field.get("children", []):
                _save(
                    result,
                    slug=str(child["slug"]),
                    name=str(child["name"]),
                    code=str(child.get("code", "")),
                    keywords=[str(k) for k in child.get("keywords", [])],
                    parent=parent,
                )
        except KeyError as error:
            raise TaxonomyError(f"a field in {path} lacks {error}") from error
    return result
