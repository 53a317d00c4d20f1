"""Recorded pages that do not go stale: their dates move with the calendar.

A recorded page states its deadlines as they were on the day it was recorded. Replayed
months later, every position would be closed. When an entry of a replay index names its
`recorded_on` date, `shift_dates` moves every date the page writes by the days elapsed
since then, in the page's own format: ISO dates and date-times (`2026-03-08`,
`2026-03-08T23:59:59+01:00`, also inside URL-encoded data), day-month-year with a month name (`8 Mar 2026`,
`08.Mar.2026`, `8 March 2026`) and month-day-year (`March 8, 2026`). Weekday names are not
rewritten; a shifted page is a demo, not an archive.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTH_NUMBER = {name.lower(): i + 1 for i, name in enumerate(_MONTHS)}
_MONTH_NUMBER.update({name[:3].lower(): i + 1 for i, name in enumerate(_MONTHS)})
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"  # fmt: skip

# After a digit only when that digit ends a URL escape ("%222026-03-08": embedded data).
_ISO = re.compile(r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![\d-]))(\d{4})-(\d{2})-(\d{2})(?![\d])")
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})([ .\-]){_MONTH}\2(\d{{4}})\b", re.I)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH} (\d{{1,2}}), (\d{{4}})\b", re.I)


def _month_name(original: str, month: int) -> str:
    name = _MONTHS[month - 1]
    if len(original) <= 3 or (len(original) == 4 and original.lower() == "sept"):
        name = name[:3]
    return name.upper() if original.isupper() else name


def _shift(day: dt.date, days: int) -> dt.date | None:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def shift_dates(text: str, days: int) -> str:
    """`text` with every date it writes moved by `days` (0 leaves it as it is)."""
    if days == 0 or not text:
        return text

    def iso(match: re.Match[str]) -> str:
        try:
            moved = _shift(dt.date(*map(int, match.groups())), days)
        except ValueError:
            return match.group(0)
        return moved.isoformat() if moved else match.group(0)

    def day_month_year(match: re.Match[str]) -> str:
        day_text, separator, month_text, year_text = match.groups()
        month = _MONTH_NUMBER.get(
            month_text.lower()[:3] if len(month_text) > 3 else month_text.lower()
        )
        try:
            moved = _shift(dt.date(int(year_text), month or 0, int(day_text)), days)
        except ValueError:
            return match.group(0)
        if moved is None:
            return match.group(0)
        day = f"{moved.day:02d}" if len(day_text) == 2 else str(moved.day)
        return f"{day}{separator}{_month_name(month_text, moved.month)}{separator}{moved.year}"

    def month_day_year(match: re.Match[str]) -> str:
        month_text, day_text, year_text = match.groups()
        month = _MONTH_NUMBER.get(
            month_text.lower()[:3] if len(month_text) > 3 else month_text.lower()
        )
        try:
            moved = _shift(dt.date(int(year_text), month or 0, int(day_text)), days)
        except ValueError:
            return match.group(0)
        if moved is None:
            return match.group(0)
        return f"{_month_name(month_text, moved.month)} {moved.day}, {moved.year}"

    text = _ISO.sub(iso, text)
    text = _DAY_MONTH_YEAR.sub(day_month_year, text)
    return _MONTH_DAY_YEAR.sub(month_day_year, text)


def days_since(recorded_on: str, today: dt.date | None = None) -> int:
    """Days from the recording date (YYYY-MM-DD) to today; 0 when it is not a date."""
    try:
        recorded = dt.date.fromisoformat(recorded_on)
    except (TypeError, ValueError):
        return 0
    return ((today or dt.date.today()) - recorded).days
