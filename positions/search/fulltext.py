"""Full-text search: the search document, the query language and the field's synonyms.

The document is a stored, weighted tsvector (Position.search_vector, GIN-indexed):
title (A) > topics and the source's keywords (B) > institution, department, city (C) >
description and supervisors (D), all with the English configuration (stemming).
`search_document_sql()` is its one definition: positions.services refreshes the column
with it on every upsert, and the synthetic generator (generate_positions) uses it too.

Queries go through `websearch_to_tsquery`, which accepts any text (quotes, `or`, `-word`)
and never raises a syntax error; synonyms are applied to the parsed query with
`ts_rewrite`, so "ML" also finds "machine learning" whatever else the query says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery

SEARCH_CONFIG = "english"
# Descriptions beyond this are not indexed: the opening of an advert says what it is about,
# and to_tsvector's cost grows with the text.
MAX_DESCRIPTION_CHARS = 20_000

# The longest query text we look at: enough for any real search, and it bounds the cost
# of parsing and of trigram matching on hostile input.
MAX_QUERY_CHARS = 200

# (abbreviation, phrase, both_ways). One-way entries expand the abbreviation only: "CV"
# in a query also finds "computer vision", but "computer vision" must not find every
# advert that asks for a CV.
SYNONYMS: tuple[tuple[str, str, bool], ...] = (
    ("ml", "machine learning", True),
    ("ai", "artificial intelligence", True),
    ("nlp", "natural language processing", True),
    ("rl", "reinforcement learning", True),
    ("ot", "optimal transport", False),
    ("cv", "computer vision", False),
    ("hci", "human computer interaction", True),
    ("hpc", "high performance computing", True),
    ("qc", "quantum computing", False),
    ("llm", "large language model", True),
    ("gnn", "graph neural network", True),
    ("pde", "partial differential equation", True),
)

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[a-z0-9]+")


def clean_query_text(raw: str | None) -> str:
    """What we search for: printable text, bounded, whitespace collapsed ("" for none)."""
    if not raw:
        return ""
    text = _CONTROL_CHARACTERS.sub(" ", unicodedata.normalize("NFC", str(raw)))
    return " ".join(text[: MAX_QUERY_CHARS * 4].split())[:MAX_QUERY_CHARS].strip()


def synonym_rewrites(query_text: str) -> list[tuple[str, str, list[str]]]:
    """(target SQL, substitute SQL, params) for ts_rewrite, only for synonyms the text uses.

    Phrases are stemmed by Postgres itself (phraseto_tsquery/plainto_tsquery with the same
    configuration), so they match what websearch_to_tsquery makes of the user's words.
    """
    words = set(_WORD.findall(query_text.lower()))
    config = f"'{SEARCH_CONFIG}'::regconfig"
    rewrites: list[tuple[str, str, list[str]]] = []
    for abbreviation, phrase, both_ways in SYNONYMS:
        if abbreviation in words:
            rewrites.append(
                (
                    "%s::tsquery",
                    f"(%s::tsquery || phraseto_tsquery({config}, %s))",
                    [abbreviation, abbreviation, phrase],
                )
            )
        if both_ways and set(phrase.split()) <= words:
            rewrites.append(
                (
                    f"plainto_tsquery({config}, %s)",
                    f"(plainto_tsquery({config}, %s) || %s::tsquery)",
                    [phrase, phrase, abbreviation],
                )
            )
    return rewrites


class ExpandedSearchQuery(SearchQuery):
    """websearch_to_tsquery(text), with the field's synonyms rewritten into it."""

    def __init__(self, value: str, *, rewrites: Sequence[tuple[str, str, list[str]]] = ()) -> None:
        super().__init__(value, search_type="websearch", config=SEARCH_CONFIG)
        self.rewrites = list(rewrites)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        sql, params = super().as_sql(compiler, connection, *args, **kwargs)
        all_params = list(params)
        for target, substitute, rewrite_params in self.rewrites:
            sql = f"ts_rewrite({sql}, {target}, {substitute})"
            all_params += rewrite_params
        return sql, all_params


def build_search_query(query_text: str) -> ExpandedSearchQuery:
    return ExpandedSearchQuery(query_text, rewrites=synonym_rewrites(query_text))


def search_document_sql(alias: str = "p") -> str:
    """The SQL expression of a position's search document, over table alias `alias`.

    Topics contribute their own name and their parent's, so a search for the parent
    field ("mathematics") finds positions tagged with one of its children.
    """
    config = f"'{SEARCH_CONFIG}'::regconfig"
    return f"""(
        setweight(to_tsvector({config}, coalesce({alias}.title, '')), 'A')
        || setweight(to_tsvector({config}, coalesce((
            SELECT string_agg(concat_ws(' ', t.name, parent.name), ' ')
            FROM positions_position_topics pt
            JOIN positions_topic t ON t.id = pt.topic_id
            LEFT JOIN positions_topic parent ON parent.id = t.parent_id
            WHERE pt.position_id = {alias}.id
        ), '') || ' ' || array_to_string({alias}.tags, ' ')), 'B')
        || setweight(to_tsvector({config}, concat_ws(' ', {alias}.institution_name,
            {alias}.department, {alias}.city)), 'C')
        || setweight(to_tsvector({config},
            left(coalesce({alias}.description_text, ''), {MAX_DESCRIPTION_CHARS})
            || ' ' || array_to_string({alias}.supervisors, ' ')), 'D')
    )"""  # noqa: S608
