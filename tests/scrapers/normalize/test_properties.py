"""No input string or HTML makes the normaliser or any extractor raise."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.normalize import (
    dates,
    deadlines,
    durations,
    eligibility,
    fees,
    funding,
    money,
    normalize,
    people,
    places,
    starts,
    titles,
    topics,
)
from scrapers.normalize.text import build_doc
from scrapers.records import PositionRecord, RawRecord

_WORDS = st.sampled_from(
    [
        "Deadline:",
        "deadline",
        "March 8",
        "9 January 2026",
        "31/01/2025",
        "2025-01-31",
        "£20,780",
        "per year",
        "€ 18.546,56",
        "TV-L E13, 65%",
        "until filled",
        "Expired",
        "supervised by",
        "Prof.",
        "Dr",
        "[at]",
        "(at)",
        "mailto:a@b.org",
        "<a href='x'>",
        "</a>",
        "<p>",
        "<script>",
        "**",
        "[x](y)",
        "---",
        "+++",
        "University of",
        "KTH",
        "in",
        "Sweden",
        "open to international students",
        "fully funded",
        "\n",
        "\n\n",
        ":",
        "(",
        ")",
        "%",
        "0",
        "99999999999999999999",
        "février",
        "Σ",
        "\x00",
        "\u202e",
    ]
)
_MIXED = st.lists(st.one_of(_WORDS, st.text(max_size=20)), max_size=60).map(" ".join)
_HTML = st.recursive(
    st.text(max_size=30),
    lambda inner: st.builds(
        lambda tag, body: f"<{tag}>{body}</{tag}>",
        st.sampled_from(["p", "div", "a", "li", "b", "h1"]),
        inner,
    ),
    max_leaves=10,
)
_ANY = st.one_of(st.text(max_size=400), _MIXED, _HTML)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_ANY,
    title=_ANY,
    html=_ANY,
    fields=st.dictionaries(st.one_of(st.text(max_size=20), _WORDS), _ANY, max_size=5),
    meta=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "closes",
                "deadline",
                "posted",
                "date",
                "tags",
                "validThrough",
                "hiringOrganization",
                "published",
            ]
        ),
        st.one_of(
            _ANY,
            st.none(),
            st.integers(),
            st.lists(st.text(max_size=10), max_size=3),
            st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
        ),
        max_size=5,
    ),
    links=st.lists(st.tuples(_ANY, st.one_of(_ANY, st.just("mailto:x@y.org"))), max_size=4),
    today=st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))),
)
def test_normalize_never_raises_and_always_returns_a_record(
    text, title, html, fields, meta, links, today
):
    raw = RawRecord(
        url="https://example.org/x",
        title=title,
        text=text,
        html=html,
        fields=fields,
        meta=meta,
        links=links,
    )
    record = normalize(raw, today=today)
    assert isinstance(record, PositionRecord)
    assert not any("extraction error" in item.get("why", "") for item in record.contradictions)
    record.to_json()


@settings(max_examples=150, deadline=None)
@given(text=_ANY)
def test_every_extractor_accepts_any_text(text):
    doc = build_doc(
        url="u",
        title=text[:50],
        text=text,
        html_fragment="",
        fields={"Deadline": text[:30]},
        meta={},
        links=[],
    )
    deadlines.extract_deadline(doc, today=date(2025, 1, 1))
    starts.extract_start(doc, today=None)
    durations.extract_duration(doc)
    dates.parse_date(text)
    durations.parse_duration(text)
    money.extract_stipend(doc, country="DE")
    money.parse_money(text)
    money.parse_amount(text)
    money.parse_pay_scale(text)
    money.extract_contract(doc)
    fees.extract_fees(doc)
    money.extract_teaching(doc)
    funding.extract_funding(doc)
    eligibility.extract_eligibility(doc)
    places.extract_places(doc, emails=["a@b.se"])
    places.country_code(text)
    people.extract_emails(doc)
    people.extract_supervisors(doc)
    people.extract_apply_url(doc)
    topics.extract_topics(doc)
    titles.clean_title(text, institution=text[:10], country_name=text[:5])
    titles.extract_degree(doc)


def test_a_broken_raw_record_still_gives_a_record():
    raw = RawRecord(url=None, title=None, text=None, fields=None, meta=None, links=None)  # type: ignore[arg-type]
    assert isinstance(normalize(raw), PositionRecord)
