"""The corpus's vocabulary, for search that forgives typos (issue 22).

`search_words_refresh()` rebuilds the SearchWord table from the published positions' titles
and text (unstemmed words, the 'simple' configuration) in one statement; it runs after
scrapes (scrapers.tasks.after_positions_changed). `corrected_query(text)` replaces each query
word the corpus does not use by the most similar word it does (pg_trgm similarity over the
table's trigram index), or returns None when nothing needs correcting.
"""

from __future__ import annotations

import re

from django.db import connection, transaction

from .reads import read_connection
from .search import MAX_DESCRIPTION_CHARS

# Words shorter than this are left as typed: too many words are like "pde" or "ai".
MIN_WORD_LENGTH = 4
MAX_WORD_LENGTH = 40
MAX_QUERY_WORDS = 6
# The least trigram similarity a correction needs ("lerning" ~ "learning" is 0.55,
# "machin" ~ "machine" 0.67; "graph" ~ "paragraph" is 0.33).
MIN_SIMILARITY = 0.45
assert MAX_DESCRIPTION_CHARS == 20_000  # the length search_words_refresh reads
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def search_words_refresh() -> int:
    """Rebuild the vocabulary from the published positions; returns how many words."""
    # ts_stat runs this (constant) statement itself; it is passed as a parameter.
    statistics = (
        "SELECT to_tsvector('simple', coalesce(title, '') || ' ' || "
        "left(coalesce(description_text, ''), 20000))"
        " FROM positions_position WHERE moderation = 'published'"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM positions_searchword")
        cursor.execute(
            "INSERT INTO positions_searchword (word, documents)"
            " SELECT word, ndoc FROM ts_stat(%s)"
            " WHERE length(word) BETWEEN %s AND %s AND word ~ '^[[:alpha:]]+$'",
            [statistics, MIN_WORD_LENGTH, MAX_WORD_LENGTH],
        )
        return int(cursor.rowcount)


_CORRECTIONS_SQL = (
    "SELECT q.word, best.word"
    " FROM unnest(%s::text[]) AS q(word)"
    " LEFT JOIN positions_searchword known ON known.word = q.word"
    " JOIN LATERAL ("
    "   SELECT w.word FROM positions_searchword w"
    "   WHERE w.word %% q.word AND similarity(w.word, q.word) >= %s"
    "   ORDER BY similarity(w.word, q.word) DESC, w.documents DESC, w.word LIMIT 1"
    " ) best ON true"
    " WHERE known.word IS NULL"
)


def _candidates(text: str) -> list[str]:
    words = _WORD.findall(text.lower())[: MAX_QUERY_WORDS * 2]
    return sorted(
        {w for w in words if MIN_WORD_LENGTH <= len(w) <= MAX_WORD_LENGTH}, key=words.index
    )[:MAX_QUERY_WORDS]


def _corrected(text: str, pairs: list[list[str]] | list[tuple[str, str]]) -> str | None:
    replacements = {word: best for word, best in pairs if best and best != word}
    if not replacements:
        return None
    return _WORD.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), text)


def corrected_query(text: str) -> str | None:
    """The query with each word the corpus lacks replaced by its nearest corpus word, or
    None when every word is known (or none has a near neighbour)."""
    candidates = _candidates(text)
    if not candidates:
        return None
    with read_connection().cursor() as cursor:
        cursor.execute(_CORRECTIONS_SQL, [candidates, MIN_SIMILARITY])
        return _corrected(text, cursor.fetchall())


def typo_lookup(text: str, *, max_institutions: int) -> tuple[list[int], str | None]:
    """In one query: the institutions whose names look like the text (trigram word
    similarity, their name's index) and the text with its misspelt words corrected."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT i.id FROM positions_institution i"  # noqa: S608 (constant SQL)
            "   WHERE %s <%% i.name LIMIT %s),"
            f" ARRAY(SELECT ARRAY[c.word, c.best] FROM ({_CORRECTIONS_SQL}) AS c(word, best))",
            [text, max_institutions, _candidates(text), MIN_SIMILARITY],
        )
        institutions, pairs = cursor.fetchone()
    return list(institutions), _corrected(text, pairs or [])
