import pytest

from scrapers.normalize.fees import extract_fees
from scrapers.normalize.money import (
    extract_contract,
    extract_stipend,
    extract_teaching,
    find_money,
    parse_amount,
    parse_money,
    parse_pay_scale,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("20,780", 20780),
        ("18.546,56", 18546.56),
        ("34 000", 34000),
        ("18K", 18000),
        ("2,266", 2266),
        ("1.500", 1500),
        ("3.5", 3.5),
    ],
)
def test_amounts_in_english_and_european_notation(text, value):
    assert parse_amount(text) == value


def test_the_southampton_stipend_is_20780_pounds_a_year():
    stipend = parse_money("a tax-free stipend of approximately £20,780 per year for four years")
    assert (stipend.amount, stipend.currency, stipend.period) == (20780, "GBP", "year")


def test_a_swedish_monthly_salary_with_a_currency_code():
    stipend = parse_money("SEK 34 000 per month")
    assert (stipend.amount, stipend.currency, stipend.period) == (34000, "SEK", "month")


def test_pay_scales_give_scale_and_part_time_percentage():
    assert parse_pay_scale("TV-L E13, 65%") == ("TV-L E13", 65)
    assert parse_pay_scale("proper employment, E 13 TV-L, 50%") == ("TV-L E13", 50)


def test_a_pay_scale_without_an_amount_is_a_monthly_euro_salary(doc):
    found = extract_stipend(
        doc("The position is a standard university position (proper employment, E 13 TV-L, 50%)."),
        country="DE",
    )
    assert found.value.amount is None
    assert (
        found.value.currency,
        found.value.period,
        found.value.pay_scale,
        found.value.fte_percent,
    ) == ("EUR", "month", "TV-L E13", 50)


def test_a_salary_range_in_european_notation_keeps_its_maximum(doc):
    found = extract_stipend(
        doc(
            "- Gross Salary: 18.546,56 EUR (1st year), 19.303,60 EUR (2nd year), 22.558,67 EUR (4th year).\n"
            "- Tuition fees, travel: 1.500 EUR per year."
        )
    )
    assert (
        found.value.amount,
        found.value.amount_max,
        found.value.currency,
        found.value.period,
    ) == (18546.56, 22558.67, "EUR", "year")


def test_travel_money_is_not_a_stipend_and_a_currency_less_salary_takes_the_countrys(doc):
    found = extract_stipend(
        doc(
            "The travel allowances can exceed 2200€ per year and the gross salary varies between 18K and 22K per year."
        ),
        country="ES",
    )
    assert (found.value.amount, found.value.amount_max, found.value.currency) == (
        18000,
        22000,
        "EUR",
    )


def test_a_dutch_monthly_salary_up_to_a_maximum(doc):
    found = extract_stipend(
        doc(
            "The University offers a salary of € 2,266 gross per month in the first year, up to a maximum of € 2,897 gross per month in the fourth year."
        )
    )
    assert (found.value.amount, found.value.amount_max, found.value.period) == (2266, 2897, "month")


def test_a_us_stipend_minimum_ignores_the_development_fund(doc):
    found = extract_stipend(
        doc(
            "Students receive scholarships that cover all tuition expenses, a stipend (minimum 31,000 USD per year), "
            "and professional development support funds (minimum 2,500 USD)."
        )
    )
    assert (found.value.amount, found.value.currency, found.value.amount_max) == (
        31000,
        "USD",
        None,
    )


def test_no_figure_means_no_stipend(doc):
    assert extract_stipend(doc("There is no teaching duty envisioned.")) is None


def test_salaried_posts_are_employment_and_stipends_are_stipends(doc):
    assert (
        extract_contract(
            doc("**Type of employment:** Temporary position longer than 6 months.")
        ).value
        == "employment"
    )
    assert (
        extract_contract(doc("offering a tax-free stipend of approximately £20,780 per year")).value
        == "stipend"
    )


def test_fees_at_the_uk_rate_are_home_fees(doc):
    assert extract_fees(doc("Tuition fees are covered at the UK rate.")).value == "home"
    assert (
        extract_fees(
            doc(
                "The fee difference will be covered by the University for international applicants."
            )
        ).value
        == "international"
    )
    assert extract_fees(doc("No word on fees.")) is None


def test_teaching_duty_stated_or_denied(doc):
    assert extract_teaching(doc("There is no teaching duty envisioned.")).value is False
    assert (
        extract_teaching(
            doc("It will be extended to five years by assigning teaching duties.")
        ).value
        is True
    )
    assert extract_teaching(doc("with optional paid part-time teaching assistantship")) is None


def test_a_range_with_one_currency_gives_amount_and_maximum(doc):
    found = extract_stipend(doc("Salary: 3,000-3,500 EUR per month gross."))
    assert (
        found.value.amount,
        found.value.amount_max,
        found.value.currency,
        found.value.period,
    ) == (3000, 3500, "EUR", "month")
    found = extract_stipend(doc("The monthly salary is SEK 34,000\u201336,000."))
    assert (found.value.amount, found.value.amount_max, found.value.currency) == (
        34000,
        36000,
        "SEK",
    )


def test_a_currency_code_written_before_the_dollar_sign_wins():
    # Aggregators run labels into values: "Living AllowanceAUD $28,597 per annum".
    found = find_money("Living AllowanceAUD $28,597 per annum")
    assert [(m.amount, m.currency) for m in found] == [(28597.0, "AUD")]


def test_a_dollar_sign_in_canada_is_canadian():
    assert find_money("a stipend of $24,000 per year", country="CA")[0].currency == "CAD"


def test_an_apostrophe_as_thousands_separator_is_read_swiss_style():
    assert parse_amount("54\u2019550") == 54550
    assert find_money("CHF 54\u2019550.- gross per annum")[0].amount == 54550


def test_pay_given_in_two_currencies_is_taken_in_the_places_own(doc):
    found = extract_stipend(
        doc("The monthly salary is EUR 4,000 (approximately DKK 29,800) before tax."),
        country="DK",
    )
    assert (found.value.amount, found.value.currency) == (29800, "DKK")
