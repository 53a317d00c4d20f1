"""`manage.py exchange_rates` replaces the shipped ECB rates with a newer day's file."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from scrapers.normalize.currency import parse_rates_file, yearly_eur

DAILY = (
    "Date, USD, JPY, GBP, CHF, SEK, NOK, DKK, PLN, CZK, AUD, CAD, \n"
    "4 December 2026, 1.1000, 170.00, 0.80000, 0.9300, 11.0000, 11.5000, 7.4600, 4.3000,"
    " 24.500, 1.6000, 1.5500, \n"
)


@pytest.mark.parametrize("packed", [False, True])
def test_a_daily_file_becomes_the_rates_file(tmp_path, packed):
    source = tmp_path / ("eurofxref.zip" if packed else "eurofxref.csv")
    if packed:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("eurofxref.csv", DAILY)
        source.write_bytes(buffer.getvalue())
    else:
        source.write_text(DAILY)
    out = tmp_path / "rates.csv"
    output = io.StringIO()

    call_command("exchange_rates", file=str(source), out=str(out), stdout=output)

    assert "11 rates of 2026-12-04" in output.getvalue()
    rates = parse_rates_file(out.read_text())
    assert rates.day.isoformat() == "2026-12-04" and rates.per_euro["GBP"] == 0.8
    assert "European Central Bank" in out.read_text()
    assert yearly_eur(20_000, "GBP", "year", rates=rates).value == 25_000


def test_a_file_that_is_not_ecb_rates_is_refused(tmp_path):
    source = tmp_path / "page.html"
    source.write_text("<html>not rates</html>")
    with pytest.raises(CommandError):
        call_command("exchange_rates", file=str(source), out=str(tmp_path / "rates.csv"))
    assert not (tmp_path / "rates.csv").exists()
