"""The three sample adverts, as raw records an adapter would produce, normalise correctly."""

from __future__ import annotations

from scrapers.normalize import normalize
from scrapers.records import PositionRecord, RawRecord

SOUTHAMPTON_TEXT = """PhD Position: The Mathematics of Deep Bilevel Learning University of Southampton in United Kingdom

This fully funded PhD position at the University of Southampton offers an exciting opportunity to advance the mathematical foundations of deep bilevel learning—a cutting-edge area at the intersection of optimization and artificial intelligence. The project is co-supervised by Professor Alain Zemkoho (bilevel optimization expert, University of Southampton) and Professor Massimiliano Pontil (machine/deep learning expert, University College London & Italian Institute of Technology), providing a rich collaborative environment.

The position is funded by DAS Ltd and the EPSRC Doctoral Landscape Award (Collaborative Studentships Scheme), offering a tax-free stipend of approximately £20,780 per year for four years, with additional benefits such as research travel funds and optional paid part-time teaching assistantship. Tuition fees are covered at the UK rate, and both UK and international applicants are encouraged to apply.

Ideal candidates will have a strong background in optimization, applied mathematics, and/or machine learning.

The application deadline is January 9, 2026, with a start date of October 1, 2026. To apply, visit the University of Southampton's online portal.

Applicants should have a strong background in optimization, applied mathematics, and/or machine learning. Both UK and international applicants are welcome, but fees are covered at the UK rate."""

KTH_TEXT = """PhD Position: Towards a theory of deep learning

Main advisor: Pierre Nyquist.

KTH Royal Institute of Technology in Stockholm has grown to become one of Europe's leading technical and engineering universities.

The goal of this project is to contribute to our understanding of the mathematical principles underlying modern methods for machine learning and artificial intelligence. The successful candidate will pursue a PhD project at the intersection of probability theory, mathematical analysis, statistical physics and artificial intelligence.

The position is a time-limited, full-time, five year position starting August 2020 or at an agreed upon date. The position is fully funded for four years and will be extended to five years by assigning teaching duties.

Within the Department of Mathematics at KTH, the successful candidate will be part of vibrant and diverse groups in Probability and Mathematical Statistics.

Your complete application must be received by KTH no later than the stated application deadline (March 8), midnight CET/CEST (Central European Time/Central European Summer Time).

Type of employment: Temporary position longer than 6 months.

First day of employment: 1 August 2020 or an agreed upon date.

Contact: Pierre Nyquist, Associate Professor, Email: pierren@kth.se

Application Submission Deadline: March 8, 2020."""

WIAS_TEXT = """New: open Ph.D. position

We have a Ph.D. position in mathematics optimal transport and robust machine learning, on topics closely related to computational OT, gradient flows, deep generative models, Bayesian inference, kernel methods, distributional robustness, generalization, optimization.

- The Weierstrass Institute for Applied Analysis and Stochastics (WIAS), Berlin is a research institution known for its strength in mathematical optimization and dynamical systems.
- There is no teaching duty envisioned.

Please send the following to the email address here, with the subject containing [apply-phd-ot].
The position will be open until filled. However, to receive full consideration, please apply (or inquire) as soon as possible."""


def _every_set_field_has_evidence(record: PositionRecord) -> None:
    for name in (
        "institution",
        "country",
        "city",
        "deadline",
        "start_date",
        "duration_months",
        "stipend",
        "apply_url",
    ):
        if getattr(record, name) is not None:
            assert name in record.evidence, name
    for name in ("supervisors", "contact_emails", "eligibility", "topics"):
        if getattr(record, name):
            assert name in record.evidence, name
    for item in record.evidence.values():
        assert 0.0 <= item.confidence <= 1.0 and item.rule


def test_southampton_expired_label_funding_and_fee_traps():
    raw = RawRecord(
        url="https://aggregator.example/southampton",
        title="PhD Position: The Mathematics of Deep Bilevel Learning University of Southampton in United Kingdom",
        text=SOUTHAMPTON_TEXT,
        fields={
            "Degree Level": "PhD",
            "Field of study": "Computer Science",
            "Funding": "Funded PhD Project (Students Worldwide)",
            "Deadline": "Expired",
            "Country": "United Kingdom",
            "University": "University of Southampton",
        },
    )
    record = normalize(raw)
    assert record.title == "The Mathematics of Deep Bilevel Learning"
    assert (record.institution, record.country, record.city) == (
        "University of Southampton",
        "GB",
        "Southampton",
    )
    assert (record.deadline, record.deadline_kind) == ("2026-01-09", "fixed")
    assert record.start_date == "2026-10-01"
    assert record.duration_months == 48
    assert (record.stipend.amount, record.stipend.currency, record.stipend.period) == (
        20780,
        "GBP",
        "year",
    )
    assert (record.funding, record.contract, record.fees_covered) == ("full", "stipend", "home")
    assert set(record.eligibility) == {"home", "international"}
    assert record.supervisors == ["Alain Zemkoho", "Massimiliano Pontil"]
    fields_in_dispute = {item["field"] for item in record.contradictions}
    assert fields_in_dispute == {"deadline", "eligibility"}
    assert "Mathematics > Optimisation and Control" in record.topics
    _every_set_field_has_evidence(record)


def test_kth_year_less_deadline_five_year_employment_and_advisor():
    record = normalize(
        RawRecord(
            url="https://people.kth.example/phd",
            title="PhD Position: Towards a theory of deep learning",
            text=KTH_TEXT,
        )
    )
    assert record.title == "Towards a theory of deep learning"
    assert (record.institution, record.city, record.country) == (
        "KTH Royal Institute of Technology",
        "Stockholm",
        "SE",
    )
    assert (record.deadline, record.deadline_kind) == ("2020-03-08", "fixed")
    assert record.start_date == "2020-08-01"
    assert record.duration_months == 60
    assert (record.contract, record.funding, record.teaching_duty) == ("employment", "full", True)
    assert record.supervisors == ["Pierre Nyquist"]
    assert record.contact_emails == ["pierren@kth.se"]
    assert record.department == "Department of Mathematics"
    _every_set_field_has_evidence(record)


def test_wias_rolling_no_teaching_and_mailto_only_email():
    raw = RawRecord(
        url="https://wias.example/phd_2/",
        text=WIAS_TEXT,
        meta={
            "title": "Ph.D. position in Berlin, Germany, at the Weierstrass Institute, optimization and machine learning",
            "layout": "page",
        },
        links=[
            ("here", "mailto:zplusj@gmail.com"),
            (
                "The Weierstrass Institute for Applied Analysis and Stochastics (WIAS), Berlin",
                "https://wias-berlin.de/",
            ),
        ],
    )
    record = normalize(raw)
    # Issue 22: the place preamble goes (it named the advert's own city, country and
    # institution); the raw title stays as the title's evidence.
    assert record.title == "Optimization and machine learning"
    assert record.evidence["title"].snippet.startswith("Ph.D. position in Berlin, Germany")
    assert (record.deadline, record.deadline_kind) == (None, "rolling")
    assert record.teaching_duty is False
    assert record.contact_emails == ["zplusj@gmail.com"]
    assert record.stipend is None
    assert (record.institution, record.city, record.country) == (
        "Weierstrass Institute for Applied Analysis and Stochastics",
        "Berlin",
        "DE",
    )
    assert record.topics[:2] == [
        "Computer Science > Machine Learning",
        "Mathematics > Optimisation and Control",
    ]
    _every_set_field_has_evidence(record)
