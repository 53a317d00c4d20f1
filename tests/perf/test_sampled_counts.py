"""Above SEARCH_EXACT_COUNTS_UP_TO matches the total and the facet counts come from a uniform
sample (Position.sample_bucket below a bound) scaled up; they are exact below it. Checked
against independent SQL over the same sample, and the sample itself for uniformity."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.db import connection
from django.utils import timezone

from positions.filters import DEFAULT_PER_PAGE, PositionFilter
from positions.models import SAMPLE_BUCKETS, SAMPLE_LEVELS, Position
from positions.selectors import (
    position_search,
    relevance_sample_bound,
    sample_bound,
    scaled_count,
)
from tests.web.test_facet_counts import (
    FACET_SQL,
    OWN_GROUP,
    expected_counts,
    expected_total,
    flatten,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sampled(settings):
    """Sample above 10 matches; the probe sees every bucket, so the bound is predictable."""
    settings.SEARCH_EXACT_COUNTS_UP_TO = 10
    settings.SEARCH_CACHE = False
    settings.SEARCH_PROBE_BUCKETS = SAMPLE_BUCKETS


@pytest.mark.parametrize(
    "filters",
    [{}, {"funding": ["full"]}, {"topic": ["mathematics"], "country": ["GB", "FR"]}],
    ids=lambda filters: "&".join(filters) or "none",
)
def test_counts_above_the_limit_are_the_samples_scaled(catalogue, sampled, filters):
    matches = expected_total({})  # the probe counts the text's matches, before any facet
    buckets = sample_bound(matches)
    assert buckets is not None and 0 < buckets < SAMPLE_BUCKETS
    in_sample = f"p.sample_bucket < {buckets}"
    scale = SAMPLE_BUCKETS / buckets

    result = position_search(filters)

    assert result.estimated
    # The total is the sample's, unless the page (never sampled) proves more: a full page
    # raises it to what the page holds; a short one, the last, makes it exact.
    exact = expected_total(filters)
    short_page = exact < DEFAULT_PER_PAGE
    if short_page:
        assert (result.total, result.total_estimated) == (exact, False)
    else:
        sampled_total = scaled_count(expected_total(filters, extra=in_sample), scale)
        assert result.total == max(sampled_total, DEFAULT_PER_PAGE)
        assert result.total_estimated
    for facet in FACET_SQL:
        expected = {
            value: scaled_count(count, scale)
            for value, count in expected_counts(facet, filters, extra=in_sample).items()
        }
        if short_page:
            # Every match is on the page: a facet without a filter of its own counts them
            # exactly, and so do a filtered facet's selected options.
            own_filter = OWN_GROUP[facet] in filters
            if own_filter:
                exactly = expected_counts(facet, filters)
                for value in filters[facet]:
                    expected.pop(value, None)
                    if exactly.get(value):
                        expected[value] = exactly[value]
            else:
                expected = expected_counts(facet, filters)
        assert flatten(result.facets[facet]) == expected, facet


def test_at_or_below_the_limit_every_count_is_exact(catalogue, settings):
    settings.SEARCH_PROBE_BUCKETS = SAMPLE_BUCKETS
    settings.SEARCH_EXACT_COUNTS_UP_TO = expected_total({})
    settings.SEARCH_CACHE = False

    result = position_search({"funding": ["full"]})

    assert not result.estimated
    assert result.total == expected_total({"funding": ["full"]})


def test_the_page_and_the_api_say_the_counts_are_estimates(client, catalogue, sampled):
    page = client.get("/").content.decode()
    estimated = client.get("/api/positions/")
    exact = client.get("/api/positions/?q=Studentship+7")

    assert "About " in page and "≈" in page and 'id="estimated-counts"' in page
    assert estimated["X-Count-Estimated"] == "true"
    assert exact["X-Count-Estimated"] == "false"
    assert set(estimated.json()) == {"count", "next", "previous", "results", "facets"}


def test_the_estimate_header_survives_the_page_cache(client, catalogue, sampled, settings):
    settings.SEARCH_CACHE = True

    first = client.get("/api/positions/?funding=full")
    again = client.get("/api/positions/?funding=full")

    assert first["X-Count-Estimated"] == again["X-Count-Estimated"] == "true"
    assert again.json() == first.json()


def test_the_bound_is_a_sample_level_giving_half_the_limit_to_the_limit(settings):
    settings.SEARCH_EXACT_COUNTS_UP_TO = 5000
    probe = settings.SEARCH_PROBE_BUCKETS / SAMPLE_BUCKETS

    assert sample_bound(int(5000 * probe)) is None  # about the limit: exact
    for matches in (5_200, 9_000, 20_000, 100_000, 1_000_000):
        buckets = sample_bound(round(matches * probe))
        # A level, so its own index holds the sample (position_open_search_lt<level>).
        assert buckets in SAMPLE_LEVELS
        assert 2_500 <= matches * buckets / SAMPLE_BUCKETS <= 5_000, matches
    # Beyond the smallest level's reach, a bound below it, never an empty one.
    assert sample_bound(round(10_000_000 * probe)) == 1


def test_scaled_counts_are_rounded_to_two_significant_digits():
    assert scaled_count(0, 16.0) == 0
    assert scaled_count(3, 16.0) == 48
    assert scaled_count(1234, 10.0) == 12_000
    assert scaled_count(1, 0.4) == 1  # a value seen in the sample never shows as zero


def test_sample_buckets_are_uniform_over_consecutive_ids():
    """The bucket is a hash of the id: any bound takes its share of 200,000 consecutive ids
    (ids are handed out consecutively), within 5 %."""
    with connection.cursor() as cursor:
        for bound in (1, 8, 64, 512):
            cursor.execute(
                "SELECT count(*) FROM generate_series(1, 200000) AS i"
                " WHERE (hashint8(i) & %s) < %s",
                [SAMPLE_BUCKETS - 1, bound],
            )
            share = cursor.fetchone()[0] / 200_000
            assert math.isclose(share, bound / SAMPLE_BUCKETS, rel_tol=0.05), bound


def test_a_positions_bucket_is_the_hash_of_its_id(catalogue):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM positions_position WHERE sample_bucket <> (hashint8(id) & %s)",
            [SAMPLE_BUCKETS - 1],
        )
        assert cursor.fetchone()[0] == 0
    assert Position.objects.filter(sample_bucket__gte=SAMPLE_BUCKETS).count() == 0


def test_relevance_ranks_a_uniform_sample_of_a_broad_searchs_matches(catalogue, sampled, settings):
    settings.SEARCH_RELEVANCE_CANDIDATES = 5

    result = position_search({"q": "Studentship", "sort": "relevance"})

    assert result.estimated and result.total > 5
    bound = relevance_sample_bound(result.total)
    assert bound is not None and bound < SAMPLE_BUCKETS
    found = Position.objects.filter(pk__in=[position.pk for position in result.positions])
    assert result.positions
    assert all(position.sample_bucket < bound for position in found)
    # A little more than 5 are sampled (usually), then capped at 5: the pages hold
    # min(sample, 5) distinct positions, one each, and nothing beyond.
    in_pool = expected_total({}, extra=f"p.sample_bucket < {bound}")
    pages = [
        position_search({"q": "Studentship", "sort": "relevance", "per_page": 1, "page": n})
        for n in range(1, 7)
    ]
    shown = [page.positions[0].pk for page in pages if page.positions]
    assert len(shown) == len(set(shown)) == min(in_pool, 5)
    assert [len(page.positions) for page in pages] == [1] * len(shown) + [0] * (6 - len(shown))


def _outside_the_sample(count: int) -> list[int]:
    """Ids of `count` positions the sample of the unfiltered search leaves out, moved to a
    country no other position has: a filter on it finds nothing in the sample."""
    bound = sample_bound(expected_total({}))
    outside = list(
        Position.objects.filter(PositionFilter({}).base_condition(), sample_bucket__gte=bound)
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert len(outside) >= count
    Position.objects.filter(country="IS").update(country="GB")
    Position.objects.filter(id__in=outside[:count]).update(country="IS")
    return outside[:count]


def test_a_narrow_filter_on_a_broad_sample_is_counted_by_its_page(client, catalogue, sampled):
    """The sample is sized by the text's matches: a filter few of them pass can leave none
    in the sample ("about 0"). The page, found without it, lists them; a short page is the
    last, so its length is the total."""
    (rare,) = _outside_the_sample(1)

    result = position_search({"country": ["IS"]})
    page = client.get("/?country=IS").content.decode()

    assert [position.pk for position in result.positions] == [rare]
    assert (result.total, result.total_estimated) == (1, False)
    assert "1 position" in page and "About" not in page.split('id="results-count"')[1][:200]
    # The page holds every match, so what it holds is counted exactly: the selected
    # country, and every facet without a filter of its own.
    (iceland,) = [option for option in result.facets["country"] if option.value == "IS"]
    assert (iceland.count, iceland.estimated, iceland.selected) == (1, False, True)
    funding = Position.objects.get(pk=rare).funding
    assert [(o.value, o.count, o.estimated) for o in result.facets["funding"]] == [
        (funding, 1, False)
    ]
    # The other countries are counted as if the country filter were not there: a sample
    # of all the matches, still estimates.
    others = [option for option in result.facets["country"] if option.value != "IS"]
    assert others and all(option.estimated for option in others)
    assert result.estimated
    iceland_html = page.split('value="IS"')[1][:300]
    assert 'data-count="1">1<' in iceland_html  # no "≈" before an exact count


def test_a_full_page_raises_a_low_estimate_to_what_the_pages_hold(catalogue, sampled):
    _outside_the_sample(12)

    second = position_search({"country": ["IS"], "per_page": 5, "page": 2})
    last = position_search({"country": ["IS"], "per_page": 5, "page": 3})

    assert (second.total, second.total_estimated) == (10, True)  # the sample held none
    assert (last.total, last.total_estimated) == (12, False)


def test_a_short_page_counts_the_selected_options_of_every_filter_exactly(catalogue, sampled):
    """Funding, deadline window and country all filtered; the page holds the one match. Each
    selected option counts it; a deadline window wider than the match's is selected too."""
    (rare,) = _outside_the_sample(1)
    position = Position.objects.get(pk=rare)
    Position.objects.filter(pk=rare).update(
        deadline=timezone.localdate() + dt.timedelta(days=20), deadline_kind="fixed"
    )
    filters = {"country": ["IS"], "funding": [position.funding], "deadline_within": "30"}

    result = position_search(filters)

    assert (result.total, result.total_estimated) == (1, False)
    selected = {
        (name, option.value): (option.count, option.estimated)
        for name, options in result.facets.items()
        for option in options
        if option.selected
    }
    assert selected == {
        ("country", "IS"): (1, False),
        ("funding", position.funding): (1, False),
        ("deadline_within", "30"): (1, False),
    }
    # Unfiltered facets count the one match, exactly.
    assert [(o.value, o.count, o.estimated) for o in result.facets["contract"]] == [
        (position.contract, 1, False)
    ]


def test_a_short_last_page_of_a_broad_search_keeps_its_sampled_counts(catalogue, sampled, settings):
    """Exact counts only up to SEARCH_EXACT_COUNTS_UP_TO: the last page of many matches
    makes the total exact but does not count them all."""
    total = expected_total({})
    per_page = next(n for n in (7, 8, 9, 11, 13) if total % n)  # a short last page
    last = math.ceil(total / per_page)
    assert total > settings.SEARCH_EXACT_COUNTS_UP_TO

    result = position_search({"per_page": per_page, "page": last})

    assert (result.total, result.total_estimated) == (total, False)
    assert result.estimated
    assert all(option.estimated for option in result.facets["funding"])
