"""Stipends as a person writes them, wherever the site shows one (issue 22): the detail
page, the result cards, the feeds; the API keeps the machine values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from positions.serializers import stipend_text
from positions.stipends import money, stipend_line
from tests.factories import PositionFactory


@pytest.mark.parametrize(
    ("amount", "currency", "period", "written"),
    [
        (Decimal("20780.00"), "GBP", "year", "£20,780 a year"),
        (Decimal("2500"), "EUR", "month", "€2,500 a month"),
        (Decimal("35000"), "SEK", "month", "SEK\u00a035,000 a month"),
        (Decimal("54550"), "CHF", "year", "CHF\u00a054,550 a year"),
        (Decimal("31000"), "USD", "year", "$31,000 a year"),
        (Decimal("28597.50"), "AUD", "year", "A$28,597.50 a year"),
        (Decimal("1200000"), "JPY", None, "¥1,200,000"),
        (Decimal("37000"), "INR", "month", "₹37,000 a month"),
        (Decimal("18000"), "", "year", "18,000 a year"),
        (Decimal("400"), "QQQ", "month", "QQQ\u00a0400 a month"),
    ],
)
def test_money_is_written_with_the_currencys_symbol_and_grouping(amount, currency, period, written):
    assert stipend_line(amount, currency, period) == written


def test_a_range_a_pay_scale_and_a_part_time_share_make_one_line():
    line = stipend_line(
        Decimal("2400"), "EUR", "month", amount_max=Decimal("2800"), pay_scale="TV-L E13",
        fte_percent=65,
    )  # fmt: skip

    assert line == "€2,400\u20132,800 a month, TV-L E13, 65% FTE"
    assert (
        money(Decimal("34000"), "SEK", amount_max=Decimal("40000")) == "SEK\u00a034,000\u201340,000"
    )
    assert stipend_line(None, "GBP", "year") == ""


@pytest.mark.django_db
def test_the_detail_page_cards_and_feed_write_the_stipend_and_the_api_keeps_numbers(client):
    position = PositionFactory(
        title="Glacier hydrology studentship",
        stipend_amount=Decimal("20780.00"),
        stipend_currency="GBP",
        stipend_period="year",
        search=True,
    )

    assert stipend_text(position) == "£20,780 a year"
    for url in (f"/positions/{position.pk}/", "/", "/feeds/positions.atom"):
        body = client.get(url).content.decode()
        assert "£20,780 a year" in body, url
        assert "20780.0" not in body and "GBP" not in body.replace('GBP"', ""), url
    record = client.get(f"/api/positions/{position.pk}/").json()
    assert record["stipend"]["amount"] == 20780 and record["stipend"]["currency"] == "GBP"
