"""A position that is not funded is funded for nobody, in the store as in the record (issue 22).

The upsert derives "funded for" from the funding whatever a record or a second source says,
an admin's locked funding included; Postgres refuses a row that breaks the rule.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from positions.models import Position
from positions.services import position_upsert_from_record, positions_upsert_from_records
from scrapers.models import Source
from tests.factories import ListingFactory, PositionFactory, make_record

pytestmark = pytest.mark.django_db

GROUPS = st.lists(st.sampled_from(["home", "eu", "international"]), unique=True, max_size=3)


def _source(name: str = "University jobs", adapter: str = "generic") -> Source:
    return Source.objects.create(name=name, start_url="https://jobs.example.org/", adapter=adapter)


def test_a_self_funded_record_is_stored_funded_for_nobody_and_open_to_all():
    record = make_record(
        funding="self",
        eligibility=["home", "eu", "international"],
        open_to=["home", "eu", "international"],
        stipend=None,
        fees_covered="not_covered",
    )
    position = position_upsert_from_record(record=record, source=_source()).position
    position.refresh_from_db()
    assert position.eligibility == []
    assert position.open_to == ["home", "eu", "international"]
    assert position.fees_covered == "not_covered"
    assert not Position.objects.filter(eligibility__overlap=["international"]).exists()


def test_the_database_refuses_a_funded_for_group_on_a_position_that_is_not_funded():
    position = PositionFactory(funding="full", eligibility=["international"])
    for funding in ("self", "unknown"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Position.objects.filter(pk=position.pk).update(funding=funding)
    Position.objects.filter(pk=position.pk).update(funding="partial")


def test_an_admin_edit_that_funds_nobody_yet_names_groups_gets_a_clear_error():
    position = PositionFactory(funding="full", eligibility=["home"])
    position.funding = "self"
    with pytest.raises(ValidationError, match="Only a funded"):
        position.full_clean(exclude=["url", "apply_url", "institution"])


def test_a_second_source_saying_self_funded_takes_the_groups_away():
    board = _source("Board", adapter="aggregator")
    funded = make_record(funding="full", eligibility=["home", "international"])
    position = position_upsert_from_record(record=funded, source=board).position
    # The university's own page (more specific than the board) lists the same position.
    unfunded = make_record(funding="self", eligibility=[], open_to=["home"], stipend=None)
    ListingFactory(
        position=position,
        source=_source("University"),
        normalized=unfunded.to_json(with_description=True),
    )
    position_upsert_from_record(record=make_record(supervisors=["B. Person"]), source=board)
    position.refresh_from_db()
    assert position.funding == "self"
    assert position.eligibility == []  # not the board's groups, though the page names none


def test_an_admins_locked_self_funding_clears_the_groups_a_rescrape_brings():
    source = _source()
    position = position_upsert_from_record(record=make_record(), source=source).position
    Position.objects.filter(pk=position.pk).update(
        funding="self", eligibility=[], locked_fields=["funding"]
    )
    position_upsert_from_record(
        record=make_record(eligibility=["home", "eu"], supervisors=["A. Person"]), source=source
    )
    position.refresh_from_db()
    assert (position.funding, position.eligibility) == ("self", [])
    assert position.changes.filter(field="eligibility", note__contains="funded for nobody").exists()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    funding=st.sampled_from(["full", "partial", "self", "unknown"]),
    eligibility=GROUPS,
    open_to=GROUPS,
    batch=st.booleans(),
)
def test_no_stored_position_without_funding_has_a_funded_for_group(
    funding, eligibility, open_to, batch
):
    source = Source.objects.get_or_create(
        name="Property source", defaults={"start_url": "https://p.example.org/"}
    )[0]
    url = f"https://p.example.org/{funding}-{'-'.join(eligibility)}-{'-'.join(open_to)}-{batch}"
    record = make_record(url=url, funding=funding, eligibility=eligibility, open_to=open_to)
    if batch:
        positions_upsert_from_records(records=[record], source=source)
    else:
        position_upsert_from_record(record=record, source=source)
    stored = Position.objects.get(listings__url=url)
    if funding in {"self", "unknown"}:
        assert stored.eligibility == []
    else:
        assert sorted(stored.eligibility) == sorted(eligibility)
    assert sorted(stored.open_to) == sorted(open_to)
