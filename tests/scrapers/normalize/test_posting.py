"""The kind of post (issue 22 filters): working time, programme or project, researcher
level, region and the stipend in euros; one case per wording class (fixtures/cases_posting)."""

from __future__ import annotations

import pytest

from scrapers.normalize import normalize
from scrapers.normalize.currency import parse_ecb_daily, shipped_rates, yearly_eur
from scrapers.normalize.regions import find_region, region_name
from scrapers.records import RawRecord
from tests.fixtures.cases_posting import FTE, LEVEL, PROGRAMME, SCHEDULE


def _record(title: str, fields: dict[str, str], text: str):
    raw = RawRecord(url="https://example.org/advert", title=title, text=text, fields=fields)
    return normalize(raw)


@pytest.mark.parametrize(("title", "fields", "text", "expected"), SCHEDULE)
def test_working_time(title, fields, text, expected):
    record = _record(title, fields, text)
    assert record.schedule == expected, record.evidence.get("schedule")
    if expected:
        assert record.evidence["schedule"].snippet


def test_a_contract_below_full_time_is_part_time():
    record = _record(*FTE[:3])
    assert record.stipend is not None and record.stipend.fte_percent == 65
    assert record.schedule == "part_time"
    assert record.evidence["schedule"].rule == "fte_below_full"


@pytest.mark.parametrize(("title", "fields", "text", "expected"), PROGRAMME)
def test_programme_or_single_project(title, fields, text, expected):
    record = _record(title, fields, text)
    assert record.programme == expected, record.evidence.get("programme")


@pytest.mark.parametrize(("title", "fields", "text", "expected"), LEVEL)
def test_researcher_level(title, fields, text, expected):
    record = _record(title, fields, text)
    assert record.researcher_level == expected, record.evidence.get("researcher_level")


@pytest.mark.parametrize(
    ("city", "country", "region"),
    [
        ("Munich", "DE", "DE-BY"),
        ("Heidelberg", "DE", "DE-BW"),
        ("Edinburgh", "GB", "GB-SCT"),
        ("Boston", "US", "US-MA"),
        ("Zürich", "CH", "CH-ZH"),
        ("Leuven", "BE", "BE-VLG"),
        ("Grenoble", "FR", "FR-ARA"),
        ("Delft", "NL", "NL-ZH"),
        ("Lund", "SE", "SE-M"),
        ("Padova", "IT", "IT-34"),
        ("Granada", "ES", "ES-AN"),
        ("Toronto", "CA", "CA-ON"),
    ],
)
def test_region_of_a_city(city, country, region):
    found = find_region(city, country)
    assert found is not None and found.value == region
    assert found.evidence.rule == "city_geonames_admin1"


def test_no_region_without_a_known_city():
    assert find_region("Nowhere-upon-Nothing", "DE") is None
    assert find_region("Munich", None) is None
    assert region_name("DE-BY") == "Bayern"
    assert region_name("GB-WLS") == "Wales"


def test_the_region_table_names_first_level_subdivisions_only():
    import pycountry

    from scrapers.normalize import regions

    first = {s.code for s in pycountry.subdivisions if s.parent_code is None}
    assert set(regions._table().values()) <= first


def test_stipend_in_euros_a_year_at_the_shipped_dated_rate():
    rates = shipped_rates()
    assert rates.day.isoformat() == "2026-10-30"
    found = yearly_eur(20_780, "GBP", "year")
    assert found is not None
    assert found.value == round(20_780 / rates.per_euro["GBP"])
    assert "ECB reference rate of 2026-10-30" in found.evidence.snippet
    assert yearly_eur(2_500, "EUR", "month").value == 30_000
    assert yearly_eur(2_500, "EUR", None) is None  # a period is needed to say "a year"
    assert yearly_eur(2_500, "XXX", "year") is None  # no rate: no guess
    assert yearly_eur(5, "EUR", "year") is None  # not a stipend


def test_a_normalised_stipend_carries_its_conversion():
    record = _record(
        "PhD studentship",
        {},
        "A tax-free stipend of £20,780 per year is provided for 3.5 years.",
    )
    assert record.stipend is not None and record.stipend.currency == "GBP"
    assert record.stipend.yearly_eur and record.stipend.rate_date == "2026-10-30"
    assert record.to_json()["stipend"]["yearly_eur"] == record.stipend.yearly_eur
    assert record.evidence["stipend_eur"].rule == "converted_ecb_rate"


def test_ecb_daily_file_parses():
    text = (
        "Date, USD, JPY, GBP, CHF, SEK, NOK, DKK, PLN, CZK, AUD, \n"
        "4 December 2026, 1.1, 170.0, 0.85, 0.93, 11.0, 11.5, 7.46, 4.3, 24.5, 1.6, \n"
    )
    rates = parse_ecb_daily(text)
    assert rates.day.isoformat() == "2026-12-04"
    assert rates.per_euro["GBP"] == 0.85 and rates.per_euro["EUR"] == 1.0
    with pytest.raises((ValueError, StopIteration)):
        parse_ecb_daily("not, a, rates, file\n")
