"""Recorded pages whose dates move with the calendar (scrapers.replay_dates) and the
replay transport that applies it to entries with `recorded_on`."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from scrapers.fetch import ReplayTransport
from scrapers.replay_dates import days_since, shift_dates


@pytest.mark.parametrize(
    ("text", "days", "expected"),
    [
        ("Deadline 2026-03-08.", 30, "Deadline 2026-04-07."),
        ('"deadline":"2026-02-13T23:59:59+01:00"', 1, '"deadline":"2026-02-14T23:59:59+01:00"'),
        ("Last application date 12.Aug.2026", 30, "Last application date 11.Sep.2026"),
        ("Closes 8 March 2026", -8, "Closes 28 February 2026"),
        ("Closes 08 Mar 2026", 366, "Closes 09 Mar 2027"),
        ("apply by March 8, 2026", 31, "apply by April 8, 2026"),
        ("%22deadline%22%3A%222026-03-27T23%3A59", 10, "%22deadline%22%3A%222026-04-06T23%3A59"),
        ("31-Dec-2026", 1, "01-Jan-2027"),
    ],
)
def test_every_date_a_page_writes_moves_in_its_own_format(text, days, expected):
    assert shift_dates(text, days) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Reference 12026-03-01x",  # a number that contains a date's digits
        "2026-02-30 is not a date",
        "version 2026-13-01",
        "phone 2026-03-0199",
    ],
)
def test_what_is_not_a_date_is_left_alone(text):
    assert shift_dates(text, 40) == text


def test_no_shift_and_a_bad_recording_date_change_nothing():
    assert shift_dates("2026-03-08", 0) == "2026-03-08"
    assert days_since("not a date") == 0
    assert days_since("2026-02-01", dt.date(2026, 3, 3)) == 30


def test_the_replay_moves_dates_only_of_entries_recorded_on_a_day(tmp_path):
    (tmp_path / "a.html").write_text("<p>Deadline: 2020-01-10</p>", "utf-8")
    index = {
        "https://a.example/moving": {"file": "a.html", "recorded_on": "2020-01-01"},
        "https://a.example/fixed": {"file": "a.html"},
    }
    (tmp_path / "index.json").write_text(json.dumps(index), "utf-8")
    client = httpx.Client(transport=ReplayTransport(tmp_path))
    moved = client.get("https://a.example/moving").text
    expected = (dt.date(2020, 1, 10) + (dt.date.today() - dt.date(2020, 1, 1))).isoformat()
    assert moved == f"<p>Deadline: {expected}</p>"
    assert client.get("https://a.example/fixed").text == "<p>Deadline: 2020-01-10</p>"
