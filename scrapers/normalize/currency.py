"""Stipends in one display currency: euros a year, at dated ECB reference rates.

The rates are data shipped in the repository (data/ecb_rates.csv: the European Central
Bank's euro foreign exchange reference rates of one day, with that day and the source in
its header), so a conversion is reproducible and says which day's rate it used.
`manage.py exchange_rates` replaces the file with a newer day's rates (ECB's daily
eurofxref CSV, from a file or downloaded); tests read the shipped file.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from scrapers.normalize.text import Found, evidence

RATES_FILE = Path(__file__).with_name("data") / "ecb_rates.csv"
SOURCE = "European Central Bank, euro foreign exchange reference rates"
# A stipend converted from a monthly amount is this many months' worth a year.
MONTHS = 12
# Amounts outside this range (euros a year) are not a stipend or salary: no conversion.
PLAUSIBLE_EUR_YEAR = (1_000, 500_000)


@dataclass(frozen=True)
class Rates:
    day: dt.date
    per_euro: dict[str, float]  # units of the currency one euro buys


def parse_rates_file(text: str) -> Rates:
    """The shipped file: '# date: YYYY-MM-DD' header lines, then currency,per_euro rows."""
    day: dt.date | None = None
    rows: list[str] = []
    for line in text.splitlines():
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if key.strip() == "date":
                day = dt.date.fromisoformat(value.strip())
        elif line.strip():
            rows.append(line)
    if day is None:
        raise ValueError("the rates file names no date")
    per_euro = {"EUR": 1.0}
    for row in csv.DictReader(rows):
        per_euro[row["currency"].strip().upper()] = float(row["per_euro"])
    return Rates(day, per_euro)


def parse_ecb_daily(text: str) -> Rates:
    """ECB's daily eurofxref.csv: 'Date, USD, JPY, ...' then '30 October 2026, 1.1172, ...'."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    header, values = next(reader), next(reader)
    day = dt.datetime.strptime(values[0].strip(), "%d %B %Y").date()
    per_euro = {"EUR": 1.0}
    for currency, value in zip(header[1:], values[1:], strict=False):
        currency, value = currency.strip().upper(), value.strip()
        if len(currency) == 3 and currency.isalpha() and value and value != "N/A":
            per_euro[currency] = float(value)
    if len(per_euro) < 10:
        raise ValueError("not an ECB reference rates file")
    return Rates(day, per_euro)


def rates_file_text(rates: Rates) -> str:
    lines = [
        f"# source: {SOURCE} (https://www.ecb.europa.eu/stats/eurofxref/)",
        f"# date: {rates.day.isoformat()}",
        "# per_euro: units of the currency one euro buys on that day",
        "currency,per_euro",
    ]
    lines += [f"{code},{rate}" for code, rate in sorted(rates.per_euro.items()) if code != "EUR"]
    return "\n".join(lines) + "\n"


@functools.cache
def shipped_rates() -> Rates:
    return parse_rates_file(RATES_FILE.read_text(encoding="utf-8"))


def yearly_eur(
    amount: float | None, currency: str | None, period: str | None, *, rates: Rates | None = None
) -> Found[int] | None:
    """The amount in euros a year (rounded), with the rate and its day as evidence; None
    when the amount, its currency's rate or its period is unknown."""
    if amount is None or not currency or period not in ("year", "month"):
        return None
    rates = rates or shipped_rates()
    rate = rates.per_euro.get(currency.upper())
    if not rate:
        return None
    yearly = amount * (MONTHS if period == "month" else 1) / rate
    if not PLAUSIBLE_EUR_YEAR[0] <= yearly <= PLAUSIBLE_EUR_YEAR[1]:
        return None
    snippet = (
        f"{amount:g} {currency.upper()} a {period} at 1 EUR = {rate:g} {currency.upper()}"
        f" (ECB reference rate of {rates.day.isoformat()})"
    )
    return Found(round(yearly), evidence(snippet, "converted_ecb_rate", 0.9))
