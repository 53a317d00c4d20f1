"""The edges of the search and of the site (issue 22): a page past the end, a page number
that is not one, a position or address that does not exist (our own 404, DEBUG off), the
phone's "Show N results" submit and the "Skip to results" link, all without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(db):
    return PositionFactory.create_batch(5, search=True)


def test_a_page_past_the_end_says_so_and_links_to_the_last_page(client, five):
    response = client.get("/?per_page=2&page=99")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Page 99 is past the end of these results." in html
    assert re.search(r'href="/\?per_page=2&amp;page=3"[^>]*>go to the last page \(page 3\)', html)
    assert "No positions match" not in html
    assert "Page 99 of 3" not in html


def test_the_last_page_itself_is_not_past_the_end(client, five):
    html = client.get("/?per_page=2&page=3").content.decode()

    assert "past the end" not in html and "Page 3 of 3" in html


def test_an_empty_search_is_not_called_past_the_end(client, five):
    html = client.get("/?q=zzzqqqxxx&page=4").content.decode()

    assert "Page 4 is past the end" in html and "Go to the first page" in html
    assert "past the end" not in client.get("/?q=zzzqqqxxx").content.decode()


def test_the_api_answers_a_page_past_the_end_with_a_400_naming_the_last_page(client, five):
    response = client.get("/api/positions/?per_page=2&page=99")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Page 99 is past the end of the results."
    assert "The last page is 3" in body["detail"]["page"][0]
    assert "page=3" in body["detail"]["page"][0]
    assert client.get("/api/positions/?per_page=2&page=3").status_code == 200


@pytest.mark.parametrize("page", ["abc", "-4", "0", "1.5", "", "%00", "1e9"])
def test_a_page_that_is_not_a_page_number_gives_a_normal_page(client, five, page):
    response = client.get(f"/?page={page}")

    assert response.status_code == 200
    assert b"result-list" in response.content


@pytest.mark.parametrize("page", ["abc", "1.5"])
def test_the_api_refuses_a_page_that_is_not_a_number_with_a_400(client, five, page):
    response = client.get(f"/api/positions/?page={page}")

    assert response.status_code == 400 and "page" in response.json()["detail"]


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(
    "path", ["/positions/987654321/", "/positions/987654321/deadline.ics", "/no/such/page"]
)
def test_a_missing_page_is_our_own_styled_404(client, debug_off, path):
    response = client.get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and "site.css" in html
    assert 'name="robots" content="noindex"' in html
    assert 'action="/"' in html  # a search box to carry on
    heading = "This position is not here" if path.startswith("/positions/") else "Page not found"
    assert f'<h1 id="not-found-title">{heading}</h1>' in html


def test_an_unpublished_position_is_a_404_too(client, debug_off):
    hidden = PositionFactory(moderation="pending")

    response = client.get(f"/positions/{hidden.pk}/")

    assert response.status_code == 404 and b"This position is not here" in response.content


def test_an_unknown_api_address_answers_json(client, debug_off):
    response = client.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "Not found."


def test_the_show_results_button_submits_to_the_results_with_their_count(client, five):
    html = client.get("/?funding=full").content.decode()

    button = re.search(r"<button[^>]*data-show-results[^>]*>([^<]*)</button>", html)
    assert button and button.group(1).strip() == "Show 5 results"
    assert 'formaction="/#results"' in button.group(0) and 'type="submit"' in button.group(0)
    PositionFactory(title="Glaciology of Antarctic ice shelves", search=True)
    one = client.get("/?q=glaciology").content.decode()
    assert re.search(r"data-show-results[^>]*>Show 1 result<", one)


def test_a_skip_to_results_link_comes_before_the_filters(client, five):
    html = client.get("/").content.decode()

    skip = html.index('href="#results"')
    assert "Skip to results" in html[skip : skip + 80]
    assert skip < html.index('id="filters"') < html.index('id="results"')
