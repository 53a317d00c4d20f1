"""Held-out adverts in the languages the shared corpus scores worst in (issue 20).

tests/fixtures/holdout_languages/ holds adverts written for this purpose in Spanish (Spain
and Chile), French (France and Québec), Portuguese (Portugal and Brazil), Italian, Dutch,
Swedish, Norwegian, Danish and Austrian German, each labelled in the format of
../shared/adverts before the extractor ran on it. Adverts 001-014 scored 76.8 % (142 of
185 facts) on their first run, 015-020 (written after the first fixes) 64.9 % (50 of 77);
the place, date and contact facts, now 175 of 180, are what this test holds
(docs/normaliser.md has the figures). No label has been changed after a run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import score_extract  # noqa: E402

FOLDER = ROOT / "tests" / "fixtures" / "holdout_languages"
# The facts of places, dates, durations, titles and contacts (another file holds the money,
# funding, supervisor and topic facts): 97.2 % right (175/180), less a margin of about
# twelve facts.
PLACE_AND_DATE_FACTS = (
    "title",
    "institution",
    "country",
    "city",
    "deadline",
    "deadline_kind",
    "start_date",
    "duration",
    "contact_email",
    "apply_url",
)
FLOOR_PERCENT = 90.0


@pytest.fixture(scope="module")
def language_score() -> score_extract.Score:
    return score_extract.score_folder(FOLDER)


def test_the_folder_has_an_advert_in_each_language():
    from scrapers.normalize.language import detect_language

    languages = set()
    for label_file in sorted(FOLDER.glob("*.json")):
        data = json.loads(label_file.read_text(encoding="utf-8"))
        raw = FOLDER / data["raw_file"]
        assert raw.is_file(), label_file.name
        assert {"labels", "acceptable_alternatives", "notes"} <= data.keys(), label_file.name
        languages.add(detect_language(raw.read_text(encoding="utf-8")))
    assert {"es", "fr", "pt", "it", "nl", "sv", "no", "da", "de"} <= languages


def test_no_fact_is_invented_on_the_language_adverts(language_score):
    assert language_score.errors == []
    assert language_score.invented == []


def test_places_dates_and_durations_are_read_in_each_language(language_score):
    facts = [f for f in language_score.facts if f.fact in PLACE_AND_DATE_FACTS]
    right = sum(f.right for f in facts)
    percent = 100.0 * right / len(facts)
    misses = "\n".join(
        f"{advert} {fact}: expected {expected!r}, got {got!r}"
        for advert, fact, expected, got in language_score.misses
        if fact in PLACE_AND_DATE_FACTS
    )
    assert percent >= FLOOR_PERCENT, f"{percent:.1f} % (floor {FLOOR_PERCENT} %):\n{misses}"


@pytest.mark.parametrize("fact", ["deadline", "deadline_kind", "start_date", "duration"])
def test_every_date_and_duration_fact_is_right(language_score, fact):
    # Dates and durations in these languages are read by data (lexicon.py), so each of these
    # facts is right on every advert of the folder; a miss names the rule that broke.
    misses = [m for m in language_score.misses if m[1] == fact]
    assert misses == [], misses
