"""Every page runs a constant number of queries, however many positions it shows.

These count what computing a page costs, so they run with the search cache off; the last
test counts what a page served from the cache costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ListingFactory, PositionFactory, SourceFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.search_cache_off]

PAGES = [
    "/",
    "/?q=studentship",
    "/?funding=full&country=GB&topic=mathematics&eligibility=home&deadline_within=90",
    "/?sort=newest&include_closed=1",
    "/api/positions/?per_page=100",
    "/api/positions/?q=studentship&sort=relevance&per_page=100",
    "/feeds/positions.atom",
    "/feeds/deadlines.ics?funding=full",
    "/sitemap-positions.xml",
]


def make_positions(count: int) -> None:
    parent = TopicFactory(name="Mathematics", slug="mathematics")
    topics = [TopicFactory(name=f"Area {n}", slug=f"area-{n}", parent=parent) for n in range(3)]
    sources = [SourceFactory(name=f"Board {n}") for n in range(3)]
    for number in range(count):
        position = PositionFactory(
            title=f"Studentship {number}", topics=topics[: 1 + number % 3], search=True
        )
        for source in sources[: 1 + number % 3]:
            ListingFactory(position=position, source=source)


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", PAGES)
def test_five_and_fifty_positions_cost_the_same_queries(client, path):
    make_positions(5)
    with_five = count_queries(client, path)
    PositionFactory.create_batch(45, search=True)
    with_fifty = count_queries(client, path)

    assert with_five == with_fifty
    assert with_fifty <= 4


def test_the_search_page_runs_three_queries_with_or_without_text(client, django_assert_num_queries):
    make_positions(10)

    # The probe ("how many match, about?", with text also "does full-text search find
    # enough?"), facets + total, and the page with its topics and listings.
    with django_assert_num_queries(3):
        client.get("/?funding=full")
    with django_assert_num_queries(3):
        client.get("/?q=studentship")
    # Too few matches: + which institutions look like the text (typo tolerance).
    with django_assert_num_queries(4):
        client.get("/?q=studentshp")


def test_a_detail_page_with_many_listings_and_topics_costs_the_same_as_with_one(client):
    make_positions(1)
    from positions.models import Position

    lean = Position.objects.get()
    rich = PositionFactory(topics=list(TopicFactory._meta.model.objects.all()))
    for number in range(6):
        ListingFactory(position=rich, source=SourceFactory(name=f"Extra board {number}"))

    # The position with its institution, topics and listings, then its similar positions.
    assert count_queries(client, f"/positions/{lean.pk}/") == 2
    assert count_queries(client, f"/positions/{rich.pk}/") == 2
    # The API's answer for one position: the position alone.
    assert count_queries(client, f"/api/positions/{rich.pk}/") == 1


@pytest.mark.parametrize("path", ["/", "/?q=studentship", "/api/positions/?funding=full"])
def test_a_page_served_from_the_search_cache_costs_one_query(client, settings, path):
    settings.SEARCH_CACHE = True  # as deployed
    make_positions(5)
    first = client.get(path)

    # Only the data version is read: it has not moved, so the stored answer is served.
    assert count_queries(client, path) == 1
    assert client.get(path).content == first.content
