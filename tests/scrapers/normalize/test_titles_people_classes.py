"""Classes of pages that named the wrong title, institution or supervisor (issue 20).

tests/fixtures/titles_people/ holds adverts written for this purpose, one class each (the
notes of each NNN.json say which): a blog's post date above the title, a breadcrumb trail,
an excerpt that starts mid-sentence, lines of figures that mention a fellowship, a generic
section heading over the offer's name, a university named in Portuguese, ordinary words
capitalised around "University" and under a "Supervisor" heading, an "École des Mines de
<city>", and a supervisor named in brackets inside a sentence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import score_extract  # noqa: E402

FOLDER = ROOT / "tests" / "fixtures" / "titles_people"


@pytest.fixture(scope="module")
def class_score() -> score_extract.Score:
    return score_extract.score_folder(FOLDER)


def test_each_fixture_names_its_class():
    for label_file in sorted(FOLDER.glob("*.json")):
        data = json.loads(label_file.read_text(encoding="utf-8"))
        assert (FOLDER / data["raw_file"]).is_file(), label_file.name
        assert data["notes"].startswith("Class:"), label_file.name


def test_no_fact_is_invented(class_score):
    assert class_score.errors == []
    assert class_score.invented == []


@pytest.mark.parametrize("fact", ["title", "institution", "country", "city", "supervisors"])
def test_every_fact_of_the_classes_is_right(class_score, fact):
    misses = [m for m in class_score.misses if m[1] == fact]
    assert misses == [], misses
