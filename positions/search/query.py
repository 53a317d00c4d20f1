"""The positions a search's visibility and text select, and when typos are forgiven."""

from __future__ import annotations

from django.db.models import QuerySet

from ..filters import PositionFilter
from ..models import Position

# Below this many full-text matches, trigram similarity joins in (typo tolerance).
FEW_TEXT_MATCHES = 5
MAX_SIMILAR_INSTITUTIONS = 50


def is_plain_words(text: str) -> bool:
    """Typo tolerance is for plain words: a phrase, `or` or `-word` asks for exactness."""
    lowered = f" {text.lower()} "
    return '"' not in text and " or " not in lowered and " -" not in lowered


def _matching(
    filterset: PositionFilter,
    similar_institutions: list[int] | None = None,
    corrected_text: str | None = None,
) -> QuerySet[Position]:
    """The positions the search's visibility and text select (its facet filters aside);
    with `similar_institutions` and `corrected_text`, typo-tolerantly
    (filters.PositionFilter.text_condition)."""
    base = Position.objects.filter(filterset.base_condition())
    text_condition = filterset.text_condition(
        similar_institutions=similar_institutions, corrected_text=corrected_text
    )
    return base if text_condition is None else base.filter(text_condition)
