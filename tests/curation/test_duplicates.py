"""One advert on several sites becomes one position; merges and splits survive scrapes."""

from __future__ import annotations

import pytest

from positions.models import DuplicateCandidate, Listing, Position, PositionChange
from positions.services import (
    listing_split,
    position_detect_duplicates,
    position_duplicate_score,
    position_merge,
    position_update_by_admin,
    position_upsert_from_record,
)
from tests.factories import SourceFactory, make_record, make_superuser

from .admin_forms import change_form_data, post_admin_action

pytestmark = pytest.mark.django_db

UNIVERSITY_URL = "https://www.southampton.ac.uk/jobs/phd-bilevel"
BOARD_URL = "https://phd-board.example.com/adverts/4711?utm_source=feed"


def store(url: str, source, **overrides) -> Position:
    return position_upsert_from_record(
        record=make_record(url=url, **overrides), source=source
    ).position


def university():
    return SourceFactory(name="Southampton jobs", adapter="lab_page")


def board():
    return SourceFactory(name="PhD board", adapter="aggregator")


def uncertain_pair() -> tuple[Position, Position]:
    """The university's advert, and a board's advert alike in title and place only."""
    first = store(UNIVERSITY_URL, university())
    near = store(
        BOARD_URL,
        board(),
        title="PhD in Bilevel Optimisation for Energy Markets",
        deadline="2031-03-01",
        supervisors=["Someone Else"],
    )
    return first, near


def test_the_same_advert_on_two_sites_scores_high_and_different_projects_low():
    first = store(UNIVERSITY_URL, university())
    copy = store(BOARD_URL, board(), title="Fully funded PhD studentship: Bilevel optimisation")
    other = store(
        "https://phd-board.example.com/adverts/9",
        SourceFactory(name="Another board"),
        title="PhD in Marine Biology",
        supervisors=["Jane Smith"],
    )
    assert position_duplicate_score(first, copy)[0] >= 0.92
    assert position_duplicate_score(first, other)[0] < 0.7


def test_a_certain_duplicate_is_merged_automatically_into_the_older_position():
    first = store(UNIVERSITY_URL, university())
    copy = store(BOARD_URL, board(), title="PhD studentship: Bilevel Optimisation")

    outcome = position_detect_duplicates(position=copy)

    assert outcome.merged_into == first
    assert Position.objects.count() == 1
    assert set(first.listings.values_list("url", flat=True)) == {UNIVERSITY_URL, BOARD_URL}
    assert PositionChange.objects.filter(position=first, field="merged", actor="system").exists()


def test_an_uncertain_pair_waits_in_the_duplicate_queue():
    first, near = uncertain_pair()

    outcome = position_detect_duplicates(position=near)

    assert outcome.merged_into is None
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.first, candidate.second, candidate.state) == (first, near, "pending")
    assert 0.7 <= candidate.score < 0.92


def test_merge_takes_facts_from_the_most_specific_source_but_the_admins_edit_first():
    admin = make_superuser()
    board_copy = store(BOARD_URL, board(), duration_months=36, city="Soton")
    university_copy = store(UNIVERSITY_URL, university(), city="Southampton", supervisors=[])
    position_update_by_admin(position=board_copy, user=admin, data={"funding": "partial"})

    kept = position_merge(keep=board_copy, merge=university_copy, user=admin)

    assert kept.city == "Southampton"  # the university page is more specific
    assert kept.duration_months == 48  # ... for every field it states
    assert kept.supervisors == ["Alain Zemkoho"]  # a field it leaves empty comes from the board
    assert kept.funding == "partial"  # the admin's edit beats every source
    assert not Position.objects.filter(pk=university_copy.pk).exists()
    assert Listing.objects.filter(position=kept, pinned=True).count() == 2


def test_a_merge_stays_in_force_across_later_scrapes_of_both_sources():
    uni, agg = university(), board()
    first = store(UNIVERSITY_URL, uni)
    second = store(BOARD_URL, agg, title="PhD: bilevel optimisation")
    position_merge(keep=first, merge=second, user=make_superuser())

    store(UNIVERSITY_URL, uni, city="Southampton (Highfield)")
    store(BOARD_URL, agg, title="PhD: bilevel optimisation (updated)")

    assert Position.objects.count() == 1
    assert Position.objects.get().city == "Southampton (Highfield)"
    assert Listing.objects.filter(position=first).count() == 2


def test_a_split_stays_in_force_and_is_never_merged_back():
    uni, agg = university(), board()
    first = store(UNIVERSITY_URL, uni)
    second = store(BOARD_URL, agg, title="PhD studentship: Bilevel Optimisation")
    position_merge(keep=first, merge=second, user=make_superuser())
    board_listing = Listing.objects.get(url=BOARD_URL)

    new = listing_split(listing=board_listing, user=make_superuser())
    store(BOARD_URL, agg, title="PhD studentship: Bilevel Optimisation", city="Elsewhere")
    store(UNIVERSITY_URL, uni, city="Southampton (Highfield)")
    outcome = position_detect_duplicates(position=new)

    assert outcome.merged_into is None and outcome.candidates == []
    assert Position.objects.count() == 2
    assert Listing.objects.get(url=BOARD_URL).position == new
    new.refresh_from_db()
    assert new.city == "Elsewhere"
    assert DuplicateCandidate.objects.get().state == "distinct"
    assert (
        new.changes.filter(field="split").exists() and first.changes.filter(field="split").exists()
    )


def test_the_admin_merges_two_selected_positions_and_splits_a_listing(client):
    first = store(UNIVERSITY_URL, university())
    second = store(BOARD_URL, board(), title="Something unrelated")
    client.force_login(make_superuser())

    response = post_admin_action(client, "/admin/positions/position/", "merge_two", [first, second])
    assert response.status_code == 302 and "/merge/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"merged value" in page.content
    response = client.post(
        "/admin/positions/position/merge/", {"ids": f"{first.pk},{second.pk}", "keep": first.pk}
    )
    assert response.status_code == 302
    assert Position.objects.get() == first

    change_page = client.get(f"/admin/positions/position/{first.pk}/change/")
    listing = Listing.objects.get(url=BOARD_URL)
    split_url = f"/admin/positions/position/{first.pk}/split/{listing.pk}/"
    assert split_url in change_page.content.decode()
    assert client.post(split_url).status_code == 302
    assert Position.objects.count() == 2


def test_the_duplicate_queue_accepts_and_rejects_pairs(client):
    first, near = uncertain_pair()
    position_detect_duplicates(position=near)
    candidate = DuplicateCandidate.objects.get()
    client.force_login(make_superuser())

    response = post_admin_action(
        client, "/admin/positions/duplicatecandidate/", "mark_distinct", [candidate]
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == "distinct"
    assert position_detect_duplicates(position=near).candidates == []
    assert Position.objects.filter(pk__in=[first.pk, near.pk]).count() == 2


def test_editing_in_the_admin_does_not_touch_the_listings(client):
    first = store(UNIVERSITY_URL, university())
    client.force_login(make_superuser())
    url = f"/admin/positions/position/{first.pk}/change/"
    data = change_form_data(client.get(url))
    data["title"] = "PhD in Bilevel Optimisation (corrected)"
    assert client.post(url, data).status_code == 302
    assert Listing.objects.get().position == first
