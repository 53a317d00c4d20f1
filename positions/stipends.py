"""Money as a person writes it: "£20,780 a year", "€2,500 a month", "SEK 35,000 a month",
"CHF 4,200-4,700 a month". English grouping (the site's language), the currency's English
symbol from CLDR (Babel) where it has one, else its ISO code with a space; whole amounts
without decimals. The API keeps the machine values (amount, currency, period)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.numbers import UnknownCurrencyError, format_decimal, get_currency_symbol

LOCALE = "en"
NBSP = "\u00a0"
PERIODS = {
    "year": "a year",
    "month": "a month",
    "week": "a week",
    "day": "a day",
    "hour": "an hour",
}


@lru_cache(maxsize=256)
def currency_symbol(code: str) -> str:
    """ "£" for GBP, "€" for EUR, "SEK" for SEK ("" for no code)."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    try:
        symbol = str(get_currency_symbol(code, LOCALE))
    except (UnknownCurrencyError, ValueError):
        symbol = code
    # "¤" is CLDR's "no symbol": the code is clearer to a reader.
    return code if symbol in ("", "\u00a4") else symbol


def _number(amount: Decimal | float | int | str) -> str:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    whole = value == value.to_integral_value()
    return str(format_decimal(value, format="#,##0" if whole else "#,##0.00", locale=LOCALE))


def money(
    amount: Decimal | float | int | None,
    currency: str | None,
    *,
    amount_max: Decimal | float | int | None = None,
) -> str:
    """ "£20,780", "SEK 35,000", "€2,400-2,800"; "" without an amount."""
    if amount is None:
        return ""
    number = _number(amount)
    if amount_max is not None and Decimal(str(amount_max)) != Decimal(str(amount)):
        number += "\u2013" + _number(amount_max)
    symbol = currency_symbol(currency or "")
    if not symbol:
        return number
    # A symbol that ends in a letter ("SEK", "CHF", "CA$" does not) is set apart by a space.
    return f"{symbol}{NBSP}{number}" if symbol[-1].isalpha() else f"{symbol}{number}"


def stipend_line(
    amount: Decimal | float | int | None,
    currency: str | None,
    period: str | None = None,
    *,
    amount_max: Decimal | float | int | None = None,
    pay_scale: str | None = None,
    fte_percent: int | None = None,
) -> str:
    """ "£20,780 a year", "€2,400-2,800 a month, TV-L E13, 65% FTE": one short line."""
    parts: list[str] = []
    if amount is not None:
        text = money(amount, currency, amount_max=amount_max)
        if period:
            text += " " + PERIODS.get(period, f"per {period}")
        parts.append(text)
    if pay_scale:
        parts.append(pay_scale)
    if fte_percent is not None and fte_percent != 100:
        parts.append(f"{fte_percent}% FTE")
    return ", ".join(parts)
