"""The shortlist through Django's client: cookies, tokens, caching, the calendar."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from positions import shortlist as sl
from tests.factories import PositionFactory

from .ical import parse_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def positions(db):
    today = timezone.localdate()
    return {
        "late": PositionFactory(title="Late one", deadline=today + dt.timedelta(days=40)),
        "soon": PositionFactory(title="Soon one", deadline=today + dt.timedelta(days=3)),
        "rolling": PositionFactory(title="Rolling one", deadline=None, deadline_kind="rolling"),
        "closed": PositionFactory(
            title="Closed one", deadline=today - dt.timedelta(days=2), url="https://uni.example/ad"
        ),
        "filled": PositionFactory(title="Filled one", status="closed"),
    }


def request_with(client):
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return request


def star(client, position, action="add", **headers):
    return client.post(
        "/shortlist/star/", {action: position.pk, "next": "/?sort=deadline"}, **headers
    )


def test_star_without_javascript_redirects_back_and_sets_a_signed_cookie(client, positions):
    response = star(client, positions["late"])
    assert response.status_code == 303
    assert response["Location"] == f"/?sort=deadline#star-{positions['late'].pk}"
    cookie = response.cookies[sl.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert signing.loads(cookie.value, salt=sl.COOKIE_SALT) == [positions["late"].pk]

    page = client.get(f"/positions/{positions['late'].pk}/")
    html = page.content.decode()
    assert sl.star_button(positions["late"].pk, True) in html
    assert 'data-shortlist-count>1<span class="visually-hidden"> position</span>' in html

    star(client, positions["late"], "remove")
    html = client.get(f"/positions/{positions['late'].pk}/").content.decode()
    assert sl.star_button(positions["late"].pk, False) in html


def test_star_with_javascript_answers_json(client, positions):
    response = star(client, positions["soon"], HTTP_X_REQUESTED_WITH="fetch")
    assert response.json() == {"id": positions["soon"].pk, "starred": True, "count": 1}
    response = star(client, positions["soon"], "remove", HTTP_X_REQUESTED_WITH="fetch")
    assert response.json()["starred"] is False and response.json()["count"] == 0


def test_cross_site_posts_change_nothing(client, positions):
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ):
        response = star(client, positions["late"], **headers)
        assert response.status_code == 403
        assert sl.COOKIE not in response.cookies
    ok = star(client, positions["late"], HTTP_SEC_FETCH_SITE="same-origin")
    assert ok.status_code == 303
    ok = star(client, positions["soon"], HTTP_ORIGIN="http://testserver")
    assert ok.status_code == 303


def test_next_never_leaves_the_site(client, positions):
    response = client.post(
        "/shortlist/star/", {"add": positions["late"].pk, "next": "https://evil.example/"}
    )
    assert response["Location"].startswith("/shortlist/#star-")


def test_the_shortlist_sorts_by_closing_date_with_days_left(client, positions):
    for name in ("filled", "rolling", "late", "closed", "soon"):
        star(client, positions[name])
    html = client.get("/shortlist/").content.decode()
    order = [html.index(f"{title} one</a>") for title in ("Soon", "Late", "Rolling", "Closed")]
    assert order == sorted(order)
    assert html.index("Filled one</a>") > html.index("Rolling one</a>")
    assert "3 days left" in html and "40 days left" in html and "Open until filled" in html
    assert "Deadline passed" in html and "entry--closed" in html


def test_notes_are_kept_capped_and_escaped(client, positions):
    star(client, positions["late"])
    note = "<script>alert(1)</script>\x00 e-mail Dr Example\u202e" + "x" * 900
    response = client.post("/shortlist/note/", {"position": positions["late"].pk, "note": note})
    assert response.status_code == 303
    html = client.get("/shortlist/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; e-mail Dr Example" in html
    stored = sl.read_notes(request_with(client))
    assert len(stored[positions["late"].pk]) == sl.NOTE_LENGTH
    assert (
        "\x00" not in stored[positions["late"].pk] and "\u202e" not in stored[positions["late"].pk]
    )

    # A note on a position not on the list is ignored; removing a position drops its note.
    client.post("/shortlist/note/", {"position": positions["soon"].pk, "note": "hi"})
    star(client, positions["late"], "remove")
    assert client.cookies[sl.NOTES_COOKIE].value == ""


def test_notes_that_do_not_fit_are_refused_and_kept_in_the_form(client):
    many = [PositionFactory(title=f"Position {n}") for n in range(12)]
    for position in many:
        star(client, position)
    rng = random.Random(4)
    refused = None
    for position in many:
        text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(sl.NOTE_LENGTH))
        response = client.post("/shortlist/note/", {"position": position.pk, "note": text})
        if response.status_code == 200:
            refused = (position, text, response.content.decode())
            break
    assert refused is not None, "random notes should overflow a 4 KB cookie"
    position, text, html = refused
    assert "Not saved" in html and text in html
    for cookie in client.cookies.values():
        assert len(cookie.value) <= sl.COOKIE_VALUE_BUDGET


def test_the_shortlist_is_capped(client, settings):
    sl_ids = list(range(10**6, 10**6 + sl.MAX_POSITIONS))
    client.cookies[sl.COOKIE] = signing.dumps(sl_ids, salt=sl.COOKIE_SALT, compress=True)
    extra = PositionFactory()
    response = star(client, extra)
    assert response["Location"] == "/shortlist/?full=1"
    response = star(client, extra, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 409


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "",
        "a" * 5000,
        signing.dumps([1, 2], salt="another.salt"),
        signing.dumps({"not": "a list"}, salt=sl.COOKIE_SALT),
        signing.dumps(["x", -4, 10**30, True, None], salt=sl.COOKIE_SALT),
    ],
)
def test_bad_cookies_give_a_normal_page(client, positions, value):
    client.cookies[sl.COOKIE] = value
    client.cookies[sl.NOTES_COOKIE] = value
    for path in ("/shortlist/", "/", f"/positions/{positions['late'].pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert star(client, positions["late"]).status_code == 303


def test_expired_and_tampered_cookies_read_as_empty(client, positions, monkeypatch):
    good = signing.dumps([positions["late"].pk], salt=sl.COOKIE_SALT, compress=True)
    client.cookies[sl.COOKIE] = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    assert "No positions yet" in client.get("/shortlist/").content.decode()
    monkeypatch.setattr(sl, "COOKIE_MAX_AGE", -1)
    client.cookies[sl.COOKIE] = good
    assert "No positions yet" in client.get("/shortlist/").content.decode()


def test_deleted_positions_are_forgotten(client, positions):
    star(client, positions["late"])
    star(client, positions["soon"])
    positions["soon"].delete()
    html = client.get("/shortlist/").content.decode()
    assert "1 position on your shortlist no longer exists and was removed" in html
    assert signing.loads(client.cookies[sl.COOKIE].value, salt=sl.COOKIE_SALT) == [
        positions["late"].pk
    ]


def test_share_link_and_calendar(client, positions):
    for name in ("soon", "late", "rolling", "closed"):
        star(client, positions[name])
    page = client.get("/shortlist/")
    token = page.context["shortlist_token"]
    ids = sorted(positions[name].pk for name in ("soon", "late", "rolling", "closed"))
    # The payload is the contract (the timestamp after it changes every second).
    expected = signing.dumps(ids, salt="positions.shortlist", compress=True)
    assert token.split(":")[0] == expected.split(":")[0]
    assert signing.loads(token, salt="positions.shortlist") == ids

    fresh = client.__class__()
    shared = fresh.get(f"/shortlist/s/{token}/")
    assert shared.status_code == 200
    html = shared.content.decode()
    assert "Soon one" in html and "note-form" not in html and "Add these to my shortlist" in html
    assert "private" in shared["Cache-Control"] and shared["X-Robots-Tag"] == "noindex"

    response = fresh.post("/shortlist/import/", {"token": token})
    assert response["Location"] == "/shortlist/?imported=4&left_out=0"
    assert sorted(sl.read_ids(request_with(fresh))) == ids

    ics = fresh.get(f"/shortlist/s/{token}/calendar.ics")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = parse_calendar(ics.content)
    events = calendar.walk("VEVENT")
    # Dated positions only, by closing date; the advert's own link in the description.
    assert [event.text("SUMMARY") for event in events] == [
        "Deadline: Soon one",
        "Deadline: Late one",
        "Deadline: Closed one",
    ]
    assert "The advert: https://uni.example/ad" in events[2].text("DESCRIPTION")
    soon = positions["soon"].deadline
    assert events[0].properties["DTSTART"] == [("VALUE=DATE", f"{soon:%Y%m%d}")]
    assert events[0].text("URL").endswith(f"/positions/{positions['soon'].pk}/")


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "x" * 5000,
        signing.dumps([1, 2], salt="other"),
        signing.dumps("not a list", salt="positions.shortlist"),
        "%00",
    ],
)
def test_bad_share_tokens_give_a_normal_page(client, token):
    response = client.get(f"/shortlist/s/{token}/")
    assert response.status_code == 404
    assert "This shortlist link does not work" in response.content.decode()
    assert client.get(f"/shortlist/s/{token}/calendar.ics").status_code == 404
    assert client.post("/shortlist/import/", {"token": token}).status_code == 303


def test_a_tampered_share_token_is_refused(client, positions):
    token = sl.share_token([positions["late"].pk])
    value, _, signature = token.rpartition(":")
    assert client.get(f"/shortlist/s/{value}:{signature[::-1]}/").status_code == 404


def test_expired_share_links_when_an_expiry_is_set(client, positions, settings):
    token = sl.share_token([positions["late"].pk])
    settings.SHORTLIST_LINK_MAX_AGE = -1
    assert client.get(f"/shortlist/s/{token}/").status_code == 404
    settings.SHORTLIST_LINK_MAX_AGE = None
    assert client.get(f"/shortlist/s/{token}/").status_code == 200


def test_compare_shows_every_fact_side_by_side(client, positions):
    ids = [positions[name].pk for name in ("late", "soon", "rolling", "closed", "filled")]
    response = client.get("/shortlist/compare/", {"id": [*ids, "junk", "-1"]})
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [entry.position.pk for entry in columns] == ids[:4]
    html = response.content.decode()
    assert "At most 4 positions side by side" in html
    labels = [label for label, _ in response.context["rows"]]
    for label in (
        "Deadline",
        "Days left",
        "Funding",
        "Stipend or salary",
        "Duration",
        "Funded for",
        "Start",
        "Supervisors",
        "Institution",
        "Country",
    ):
        assert label in labels
    assert "Dr Ada Example" in html and "<td>42 months</td>" in html
    assert client.get("/shortlist/compare/", {"id": "nonsense"}).status_code == 200


def test_pages_vary_on_cookie_and_are_private_with_a_shortlist(client, positions):
    anonymous = client.get("/")
    assert "Cookie" in anonymous["Vary"] and "public" in anonymous["Cache-Control"]
    star(client, positions["late"])
    personal = client.get("/")
    assert "Cookie" in personal["Vary"]
    assert "private" in personal["Cache-Control"] and "public" not in personal["Cache-Control"]
    assert "no-cache" in personal["Cache-Control"]
    assert "no-cache" in client.get("/shortlist/")["Cache-Control"]


def test_the_page_cache_never_carries_one_visitors_stars_to_another(client, positions, settings):
    settings.SEARCH_CACHE = True
    cache.clear()
    other = client.__class__()
    star(client, positions["late"])
    first = client.get("/?sort=deadline")
    assert first["X-Cache"] == "miss"
    assert sl.star_button(positions["late"].pk, True) in first.content.decode()

    second = other.get("/?sort=deadline")
    assert second["X-Cache"] == "hit"
    html = second.content.decode()
    assert sl.star_button(positions["late"].pk, False) in html
    assert 'aria-pressed="true"' not in html and "data-shortlist-count></span>" in html

    # And the other way round: a page cached for someone without stars shows mine.
    other.get(f"/positions/{positions['soon'].pk}/")
    star(client, positions["soon"])
    mine = client.get(f"/positions/{positions['soon'].pk}/")
    assert mine["X-Cache"] == "hit"
    assert sl.star_button(positions["soon"].pk, True) in mine.content.decode()
    if mine.has_header("Content-Length"):
        assert int(mine["Content-Length"]) == len(mine.content)
    cache.clear()


def test_personalise_touches_only_our_own_stars():
    body = (sl.star_button(5, False) + sl.star_button(55, False)).encode()
    out = sl.personalise(body, [55]).decode()
    assert out == sl.star_button(5, False) + sl.star_button(55, True)
