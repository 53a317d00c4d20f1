"""The scoring script counts labelled facts and right answers correctly."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import score_extract  # noqa: E402

from scrapers.records import PositionRecord, Stipend  # noqa: E402

ADVERT = """---
title: PhD position in optimisation, Exampletown
posted: 2024-01-10 12:00:00
---
The University of Bristol offers a fully funded PhD position under the supervision of Dr Jane Miller.
The stipend is £19,000 per year for three years. Application deadline: 31 January 2024.
Contact jane.miller@bristol.ac.uk.
"""


def _write(folder: Path, name: str, labels: dict, alternatives: dict | None = None) -> None:
    (folder / f"{name}.md").write_text(ADVERT, encoding="utf-8")
    data = {
        "raw_file": f"{name}.md",
        "labels": labels,
        "acceptable_alternatives": alternatives or {},
    }
    (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def _record() -> PositionRecord:
    return PositionRecord(
        url="x",
        title="PhD position in optimisation, Exampletown",
        institution="University of Bristol",
        country="GB",
        deadline="2024-01-31",
        deadline_kind="fixed",
        duration_months=36,
        funding="full",
        stipend=Stipend(19000, "GBP", "year"),
        supervisors=["Jane Miller"],
        contact_emails=["jane.miller@bristol.ac.uk"],
    )


def test_the_score_counts_only_labelled_facts_and_accepts_alternatives(tmp_path):
    _write(
        tmp_path,
        "001",
        {
            "title": "PhD position in optimisation, Exampletown",
            "institution": "University of Bristol",
            "country_code": "GB",
            "city": None,  # not labelled: not counted
            "deadline": "2024-02-01",  # wrong, but an alternative matches
            "deadline_kind": "soft",  # soft counts as fixed
            "duration_years": 3,
            "funding_status": "fully_funded",
            "stipend": {"amount": 19000, "currency": "GBP", "period": "month"},  # period wrong
            "supervisors": ["Dr. Jane Miller"],
            "contact_email": "jane.miller@bristol.ac.uk",
        },
        {"deadline": ["2024-01-31"]},
    )
    score = score_extract.score_folder(tmp_path, extract=lambda text, url: [_record()])
    assert sum(score.total.values()) == 12
    assert sum(score.right.values()) == 11
    assert score.misses == [("001", "stipend.period", "month", "year")]
    assert score.overall == pytest.approx(100 * 11 / 12)


def test_a_crashing_extractor_is_reported_and_scores_nothing(tmp_path):
    _write(tmp_path, "002", {"title": "x", "country_code": "GB"})

    def crash(text, url):
        raise RuntimeError("boom")

    score = score_extract.score_folder(tmp_path, extract=crash)
    assert score.errors == [("002", "RuntimeError: boom")]
    assert (sum(score.right.values()), sum(score.total.values())) == (0, 2)


def test_the_real_extract_path_scores_our_own_small_corpus(tmp_path):
    _write(
        tmp_path,
        "003",
        {
            "institution": "University of Bristol",
            "country_code": "GB",
            "city": "Bristol",
            "deadline": "2024-01-31",
            "deadline_kind": "fixed",
            "duration_years": 3,
            "funding_status": "fully_funded",
            "stipend": {"amount": 19000, "currency": "GBP", "period": "year"},
            "supervisors": ["Jane Miller"],
            "contact_email": "jane.miller@bristol.ac.uk",
        },
    )
    score = score_extract.score_folder(tmp_path)
    assert score.errors == []
    assert score.misses == []
    assert sum(score.total.values()) == 12


def test_a_title_with_boilerplate_in_the_label_matches_the_cleaned_title():
    record = PositionRecord(url="x", title="Novel Preconditioners for RBF Linear Systems")
    assert score_extract._right(
        "title", "PhD Studentship: Novel Preconditioners for RBF Linear Systems", record
    )
    assert not score_extract._right("title", "Postdoc in fluid dynamics", record)


def test_the_score_splits_by_half_and_lists_invented_facts(tmp_path):
    _write(tmp_path, "010", {"institution": "University of Bristol", "start_date": None})
    _write(tmp_path, "011", {"institution": "University of Oxford", "duration_years": None})

    def extract(text, url):
        return [PositionRecord(url=url, institution="University of Bristol", duration_months=36)]

    everything = score_extract.score_folder(tmp_path, extract=extract)
    assert everything.adverts == 2
    by_half = everything.breakdown("half")
    assert by_half["even"]["institution"] == (1, 1)
    assert by_half["odd"]["institution"] == (0, 1)
    # 010 says nothing of a start and none was extracted; 011 says nothing of a duration.
    assert everything.invented == [("011", "duration", 36)]
    odd = score_extract.score_folder(tmp_path, extract=extract, half="odd")
    assert odd.adverts == 1
    assert sum(odd.total.values()) == 1


def test_the_score_groups_facts_by_page_kind_and_language(tmp_path):
    _write(tmp_path, "020", {"country_code": "GB"})
    score = score_extract.score_folder(
        tmp_path, extract=lambda text, url: [PositionRecord(url=url, country="GB")]
    )
    assert score.breakdown("language") == {"en": {"country": (1, 1), "overall": (1, 1)}}
    assert list(score.breakdown("kind")) == ["web/md"]


def test_the_command_prints_the_tables_for_several_folders(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        _write(tmp_path / name, "030", {"country_code": "GB"})
    assert score_extract.main([str(tmp_path / "a"), str(tmp_path / "b"), "--half", "even"]) == 0
    out = capsys.readouterr().out
    assert "by folder" in out and "by language" in out and "by kind" in out
    assert "invented facts: 0 in 2 adverts" in out


def test_a_stipend_part_accepts_its_listed_alternatives_and_a_null_stipend(tmp_path):
    stipend = {"amount": 328355, "currency": "DKK", "period": "year", "fte_percent": 80}
    _write(
        tmp_path,
        "040",
        {"stipend": stipend},
        {"stipend.amount": [43973], "stipend.currency": ["EUR"], "stipend": [None]},
    )

    def extract(text, url):
        return [PositionRecord(url=url, stipend=Stipend(43973, "EUR", "month"))]

    score = score_extract.score_folder(tmp_path, extract=extract)
    # amount and currency by their alternatives; fte by the null stipend; period is wrong.
    assert score.misses == [("040", "stipend.period", "year", "month")]
    assert score.right["stipend.fte_percent"] == 1
    none = score_extract.score_folder(tmp_path, extract=lambda t, u: [PositionRecord(url=u)])
    assert none.misses == []
    _write(tmp_path, "040", {"stipend": stipend}, {"stipend.currency": ["EUR"]})
    strict = score_extract.score_folder(tmp_path, extract=lambda t, u: [PositionRecord(url=u)])
    assert len(strict.misses) == 4


@pytest.mark.parametrize(
    ("label", "open_to", "right"),
    [
        (["international"], ["home", "eu", "international"], True),
        (["domestic", "international"], ["home", "eu", "international"], True),
        (["international"], ["international"], True),
        (["uk", "eu"], ["home", "eu"], True),
        (["uk", "eu"], ["home", "eu", "international"], False),
        (["international"], ["home", "eu"], False),
        (["eu_nationals"], ["home", "eu", "international"], False),
    ],
)
def test_who_may_apply_is_compared_closed_upwards(tmp_path, label, open_to, right):
    """Open to international applicants means open to home and EU ones too, on either side;
    a narrower set stays narrower."""
    _write(tmp_path, "050", {"eligibility": label})

    def extract(text, url):
        return [PositionRecord(url=url, open_to=open_to)]

    score = score_extract.score_folder(tmp_path, extract=extract)
    assert (score.misses == []) is right
    assert score.right["eligibility"] == (1 if right else 0)


@pytest.mark.parametrize(
    ("label", "got", "right"),
    [
        # The same scale named by an alias of data/pay_scales.csv, the grade in other words.
        (
            "Finnish universities' salary system, job requirement levels 2-4",
            "YPJ (Finnish universities' salary system) 2-4",
            True,
        ),
        (
            "YPJ (national university salary system)",
            "YPJ (Finnish universities' salary system)",
            True,
        ),
        # A grade on one side only: the scale's identity decides.
        (
            "salary system of the Finnish universities, level 5",
            "YPJ (Finnish universities' salary system)",
            True,
        ),
        # Different grades of the same scale, or another scale: wrong.
        (
            "Finnish universities' salary system, job requirement level 5",
            "YPJ (Finnish universities' salary system) 2-4",
            False,
        ),
        (
            "Collective Labour Agreement of Dutch Universities",
            "YPJ (Finnish universities' salary system)",
            False,
        ),
        # A label that is a grade alone is compared with the record's grade.
        ("P", "CAO Dutch Universities P", True),
        ("10", "CAO Dutch Universities P", False),
        # A scale outside the table is compared as text.
        ("TV-L E13", "TV-L E13", True),
        ("TV-L E13", "TV-L E14", False),
    ],
)
def test_a_pay_scale_is_compared_by_its_identity_and_grade(label, got, right):
    record = PositionRecord(url="x", stipend=Stipend(None, "EUR", "month", pay_scale=got))
    assert score_extract._right("stipend.pay_scale", label, record) is right
