"""A page of results loads its positions' topics and listings in its own query (issue 7):
what the relations return must be what prefetch_related gave, and the facet panels built
in Python must escape what they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Prefetch

from positions.models import Listing, Position, Topic
from positions.selectors import position_get, position_search
from tests.factories import (
    InstitutionFactory,
    ListingFactory,
    PositionFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.search_cache_off  # counts the queries of computing a page
def test_a_page_holds_the_same_topics_and_listings_as_prefetch_related(
    django_assert_num_queries,
):
    physics = TopicFactory(name="Physics", slug="physics")
    biology = TopicFactory(name="Biology", slug="biology")
    optics = TopicFactory(name="Optics", slug="optics", parent=physics)
    genetics = TopicFactory(name="Genetics", slug="genetics", parent=biology)
    position = PositionFactory(
        title="Quantum optics studentship",
        topics=[optics, genetics, physics],
        institution=InstitutionFactory(name="University of Lund"),
        search=True,
    )
    zulu, alpha, middle = (SourceFactory(name=name) for name in ("Zulu", "Alpha", "Middle"))
    seen = dt.datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=dt.UTC)
    for source in (zulu, alpha):
        ListingFactory(position=position, source=source, last_seen=seen, first_seen=seen)
    ListingFactory(position=position, source=middle, state=Listing.State.GONE)
    ListingFactory(position=position, source=alpha, state=Listing.State.MISSING)

    with django_assert_num_queries(3):
        result = position_search({})
        (found,) = result.positions
        topics = [(t.name, t.slug, t.parent.name if t.parent else None) for t in found.topics.all()]
        listings = [
            (item.pk, item.source.name, item.url, item.state, item.first_seen, item.last_seen)
            for item in found.listings.all()
        ]
        institution = found.institution.name

    # What Django's own prefetch_related gives for the relations as the pages use them.
    expected = (
        Position.objects.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.select_related("parent")),
            Prefetch(
                "listings",
                queryset=Listing.objects.active()
                .select_related("source")
                .order_by("source__name", "id"),
            ),
        )
        .select_related("institution")
        .get(pk=position.pk)
    )
    assert topics == [
        (t.name, t.slug, t.parent.name if t.parent else None) for t in expected.topics.all()
    ]
    # Topic.Meta.ordering: by parent name (fields, without one, last), then name.
    assert [name for name, _slug, _parent in topics] == ["Genetics", "Optics", "Physics"]
    assert listings == [
        (item.pk, item.source.name, item.url, item.state, item.first_seen, item.last_seen)
        for item in expected.listings.all()
    ]
    assert [name for _pk, name, *_rest in listings] == ["Alpha", "Alpha", "Zulu"]
    assert listings[-1][5] == seen  # timestamps keep their microseconds and zone
    assert institution == "University of Lund"
    assert found.listings.count() == 3

    # The detail page loads one position the same way, with its description, in one query.
    with django_assert_num_queries(1):
        detail = position_get(position_id=position.pk)
        assert detail is not None
        assert [t.name for t in detail.topics.all()] == ["Genetics", "Optics", "Physics"]
        assert [(item.pk, item.source.name) for item in detail.listings.all()] == [
            (pk, name) for pk, name, *_rest in listings
        ]
        assert detail.description_text == position.description_text
        assert detail.institution.name == "University of Lund"


def test_a_position_without_topics_or_listings_loads_empty_relations():
    PositionFactory(title="Lonely studentship", search=True)

    (found,) = position_search({"q": "lonely"}).positions

    assert list(found.topics.all()) == []
    assert list(found.listings.all()) == []


def test_refining_a_loaded_relation_queries_that_relation_only(django_assert_num_queries):
    mine, other = TopicFactory(slug="mine"), TopicFactory(slug="other")
    position = PositionFactory(title="Refined studentship", topics=[mine], search=True)
    PositionFactory(topics=[other])
    source = SourceFactory(name="Board")
    ListingFactory(position=position, source=source)
    ListingFactory(source=source)  # another position's

    (found,) = position_search({"q": "refined"}).positions

    with django_assert_num_queries(0):
        assert found.topics.first() == mine
        assert found.listings.count() == 1
    with django_assert_num_queries(3):
        assert list(found.topics.filter(slug__in=["mine", "other"])) == [mine]
        assert list(found.topics.exclude(slug="mine")) == []
        assert [item.position_id for item in found.listings.order_by("id")] == [position.pk]


def test_the_facet_panels_escape_institution_names_and_keep_their_markup(client):
    PositionFactory(
        institution_name='<script>alert("x")</script> & Sons',
        institution=InstitutionFactory(name='<script>alert("x")</script> & Sons'),
        funding=Position.Funding.FULL,
        topics=[TopicFactory(name="Fish & <b>Chips</b>", slug="fish-chips")],
    )

    body = client.get("/?funding=full").content.decode()

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons" in body
    assert "Fish &amp; &lt;b&gt;Chips&lt;/b&gt;" in body
    assert (
        '<input type="checkbox" id="f-funding-1" name="funding" value="full" checked>'
        '<label for="f-funding-1">Fully funded</label>'
        '<span class="count" data-count="1">1</span>'
    ) in body
    assert '<input type="checkbox" id="f-topic-fish-chips" name="topic" value="fish-chips">' in body
