"""Titles that open with the advert's own place ("Ph.D. position in Berlin, Germany, at the
X Institute, optimization and machine learning") are shortened to their topic, as the
other boilerplate is; an "in" that names no known place is a topic and stays (issue 22)."""

from __future__ import annotations

import pytest

from scrapers.normalize import normalize
from scrapers.normalize.titles import clean_title
from scrapers.records import RawRecord

PLACES = {
    "institution": "Weierstrass Institute for Applied Analysis and Stochastics",
    "country_name": "Germany",
    "city": "Berlin",
}


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        (
            "Ph.D. position in Berlin, Germany, at the Weierstrass Institute, optimization and machine learning",
            "Optimization and machine learning",
        ),
        ("PhD position at the Weierstrass Institute: Gradient flows in ML", "Gradient flows in ML"),
        ("Doctoral position in Berlin - Kernel methods for PDEs", "Kernel methods for PDEs"),
        (
            "PhD studentship at Weierstrass Institute (Berlin), stochastic optimal control",
            "Stochastic optimal control",
        ),
    ],
)
def test_a_place_preamble_naming_the_adverts_places_is_removed(raw, cleaned):
    assert clean_title(raw, **PLACES) == (cleaned or raw)


@pytest.mark.parametrize(
    "raw",
    [
        "PhD position in Mathematical Physics",
        "PhD position in Berlin",  # nothing after the place: the title is the place
        "PhD position in Berlin, 2026",  # too short to be a topic
        "PhD position in optimization, Berlin",  # the "in" names a field, not a place
    ],
)
def test_a_title_whose_in_is_not_a_known_place_or_leaves_no_topic_stays(raw):
    assert clean_title(raw, **PLACES) == raw


def test_the_normaliser_shortens_the_title_with_the_place_it_read_and_keeps_the_raw_one():
    raw = RawRecord(
        url="https://group.example/phd_2/",
        title="Ph.D. position in Berlin, Germany, at the Weierstrass Institute, "
        "optimization and machine learning",
        text="The Weierstrass Institute in Berlin, Germany, offers a PhD position.",
    )

    record = normalize(raw)

    assert record.title == "Optimization and machine learning"
    assert record.evidence["title"].snippet.startswith("Ph.D. position in Berlin, Germany")
    assert record.evidence["title"].rule == "title_cleaned"
