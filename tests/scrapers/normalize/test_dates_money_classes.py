"""Classes of adverts the shared corpus showed the dates, money, e-mail and eligibility rules
missing (issue 20), each written for tests/fixtures/dates_money/ in the format of
../shared/adverts before the rule that reads it:

- deadlines: the French label "Fin du dépôt des candidatures" (001); a window of two dates
  joined by a dash under the plural "Plazos" (002); Latin-American applying words
  ("postular", "recepción de postulaciones", 003); a recruitment calendar of "date : event"
  rows, where the applicant's row wins over those set for directors (004), also with the
  event on the line after the date (005);
- starts: "prendra effet au" (001); "the 2027 fall semester" (006); a start word far from
  its month (011); a range of months, "de agosto a outubro de 2027" (012);
- money: an amount in won (006); "monthly salary ... in the first year" (007); "euros/month"
  as the only period (008);
- e-mail: an address written broken once ("x@y.ac at") and whole later (008);
- eligibility: the MSCA mobility rule (009); "mainly for international students" and a
  list of groups under "Eligibility" (010); "chilenos o extranjeros" (003);
- durations: a mobility window ("The 3 years are counted", 009) and a range whose length
  depends on the thesis (010) are none; "3-4 years position" is three years (013);
- a funding package: "base graduate funding" is pay, "-$6,600: TA income" a deduction (014).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import score_extract  # noqa: E402

FOLDER = ROOT / "tests" / "fixtures" / "dates_money"
FACTS = (
    "deadline",
    "deadline_kind",
    "start_date",
    "duration",
    "funding",
    "eligibility",
    "stipend.amount",
    "stipend.currency",
    "stipend.period",
    "stipend.pay_scale",
    "contact_email",
)


@pytest.fixture(scope="module")
def score() -> score_extract.Score:
    return score_extract.score_folder(FOLDER)


def test_nothing_is_invented_on_the_class_adverts(score):
    assert score.errors == []
    assert score.invented == []


@pytest.mark.parametrize("fact", FACTS)
def test_every_fact_of_the_classes_is_right(score, fact):
    misses = [m for m in score.misses if m[1] == fact]
    assert misses == [], misses


def test_a_start_given_as_a_year_alone_is_kept_as_words_not_as_a_date():
    from scrapers.extract import extract_records

    text = (
        "Doctoral researcher positions in chemistry\n"
        "The university invites applications for doctoral researcher positions for a maximum "
        "of a four-year period starting in 2028.\n"
    )
    record = extract_records(text, "https://www.university-example.fi/positions")[0]
    assert record.start_date is None  # "January 2028" would claim a month the page never gives
    assert record.start_text == "2028"
