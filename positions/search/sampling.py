"""Bounded counting: the probe, the facets' sample, relevance's candidate pool and the
scaling of sampled counts (models.SAMPLE_LEVELS; docs/web.md)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.db.models import ExpressionWrapper, F, IntegerField, Q, SmallIntegerField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import LessThan

from ..models import SAMPLE_BUCKETS, SAMPLE_LEVELS

# Relevance is ranked over at most settings.SEARCH_RELEVANCE_CANDIDATES matches (500):
# beyond that ts_rank costs more than any reader gains (issue 7). The rest of a huge result
# set is not ranked. The probe sample is the buckets below settings.SEARCH_PROBE_BUCKETS (4:
# 1/256 of the positions), which estimate how many match; a sample level, so an index of
# its own serves it. Both are settings so that tests can make a small table sample.


def _checked_total(
    estimate: int,
    shown: int,
    *,
    page: int,
    per_page: int,
    sort: str,
    page_sampled: bool,
) -> tuple[int, bool]:
    """A sampled total checked against the page: (total, still an estimate?).

    The sample is sized by how many match the text, so a narrow filter on a broad text can
    leave few or none of its matches in the sample ("about 0") while the page, found
    without the sample, lists them. A short page is the last one: the total is then
    exact. Otherwise the total is at least what the pages up to this one hold."""
    seen = (page - 1) * per_page + shown
    if page_sampled:
        return estimate, True
    last_page = shown < per_page and (shown > 0 or page == 1)
    # Relevance ranks at most SEARCH_RELEVANCE_CANDIDATES matches: its last page ends there.
    capped = sort == "relevance" and seen >= settings.SEARCH_RELEVANCE_CANDIDATES
    if last_page and not capped:
        return seen, False
    return max(estimate, seen), True


def relevance_sample_bound(matches: int | None) -> int | None:
    """For relevance over about `matches` positions, the sample_bucket bound giving a
    little more than SEARCH_RELEVANCE_CANDIDATES of them (then capped at exactly that many,
    so every relevance page up to the last is full); None: rank them all."""
    wanted = settings.SEARCH_RELEVANCE_CANDIDATES * 1.25
    if not matches or matches <= wanted:
        return None
    buckets = math.ceil(SAMPLE_BUCKETS * wanted / matches)
    return buckets if buckets < SAMPLE_BUCKETS else None


def _in_buckets_below(buckets: int) -> list[Any]:
    """Conditions for the positions in the buckets below `buckets`, read through the index
    of the smallest sample level that holds them (models.SAMPLE_LEVELS). `sample_bucket <
    level` names that index; the exact bound is then tested on the rows it yields, written
    so no index can take it: Postgres would otherwise prefer the range of bucket entries
    in position_open_search_gin (5-8 ms for "machine learning" at 1M, against 0.5 ms)."""
    unindexed = ExpressionWrapper(F("sample_bucket") + 0, output_field=IntegerField())
    level = next((level for level in SAMPLE_LEVELS if level >= buckets), None)
    if level is None:
        # More than the largest level: the bound is tested on the rows the full-text index
        # yields for the text alone. As a range inside position_open_search_gin it read
        # the entries of every bucket below it: 3.9 ms of a 9.3 ms page for "deep learning"
        # at 100k (~1,100 matches, 607 in the range), against 0.25 ms for all the matches.
        return [LessThan(unindexed, buckets)]
    # Typed as the GIN indexes need: a search that includes closed positions reads the
    # level's range inside position_search_gin instead.
    return [Q(sample_bucket__lt=_bucket_bound(level)), LessThan(unindexed, buckets)]


def _bucket_bound(buckets: int) -> Cast:
    """A bound on sample_bucket typed smallint, as the GIN (btree_gin) operator class needs."""
    return Cast(Value(buckets), SmallIntegerField())


def sample_bound(probe_count: int) -> int | None:
    """How many buckets to count over for a search whose probe sample held `probe_count`
    matches: None (all of them: exact counts) when about SEARCH_EXACT_COUNTS_UP_TO or fewer
    match, else a bound giving a sample of between half that many and that many: the
    largest sample level (models.SAMPLE_LEVELS) at or below the bound for exactly that
    many, whose own full-text index then holds the sample. (Beyond ~256 x the limit, a
    bound below the smallest level, never an empty one: the sample can then exceed it.)"""
    limit = settings.SEARCH_EXACT_COUNTS_UP_TO
    estimate = probe_count * SAMPLE_BUCKETS / settings.SEARCH_PROBE_BUCKETS
    if estimate <= limit:
        return None
    exact = SAMPLE_BUCKETS * limit / estimate
    levels = [level for level in SAMPLE_LEVELS if level <= exact]
    return levels[-1] if levels else max(1, math.floor(exact))


def scaled_count(count: int | None, scale: float) -> int:
    """A count in a sample, scaled to the whole and rounded to two significant digits."""
    if not count:
        return 0
    estimate = count * scale
    digits = max(0, math.floor(math.log10(estimate)) - 1)
    return max(1, int(round(estimate, -digits)))
