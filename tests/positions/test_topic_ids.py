"""positions_position.topic_ids (what the topic facet counts) follows the topic links and
the taxonomy through database triggers, whatever writes them (migration 0008)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from positions.models import Listing, Position
from tests.factories import PositionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def topic_ids(position: Position) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT topic_ids FROM positions_position WHERE id = %s", [position.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def tree():
    science = TopicFactory(name="Science")
    physics = TopicFactory(name="Physics", parent=science)
    optics = TopicFactory(name="Optics", parent=science)
    arts = TopicFactory(name="Arts")
    return science, physics, optics, arts


def test_topic_ids_hold_each_topic_and_its_parent_once(tree):
    science, physics, optics, arts = tree
    position = PositionFactory(topics=[physics, optics])

    assert topic_ids(position) == sorted([science.pk, physics.pk, optics.pk])

    position.topics.add(arts)
    assert topic_ids(position) == sorted([science.pk, physics.pk, optics.pk, arts.pk])

    position.topics.remove(physics, optics)
    assert topic_ids(position) == [arts.pk]

    position.topics.clear()
    assert topic_ids(position) == []


def test_a_save_of_a_stale_instance_keeps_them(tree):
    _science, physics, _optics, _arts = tree
    position = PositionFactory()
    stale = Position.objects.get(pk=position.pk)
    position.topics.set([physics])

    stale.title = "Renamed"
    stale.save()

    assert physics.pk in topic_ids(position)


def test_moving_a_topic_moves_its_positions_ids_and_renaming_changes_nothing(tree):
    science, physics, _optics, arts = tree
    position = PositionFactory(topics=[physics])

    physics.parent = arts
    physics.save()
    assert topic_ids(position) == sorted([arts.pk, physics.pk])

    physics.name = "Physics and astronomy"
    physics.save()
    assert topic_ids(position) == sorted([arts.pk, physics.pk])
    assert science.pk not in topic_ids(position)


@pytest.mark.django_db(transaction=True)
def test_generated_positions_carry_the_ids_the_triggers_would_give():
    call_command("load_taxonomy", verbosity=0)

    call_command("generate_positions", "300", "--clear", "--seed", "3", stdout=io.StringIO())

    assert Position.objects.count() == 300
    assert Listing.objects.count() >= 300
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE topic_ids <> positions_topic_ids(id)),"
            " count(*) FILTER (WHERE cardinality(topic_ids) = 0),"
            " count(*) FILTER (WHERE search_vector IS NULL),"
            " count(*) FILTER (WHERE sample_bucket <> (hashint8(id) & 1023))"
            " FROM positions_position"
        )
        assert cursor.fetchone() == (0, 0, 0, 0)


def test_topic_ids_stay_in_the_row_for_the_facet_counts():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'positions_position'::regclass AND attname = 'topic_ids'"
        )
        assert cursor.fetchone()[0] == "m"
