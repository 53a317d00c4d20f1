"""Refresh the shipped exchange rates (scrapers/normalize/data/ecb_rates.csv) from the
European Central Bank's daily euro reference rates: a downloaded eurofxref.csv or .zip
(`--file`), or ECB's own URL. Conversions made after it use the new day's rates; stored
positions are converted again when their sources are next scraped."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from scrapers.normalize import currency

ECB_DAILY_ZIP = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"
MAX_BYTES = 1_000_000


def _text_of(data: bytes) -> str:
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [name for name in archive.namelist() if name.endswith(".csv")]
            if not names:
                raise CommandError("the archive holds no CSV file")
            data = archive.read(names[0])
    return data.decode("utf-8-sig")


class Command(BaseCommand):
    help = "Replace the shipped ECB exchange rates with a newer day's."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--file", help="ECB's eurofxref.csv or eurofxref.zip, downloaded")
        parser.add_argument("--out", default=str(currency.RATES_FILE), help="where to write")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"]:
            data = Path(options["file"]).read_bytes()[:MAX_BYTES]
        else:
            import httpx

            response = httpx.get(ECB_DAILY_ZIP, timeout=30, follow_redirects=True)
            response.raise_for_status()
            data = response.content[:MAX_BYTES]
        try:
            rates = currency.parse_ecb_daily(_text_of(data))
        except (ValueError, StopIteration, UnicodeDecodeError, zipfile.BadZipFile) as error:
            raise CommandError(f"not ECB's daily reference rates: {error}") from error
        Path(options["out"]).write_text(currency.rates_file_text(rates), encoding="utf-8")
        currency.shipped_rates.cache_clear()
        self.stdout.write(
            f"{len(rates.per_euro) - 1} rates of {rates.day.isoformat()} written to {options['out']}"
        )
