"""A small, varied catalogue of positions shared by the web tests."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from positions.models import Position
from tests.factories import (
    InstitutionFactory,
    ListingFactory,
    PositionFactory,
    SourceFactory,
    TopicFactory,
    refresh_search,
)


@pytest.fixture
def taxonomy(db):
    mathematics = TopicFactory(name="Mathematics", slug="mathematics")
    computing = TopicFactory(name="Computer and information sciences", slug="computing")
    return {
        "mathematics": mathematics,
        "computing": computing,
        "probability": TopicFactory(name="Probability", slug="probability", parent=mathematics),
        "analysis": TopicFactory(name="Analysis", slug="analysis", parent=mathematics),
        "machine-learning": TopicFactory(
            name="Machine learning", slug="machine-learning", parent=computing
        ),
    }


@pytest.fixture
def catalogue(db, taxonomy):
    """About sixty positions whose attributes vary independently (seeded, reproducible)."""
    rng = random.Random(20260109)
    today = timezone.localdate()
    institutions = [
        InstitutionFactory(name="University of Edinburgh", country="GB"),
        InstitutionFactory(name="ETH Zurich", country="CH"),
        InstitutionFactory(name="Sorbonne Universite", country="FR"),
        InstitutionFactory(name="KU Leuven", country="BE"),
    ]
    sources = [SourceFactory(name="FindAPhD"), SourceFactory(name="EURAXESS")]
    topic_choices = [
        [taxonomy["probability"]],
        [taxonomy["analysis"]],
        [taxonomy["probability"], taxonomy["analysis"]],
        [taxonomy["machine-learning"]],
        [taxonomy["machine-learning"], taxonomy["probability"]],
        [taxonomy["mathematics"]],
        [taxonomy["mathematics"], taxonomy["analysis"]],
        [],
    ]
    positions = []
    # The kinds-of-post facts (issue 22) from a generator of their own, so the other
    # attributes are what they were before these facets existed.
    kinds = random.Random(22)
    places = {
        "GB": [("Edinburgh", "GB-SCT"), ("Glasgow", "GB-SCT"), ("London", "GB-ENG")],
        "CH": [("Zurich", "CH-ZH"), ("Basel", "CH-BS")],
        "FR": [("Paris", "FR-IDF"), ("Lyon", "FR-ARA")],
        "BE": [("Leuven", "BE-VLG"), ("Brussels", "BE-BRU")],
    }
    for number in range(60):
        kind = rng.choice(["fixed", "fixed", "fixed", "rolling", "unknown"])
        institution = rng.choice(institutions)
        position = PositionFactory(
            title=f"Studentship {number}",
            institution=institution,
            country=institution.country,
            deadline_kind=kind,
            deadline=today
            + dt.timedelta(days=rng.choice([-5, 0, 3, 7, 8, 20, 30, 31, 60, 90, 91, 200]))
            if kind == "fixed"
            else None,
            start_date=rng.choice([None, today + dt.timedelta(days=rng.randrange(0, 400))]),
            funding=rng.choice(["full", "full", "partial", "self", "unknown"]),
            contract=rng.choice(["stipend", "employment", "unknown"]),
            # Who may apply; the factory makes them the funded-for groups when funded.
            open_to=rng.choice(
                [[], ["home"], ["home", "eu"], ["international"], ["home", "eu", "international"]]
            ),
            status=rng.choice(["open"] * 9 + ["closed"]),
            moderation=rng.choice(["published"] * 9 + ["pending"]),
            topics=rng.choice(topic_choices),
        )
        city, region = kinds.choice([("", None), *places[institution.country]])
        Position.objects.filter(pk=position.pk).update(
            city=city,
            region=region,
            schedule=kinds.choice([None, "full_time", "full_time", "part_time", "either"]),
            programme=kinds.choice([None, "programme", "project", "project"]),
            researcher_level=kinds.choice([None, "r1", "r1", "r2", "r3"]),
            stipend_eur_year=kinds.choice([None, 12_000, 18_500, 25_000, 31_000, 42_000, 61_000]),
        )
        ListingFactory(position=position, source=sources[number % 2])
        positions.append(position)
    refresh_search(positions)
    return positions


def visible_sql() -> str:
    """Independent statement of "what visitors see" (open, published, deadline not past)."""
    return (
        "p.moderation = 'published' AND p.status = 'open' "
        "AND NOT (p.deadline_kind = 'fixed' AND p.deadline < current_date)"
    )


__all__ = ["Position", "visible_sql"]
