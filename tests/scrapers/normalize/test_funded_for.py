"""Funded for whom, who may apply, and who pays the fees: each wording class (issue 22).

A self-funded position is funded for nobody, and so is one whose funding the advert does not
state; "applicants from any country are welcome" says who may apply, not whom the funding is
for; fees the applicant must pay are not fees covered.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.normalize import normalize
from scrapers.normalize.fees import applicant_pays_fees, extract_fees
from scrapers.records import RawRecord

ALL = ["eu", "home", "international"]


def _record(text: str, title: str = "PhD project in soil ecology"):
    return normalize(RawRecord(url="https://example.org/phd/1", title=title, text=text))


# --- who may apply is not whom the funding is for -----------------------------------------


@pytest.mark.parametrize(
    ("text", "funding", "open_to"),
    [
        # Unfunded, in its several wordings, open to every nationality.
        (
            "The project is unfunded. Candidates of any nationality may apply.",
            "self",
            ALL,
        ),
        (
            "There is no funding attached to this project. Applications from students of all "
            "nationalities are welcome.",
            "self",
            ALL,
        ),
        (
            "This is a self-financed PhD opportunity. It is open to all nationalities.",
            "self",
            ALL,
        ),
        (
            "Applicants must secure their own funding to cover their studies. International "
            "applicants are welcome to apply.",
            "self",
            ["international"],
        ),
        # No word on funding at all: funded for nobody we know of, still open to some.
        (
            "We invite applications for a doctoral project on river sediments. Students from "
            "all countries are encouraged to apply.",
            "unknown",
            ALL,
        ),
        (
            "The group studies glaciers. UK and international students may apply.",
            "unknown",
            ["home", "international"],
        ),
    ],
)
def test_an_unfunded_position_is_open_to_applicants_but_funded_for_nobody(text, funding, open_to):
    record = _record(text)
    assert record.funding == funding
    assert sorted(record.open_to) == open_to
    assert record.eligibility == []
    assert "eligibility" not in record.evidence
    assert record.evidence["open_to"].snippet


@pytest.mark.parametrize(
    ("text", "eligibility"),
    [
        (
            "This fully funded studentship is open to applicants of any nationality.",
            ALL,
        ),
        (
            "The position is funded by the research council for three years. Home students "
            "only may apply; it is open to UK students only.",
            ["home"],
        ),
        (
            "A partial scholarship is available. International students are welcome to apply.",
            ["international"],
        ),
    ],
)
def test_a_funded_position_is_funded_for_those_who_may_apply(text, eligibility):
    record = _record(text)
    assert record.funding in {"full", "partial"}
    assert sorted(record.eligibility) == eligibility
    assert sorted(record.open_to) == eligibility


# --- fees the applicant pays are not fees covered -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Applicants will need to pay tuition fees (2026: £4,900 UK, £27,100 overseas).",
        "You will have to cover the annual tuition fee of €2,314 yourself.",
        "Successful candidates are responsible for paying their own tuition fees.",
        "Students remain liable for tuition and living costs throughout the degree.",
        "The annual tuition fees must be paid by the student.",
        "Programme fees are payable by the candidate each semester.",
        "The award does not cover tuition fees at any rate, home or international.",
        "Tuition fees are not included in the bursary.",
        "A stipend of £15,000 a year is offered, excluding tuition fees.",
        "No fee waiver is available for this project.",
    ],
)
def test_fees_the_applicant_pays_are_not_covered(doc, text):
    found = extract_fees(doc(text))
    assert found is not None and found.value == "not_covered", text
    assert found.evidence.rule == "sentence_applicant_pays_fees"
    assert applicant_pays_fees(text) is not None


@pytest.mark.parametrize(
    ("text", "fees"),
    [
        ("The studentship covers full tuition fees and a stipend.", "international"),
        ("International tuition fees are waived for the successful candidate.", "international"),
        ("Fees are covered at the home rate.", "home"),
        (
            "The award pays fees at the UK rate; international applicants must pay the difference.",
            "home",
        ),
        (
            "Overseas students will need to find the fee difference from other sources.",
            "home",
        ),
        # An applicant paying some other fee says nothing of tuition.
        ("Tuition waiver included. Students must pay the application fee of $90.", "international"),
    ],
)
def test_fees_covered_by_the_award_stay_covered(doc, text, fees):
    found = extract_fees(doc(text))
    assert found is not None and found.value == fees, text


def test_fees_an_unfunded_advert_names_at_both_rates_are_not_covered_at_either():
    record = _record(
        "This doctoral project carries no funding. Candidates have to meet the tuition fees "
        "(home £4,900; international £26,000) and their living costs. Candidates of any "
        "nationality may apply."
    )
    assert (record.funding, record.fees_covered, record.eligibility) == ("self", "not_covered", [])
    assert sorted(record.open_to) == ALL


# --- the property: not funded, funded for nobody ------------------------------------------

_PHRASES = st.sampled_from(
    [
        "This project is not funded.",
        "The position is self-funded.",
        "There is no funding available for this project.",
        "A fully funded studentship is offered.",
        "The scholarship covers tuition fees.",
        "A partial scholarship is available.",
        "A stipend of £18,000 per year is paid.",
        "Applicants from any country are welcome.",
        "International students are welcome to apply.",
        "UK and EU students are eligible.",
        "Open to home students only.",
        "Applicants must pay tuition fees (£5,000 home, £25,000 international).",
        "International applicants must pay the difference.",
        "Fees are covered at the home rate.",
        "The group works on coral reefs.",
        "Deadline: 1 March 2027.",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PHRASES, min_size=1, max_size=7))
def test_no_record_without_funding_is_funded_for_anyone(phrases):
    record = _record(" ".join(phrases))
    if record.funding in {"self", "unknown"}:
        assert record.eligibility == []
    else:
        assert record.eligibility == record.open_to
    # Every group funded may apply.
    assert set(record.eligibility) <= set(record.open_to)
    if applicant_pays_fees(" ".join(phrases)) and not any(
        "covers tuition" in p or "covered at" in p or "difference" in p for p in phrases
    ):
        assert record.fees_covered == "not_covered"
