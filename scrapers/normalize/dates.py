"""Dates: the deadline (date, time, zone, kind), the start date and the duration.

Common formats are read with our own regular expressions ("9 January 2026", "January 9,
2026", "31/01/2025", "2025-01-31", "March 8", "8th of March", "August 2020", "autumn
2026"); dateparser is only the last resort for a labelled value nothing else understood.
A date without a year takes it from the same day written in full elsewhere on the page,
else from the posting date (the first such day on or after it), else from today.
"""

from __future__ import annotations

import calendar
import functools
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from scrapers.normalize.lexicon import (
    APPLICATION_PERIOD_LABELS,
    DEADLINE_CUES_STRONG,
    DEADLINE_CUES_WEAK,
    DEADLINE_LABELS,
    SEASONS,
    START_CUES,
    foreign_month_names,
)
from scrapers.normalize.text import Doc

log = logging.getLogger(__name__)

_MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    _MONTH_NAMES[calendar.month_name[_number].lower()] = _number
    _MONTH_NAMES[calendar.month_abbr[_number].lower()] = _number
_MONTH_NAMES.update(
    {
        "sept": 9,
        "januar": 1,
        "februar": 2,
        "märz": 3,
        "maerz": 3,
        "mai": 5,
        "juni": 6,
        "juli": 7,
        "oktober": 10,
        "dezember": 12,
        "janvier": 1,
        "février": 2,
        "avril": 4,
        "juin": 6,
        "juillet": 7,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "décembre": 12,
    }
)
_MONTH_NAMES.update(
    {name: number for name, number in foreign_month_names().items() if name not in _MONTH_NAMES}
)
_LOWER_CASE_WORDS = {"may", "mar", "march"}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12, **SEASONS}
_SEASON_NAMES = "|".join(
    f"[{re.escape(name[0].upper())}{re.escape(name[0])}]{re.escape(name[1:])}"
    for name in sorted(_SEASONS, key=len, reverse=True)
)


def _month_alternation() -> str:
    names = sorted(_MONTH_NAMES, key=len, reverse=True)
    variants: list[str] = []
    for name in names:
        variants.append(re.escape(name.capitalize()))
        variants.append(re.escape(name.upper()))
        if name not in _LOWER_CASE_WORDS:
            # French, Spanish, Italian, Portuguese, Dutch and the Nordic languages write
            # months in lower case ("22 mai 2020", "1. september 2026"); the English month
            # names that are also words ("may", "march") count only capitalised.
            variants.append(re.escape(name))
    return "|".join(variants)


def _month_initials() -> str:
    letters = {name[0] for name in (*_MONTH_NAMES, *_SEASONS)}
    return re.escape("".join(sorted(letters | {c.upper() for c in letters})))


_M = rf"(?:{_month_alternation()})\.?"
_D = r"(?:[12][0-9]|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th|er|\.?º|°|ª)?"  # "1st", "1er", "1º de março", "1° ottobre"
_Y = r"(?:19|20)\d\d"
# Words joining the first and last month of a range ("julho a setembro de 2021", "mai à
# juillet 2026", "June or July 2026"): the mention is its first month.
_MONTH_RANGE = r"or|to|a|à|au|al|bis|till|until|through|hasta|até|ou|o|oder|eller|tot"
_DATE = re.compile(
    rf"""
    # Every branch starts with a digit or a month or season letter: other positions fail fast.
    (?<!\w)(?=[\d{_month_initials()}])
    (?:
    (?P<iso>(?P<iy>{_Y})-(?P<im>0?[1-9]|1[0-2])-(?P<id>{_D}))(?![\d:])
  | (?P<ymd>(?P<ky>{_Y})(?P<ksep>[./])\s?(?P<km>0?[1-9]|1[0-2])(?P=ksep)\s?(?P<kd>{_D}))(?![\d/])
  | (?P<dmy>(?P<a_d>{_D}){_ORD}(?:\.?(?:\s+(?:of|de|del))?[\s-]+|\.(?=[A-Za-z]))(?P<a_m>{_M})(?:,?(?:\s+(?:de|del))?[\s-]+|(?<=\.))(?P<a_y>{_Y}))\b
  | (?P<mdy>(?P<b_m>{_M})\s+(?P<b_d>{_D}){_ORD},?\s+(?P<b_y>{_Y}))\b
  | (?P<num>(?<![\d/.])(?P<n1>\d{{1,2}})[/.](?P<n2>\d{{1,2}})[/.](?P<n3>{_Y}))(?![\d/])
  | (?P<dm>(?P<c_d>{_D}){_ORD}\.?(?:\s+(?:of|de|del))?\s+(?P<c_m>{_M}))(?![\w-])
  | (?P<md>(?P<e_m>{_M})\s+(?P<e_d>{_D}){_ORD})(?![\w:.,]?\d)(?!\w)
  | (?P<my>(?P<f_m>{_M})(?:\s*(?:/|-|\u2013|\b(?:{_MONTH_RANGE})\b)\s*{_M})?,?(?:\s+(?:de|del|of))?\s+(?P<f_y>{_Y}))\b
  | (?P<sy>(?P<g_s>{_SEASON_NAMES})(?:\s+(?:semester|term|quarter))?(?:\s+(?:of|de|del|di))?\s+(?P<g_y>{_Y}))\b
  | (?P<ys>(?P<h_y>{_Y})\s+(?P<h_s>{_SEASON_NAMES}))(?=\s+(?:semester|term|quarter|intake|session|admissions?|entry)\b)
    )
    """,
    re.X,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int
    day: int | None  # None: the text names only a month (or a season)

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month"

    def resolve(self, year: int) -> date | None:
        try:
            return date(year, self.month, self.day or 1)
        except ValueError:
            return None


def _month(name: str) -> int:
    return _MONTH_NAMES.get(name.rstrip(".").lower(), 0)


def find_dates(text: str, *, day_first: bool = True) -> list[DateMention]:
    """Every date-like mention in the text, in order."""
    return list(_find_dates(text, day_first))


def clear_cache() -> None:
    _find_dates.cache_clear()


@functools.lru_cache(maxsize=1024)
def _find_dates(text: str, day_first: bool) -> tuple[DateMention, ...]:
    # Cached: the deadline, start and reference rules read the same sentences.
    found: list[DateMention] = []
    for match in _DATE.finditer(text):
        group = match.lastgroup
        g = match.group
        year: int | None
        day: int | None
        try:
            if match.group("iso"):
                year, month, day = int(g("iy")), int(g("im")), int(g("id"))
            elif match.group("ymd"):
                year, month, day = int(g("ky")), int(g("km")), int(g("kd"))
            elif match.group("dmy"):
                year, month, day = int(g("a_y")), _month(g("a_m")), int(g("a_d"))
            elif match.group("mdy"):
                year, month, day = int(g("b_y")), _month(g("b_m")), int(g("b_d"))
            elif match.group("num"):
                first, second, year = int(g("n1")), int(g("n2")), int(g("n3"))
                if first > 12 or (day_first and second <= 12):
                    day, month = first, second
                else:
                    month, day = first, second
            elif match.group("dm"):
                year, month, day = None, _month(g("c_m")), int(g("c_d"))
            elif match.group("md"):
                year, month, day = None, _month(g("e_m")), int(g("e_d"))
            elif match.group("my"):
                year, month, day = int(g("f_y")), _month(g("f_m")), None
            elif match.group("sy"):
                year, month, day = int(g("g_y")), _SEASONS[g("g_s").lower()], None
            elif match.group("ys"):
                year, month, day = int(g("h_y")), _SEASONS[g("h_s").lower()], None
            else:  # pragma: no cover - the regex has no other branch
                continue
        except (TypeError, ValueError, KeyError):
            log.debug("unreadable date group %s in %r", group, match.group(0))
            continue
        if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            continue
        found.append(DateMention(match.start(), match.end(), match.group(0), year, month, day))
    return tuple(found)


def parse_date(text: str, *, reference: date | None = None) -> date | None:
    """The first date in a short string ("9 January 2026", "March 8"), its year resolved."""
    for mention in find_dates(text):
        if mention.day is None:
            continue
        resolved = resolve_year(mention, reference=reference, known=[])
        if resolved:
            return resolved
    return None


def parse_iso_datetime(value: str) -> date | None:
    """Front matter and JSON-LD dates: "2015-04-20 12:00:00", "2016-01-13T16:24:05+00:00"."""
    match = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def resolve_year(mention: DateMention, *, reference: date | None, known: list[date]) -> date | None:
    """A date for a mention; a missing year comes from the page's full dates or the reference."""
    if mention.year is not None:
        return mention.resolve(mention.year)
    same_day = [d for d in known if d.month == mention.month and d.day == (mention.day or d.day)]
    if same_day:
        return mention.resolve(same_day[0].year)
    if reference is None:
        return None
    candidate = mention.resolve(reference.year)
    if candidate is None:
        return None
    if candidate < reference:
        candidate = mention.resolve(reference.year + 1) or candidate
    return candidate


def reference_date(doc: Doc, today: date | None) -> tuple[date | None, str]:
    """The posting date (front matter, JSON-LD, labels, URL path) or today."""
    for key in ("datePosted", "datePublished", "posted", "date", "published", "pubDate", "created"):
        value = doc.meta_text(key)
        if value:
            parsed = parse_iso_datetime(value)
            if parsed:
                return parsed, f"meta {key}: {value}"
    for key, value in doc.fields.items():
        if re.search(r"\b(posted|published|date)\b", key) and not re.search(
            r"deadline|clos|start", key
        ):
            parsed = parse_date(value)
            if parsed:
                return parsed, f"{key}: {value}"
    match = re.search(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/", doc.url)
    if match:
        return date(int(match.group(1)), int(match.group(2)), 1), f"url {match.group(0)}"
    page_year = _page_year(doc)
    if page_year is not None:
        return date(page_year, 1, 1), f"year of the page's other dates: {page_year}"
    if today is not None:
        return today, "today"
    return None, ""


def _page_year(doc: Doc) -> int | None:
    """The year the advert's dated mentions ("August 2020", "March 8, 2020") agree on."""
    years: dict[int, int] = {}
    for mention in find_dates(doc.all_text):
        if mention.year is not None:
            years[mention.year] = years.get(mention.year, 0) + 1
    if not years:
        return None
    return max(years, key=lambda year: (years[year], year))


# --- cues the deadline and start rules share ---------------------------------------------

_DEADLINE_CUE = re.compile(
    r"\b(?P<strong>deadlines?|closing date|closes|close on|applications? close|due date|apply by|apply before|"
    r"last (?:date|day) (?:for|of|to)|"
    r"application period ends|applications? (?:must|should) (?:be )?(?:received|submitted|sent)|"
    r"(?:received|submitted|apply|applications?)\s+(?:by|before|until|no later than)|"
    r"full consideration|(?:is|are) due(?: on| by)?|due (?:on|by)|" + DEADLINE_CUES_STRONG + "|"
    r"(?:review|screening|evaluation|consideration) of (?:the )?applications (?:will )?(?:begin|start|commence)s?(?: on)?|"
    r"applications will be (?:reviewed|considered) (?:starting|beginning|from))\b"
    r"|\b(?P<weak>no later than|not later than|by|before|until|" + DEADLINE_CUES_WEAK + r")\b",
    re.I,
)
_START_CUE = re.compile(
    r"\b(start(?:s|ing|ed)?(?!\s+(?:salary|salaries|pay|wage|stipend|level|grade|point|rate))|begin(?:s|ning)?|commenc(?:e|es|ing|ement)|first day of employment|"
    r"entry|register for|join (?:the|us|our|my|a)|available from|(?:fall|autumn|spring) (?:\d{4} )?(?:admission|intake)|"
    r"employment (?:date|period)|" + START_CUES + r")\b",
    re.I,
)
_START_WORD = re.compile(r"\b(start|begin|commenc|first day|" + START_CUES + ")", re.I)
_DEADLINE_FIELD = (
    r"deadline",
    r"closing date|closes|close date|applications? close|apply by|application period|"
    r"last (?:\w+ )?(?:date|day)|frist|"
    r"period of the call|call period|call closes|submission period|application period|"
    + APPLICATION_PERIOD_LABELS,
    DEADLINE_LABELS,
    r"valid ?through|expir",
)
_START_FIELD = (
    r"start|first day of employment|commenc|begin|entry date|employment date|intake|entry",
)


def _full_dates(doc: Doc) -> list[date]:
    found: list[date] = []
    for mention in find_dates(doc.all_text):
        if mention.year is not None and mention.day is not None:
            resolved = mention.resolve(mention.year)
            if resolved:
                found.append(resolved)
    for value in doc.fields.values():
        for mention in find_dates(value):
            if mention.year is not None and mention.day is not None:
                resolved = mention.resolve(mention.year)
                if resolved:
                    found.append(resolved)
    return found


def today_or(value: date | None) -> date:
    return value or datetime.now().date()
