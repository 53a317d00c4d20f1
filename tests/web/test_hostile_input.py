"""No query string breaks a page: the page ignores or clamps what it cannot use, the API
answers 400, and nothing answers 500."""

from __future__ import annotations

import pytest

from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "funding=lots&country=Narnia&eligibility=martians&contract=slavery&deadline_kind=soonish",
    "deadline_after=2026-13-45&deadline_before=yesterday&start_after=0000-00-00&start_before=99999-01-01",
    "page=-1",
    "page=0&per_page=0",
    "per_page=1000000000",
    "page=99999999999999999999999999999999999999999999999999",
    "deadline_within=99999999999999999999999999999&per_page=-5",
    "deadline_within=-3",
    "institution=99999999999999999999999&institution=-1&institution=abc",
    "topic=../../etc/passwd&topic=%3Cscript%3E",
    "q=" + "a" * 10_240,
    "q=" + "machine+learning+" * 700,
    "q=%27%22%3B--%20DROP%20TABLE%20positions_position%3B",
    "q=a%20%26%20b%20%7C%20!c%20%3C-%3E%20d%3A*%20(e",
    "q=%22unterminated&q=second",
    "q=or%20or%20-%20-%20%22%22%20%22",
    "q=%00&funding=full%00&country=GB%00",
    "q=%E2%80%AE%F0%9F%98%80%EF%BF%BF",
    "q=%ff%fe%fd",
    "sort=drop&sort=relevance&include_closed=maybe",
    "&".join(["country=GB"] * 500),
    "funding[]=full&funding=",
    "q=the",
    "q=%0d%0aSet-Cookie:%20x=1",
]


@pytest.fixture(autouse=True)
def some_positions(db):
    PositionFactory.create_batch(3, search=True)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_search_page_answers_normally(client, query):
    response = client.get(f"/?{query}")

    assert response.status_code == 200


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_api_answers_200_or_400_never_500(client, query):
    response = client.get(f"/api/positions/?{query}")

    assert response.status_code in (200, 400)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    if response.status_code == 200:
        assert len(body["results"]) <= 100
    else:
        assert body["error"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("feed", ["/feeds/positions.atom", "/feeds/deadlines.ics"])
def test_the_feeds_answer_normally(client, feed, query):
    assert client.get(f"{feed}?{query}").status_code == 200


def test_page_minus_one_is_the_first_page_and_per_page_is_capped(client):
    body = client.get("/api/positions/?page=-1&per_page=1000000000").json()

    assert body["count"] == 3 and len(body["results"]) == 3 and body["previous"] is None


def test_an_unknown_value_is_ignored_on_the_page_with_a_notice(client):
    response = client.get("/?funding=lots")

    assert response.status_code == 200
    assert "were not understood" in response.content.decode()
    assert response.context["result"].total == 3


@pytest.mark.parametrize(
    "path", ["/positions/0/", "/positions/99999999999999999999999/", "/positions/abc/"]
)
def test_unknown_detail_pages_are_404(client, path):
    assert client.get(path).status_code == 404


def test_filter_sets_share_one_form_class_and_validate_their_own_data():
    from positions.filters import PositionFilter

    good = PositionFilter({"funding": "full", "page": "2"})
    bad = PositionFilter({"funding": "lots", "page": "-3"})

    assert good.get_form_class() is bad.get_form_class()  # built once (issue 7)
    assert good.values["funding"] == ["full"] and good.values["page"] == 2
    assert "funding" in bad.errors and "funding" not in good.errors
    assert bad.values.get("page") == 1
    assert good.form is not bad.form
    assert good.form.fields["funding"] is not bad.form.fields["funding"]
