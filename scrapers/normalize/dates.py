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
from dataclasses import dataclass, field
from datetime import date, datetime

from scrapers.normalize.lexicon import (
    APPLYING_WORDS,
    DEADLINE_CUES_STRONG,
    DEADLINE_CUES_WEAK,
    DEADLINE_LABELS,
    DURATION_FOR,
    MONTH_UNITS,
    NUMBER_WORDS,
    SEASONS,
    START_CUES,
    YEAR_UNITS,
    foreign_month_names,
)
from scrapers.normalize.text import Doc, Found, evidence, snippet_around, squash
from scrapers.records import DeadlineKind, Evidence

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
_ENGLISH_MONTHS = (
    {calendar.month_name[n].lower() for n in range(1, 13)}
    | {calendar.month_abbr[n].lower() for n in range(1, 13)}
    | {"sept"}
)
_MONTH_NAMES.update(
    {name: number for name, number in foreign_month_names().items() if name not in _MONTH_NAMES}
)
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
        if name not in _ENGLISH_MONTHS:
            # French, Spanish, Italian, Portuguese and the Nordic languages write months in
            # lower case ("22 mai 2020"); English month names in lower case are words ("may").
            variants.append(re.escape(name))
    return "|".join(variants)


def _month_initials() -> str:
    letters = {name[0] for name in (*_MONTH_NAMES, *_SEASONS)}
    return re.escape("".join(sorted(letters | {c.upper() for c in letters})))


_M = rf"(?:{_month_alternation()})\.?"
_D = r"(?:[12][0-9]|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th|er)?"
_Y = r"(?:19|20)\d\d"
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
  | (?P<dm>(?P<c_d>{_D}){_ORD}\.?(?:\s+of)?\s+(?P<c_m>{_M}))(?![\w-])
  | (?P<md>(?P<e_m>{_M})\s+(?P<e_d>{_D}){_ORD})(?![\w:.,]?\d)(?!\w)
  | (?P<my>(?P<f_m>{_M})(?:\s*(?:/|or|-|\u2013|to)\s*{_M})?,?\s+(?P<f_y>{_Y}))\b
  | (?P<sy>(?P<g_s>{_SEASON_NAMES})(?:\s+(?:semester|term|quarter))?(?:\s+(?:of|de|del|di))?\s+(?P<g_y>{_Y}))\b
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


# --- deadline -------------------------------------------------------------------------------

_ROLLING = re.compile(
    r"until (?:the |a |an |all )?(?:positions? |posts? |vacanc(?:y|ies) |places? |roles? |they |it )?"
    r"(?:is |are |has been |have been |gets |get )?filled"
    r"|open until filled|until filled"
    r"|until (?:a )?suitable candidates? (?:is|are|has been|have been) (?:found|identified|appointed)"
    r"|reviewed (?:continuously|on a rolling basis|as they arrive|as received)"
    r"|(?:continuous|rolling) (?:basis|review|recruitment|admission)"
    r"|review of applications (?:will )?(?:begin|start)s? immediately"
    r"|no (?:application |fixed |closing )?deadline"
    r"|(?:accepted|considered|reviewed|received|welcome) (?:all year(?: round)?|year[- ]round|throughout the year|at any time)"
    r"|(?:open|accepted|considered) until (?:the )?(?:position|post) is filled",
    re.I,
)
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
    r"period of the call|call period|call closes|submission period",
    DEADLINE_LABELS,
    r"valid ?through|expir",
)
_START_FIELD = (
    r"start|first day of employment|commenc|begin|entry date|employment date|intake|entry",
)
_EXPIRED = re.compile(r"^\s*(expired|closed|no longer (?:open|available)|ended)\b", re.I)
_TIME = re.compile(
    r"(?<!\d)(?P<h>2[0-3]|[01]?\d)(?:[:.h](?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?|h\b|hrs\b|uhr\b)?"
    r"|\b(?P<midnight>midnight|noon)\b",
    re.I,
)
_ZONE = re.compile(
    r"\b(CET|CEST|GMT|BST|UTC|EET|EEST|WET|WEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AEST|AEDT|"
    r"ACST|AWST|NZST|NZDT|JST|KST|SGT|HKT|IST)\b(?:\s*/\s*[A-Z]{3,4})?|UTC\s*[+-]\s*\d{1,2}",
)


@dataclass
class DeadlineResult:
    deadline: str | None = None
    time: str | None = None
    timezone: str | None = None
    kind: DeadlineKind = "unknown"
    evidence: Evidence | None = None
    contradictions: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Candidate:
    value: date
    confidence: float
    rule: str
    snippet: str
    mention: DateMention | None = None
    source_text: str = ""
    full: bool = True  # written with its year


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


def _time_after(text: str, position: int) -> tuple[str | None, str | None]:
    """A time of day and zone written right after a deadline date ("17:00 h (CET)")."""
    window = text[position : position + 40]
    window = re.split(r"[.;]\s|\n", window, maxsplit=1)[0]
    hour: str | None = None
    for match in _TIME.finditer(window):
        if match.group("midnight"):
            hour = "23:59" if match.group("midnight").lower() == "midnight" else "12:00"
            break
        if match.group("min") is None and match.group("ampm") is None:
            continue
        h = int(match.group("h"))
        ampm = (match.group("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and h < 12:
            h += 12
        if ampm == "am" and h == 12:
            h = 0
        hour = f"{h:02d}:{match.group('min') or '00'}"
        break
    zone_match = _ZONE.search(text[position : position + 80])
    zone = squash(zone_match.group(0)) if zone_match else None
    return hour, zone


def _cue_before(sentence: str, offset: int) -> re.Match[str] | None:
    """The deadline cue nearest before a date in the same sentence (not one for a start)."""
    # Only the last 200 characters can hold the cue: a cue further away is not "before" it,
    # and a long run-on sentence stays linear.
    cues = list(_DEADLINE_CUE.finditer(sentence, max(0, offset - 200), offset))
    # The nearest cue first; a weak one ("by") that does not hold gives way to a strong one
    # before it: "must be submitted online, by 12:00 (noon, local time) on 27 May".
    for best in reversed(cues):
        between = sentence[best.end() : offset]
        if _START_WORD.search(between) or len(between) > 90:
            return None
        if not best.group("weak"):
            return best
        # "no later than 1 September" is a deadline only in a sentence about applying, and
        # only when no start cue comes before it. A time of day or a remark in brackets
        # between the cue and the date ("by 5pm (local time) on") does not count.
        before = sentence[max(0, best.start() - 60) : best.start()]
        core = _TIME_OR_REMARK.sub("", between)
        if _START_CUE.search(before) or len(core) > 25:
            continue
        around = sentence[max(0, offset - 300) : offset + 100]
        if not re.search(APPLYING_WORDS, around, re.I):
            continue
        return best
    return None


_TIME_OR_REMARK = re.compile(
    r"\([^)]{0,60}\)|\b\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\.?|h\b|hrs\b|uhr\b)?|\b(?:noon|midnight)\b",
    re.I,
)


def deadline_candidates(doc: Doc, reference: date | None) -> list[_Candidate]:
    known = _full_dates(doc)
    candidates: list[_Candidate] = []

    def add(mention: DateMention, confidence: float, rule: str, snippet: str) -> None:
        if mention.day is None:
            return
        resolved = resolve_year(mention, reference=reference, known=known)
        if resolved is None:
            return
        candidates.append(
            _Candidate(
                resolved,
                confidence if mention.year else confidence - 0.1,
                rule if mention.year else f"{rule}+year_inferred",
                snippet,
                mention,
                full=mention.year is not None,
            )
        )

    for key, value in doc.fields.items():
        if any(re.search(pattern, key) for pattern in _DEADLINE_FIELD):
            mentions = find_dates(value)
            # "from 06 March 2019 until 20 April 2019": a period ends on its deadline.
            if len(mentions) > 1 and re.search(
                r"period|from\b.{0,40}\b(?:until|to|till)\b", f"{key} {value}", re.I
            ):
                mentions = mentions[-1:]
            mentions = mentions[:1]
            for mention in mentions:
                add(mention, 0.95, "label_deadline", f"{key}: {value}")
            if not mentions:
                parsed = _dateparser_fallback(value, reference)
                if parsed:
                    candidates.append(
                        _Candidate(parsed, 0.8, "label_deadline_dateparser", f"{key}: {value}")
                    )
    for title_mention in find_dates(doc.title):
        cue = _cue_before(doc.title, title_mention.start)
        if cue and cue.group("strong"):
            add(title_mention, 0.85, "title_deadline", doc.title)
    for start, _end, sentence in doc.sentences:
        mentions = find_dates(sentence)
        for mention in mentions:
            cue = _cue_before(sentence, mention.start)
            if cue is None:
                continue
            strong = bool(cue.group("strong"))
            soft = bool(re.search(r"consideration|review|screening|evaluation", cue.group(0), re.I))
            rule = "sentence_soft_deadline" if soft else "sentence_deadline"
            add(mention, 0.9 if strong else 0.6, rule, sentence)
            _ = start
    return candidates


def _dateparser_fallback(value: str, reference: date | None) -> date | None:
    """The slow general parser, only for a labelled date our patterns did not read."""
    if not re.search(r"\d", value) or len(value) > 80 or _EXPIRED.search(value):
        return None
    try:
        import dateparser

        settings: dict[str, object] = {
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month"],
        }
        if reference is not None:
            settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
        parsed = dateparser.parse(value, settings=settings)
    except Exception:  # dateparser raises a variety of errors on odd input
        log.debug("dateparser could not read %r", value)
        return None
    return parsed.date() if parsed else None


def extract_deadline(doc: Doc, *, today: date | None = None) -> DeadlineResult:
    reference, reference_rule = reference_date(doc, today)
    result = DeadlineResult()
    expired_label: tuple[str, str] | None = None
    for key, value in doc.fields.items():
        if any(re.search(pattern, key) for pattern in _DEADLINE_FIELD) and _EXPIRED.search(value):
            expired_label = (key, value)
    candidates = deadline_candidates(doc, reference)
    rolling = _ROLLING.search(doc.all_text)

    meta_value = doc.meta_text("deadline", "closes", "validThrough", "closing_date", "expires")
    meta_date = parse_iso_datetime(meta_value) if meta_value else None
    if meta_value and meta_date is None:
        meta_date = parse_date(meta_value, reference=reference)

    if rolling and candidates and max(c.confidence for c in candidates) < 0.8:
        candidates = []
    if candidates:
        best = max(candidates, key=lambda c: (c.confidence, c.full, -_position(c)))
        if not best.full and reference_rule.startswith("year of the page"):
            # Without a posting date, a year-less deadline comes before the start it is for.
            start = extract_start(doc, today=today).start_date
            if start and best.value.isoformat() >= start:
                earlier = _previous_year(best.value)
                if earlier:
                    best = _Candidate(
                        earlier, best.confidence, best.rule, best.snippet, best.mention, full=False
                    )
        result.deadline = best.value.isoformat()
        result.kind = "fixed"
        rule = best.rule
        if best.mention is not None:
            source = best.snippet
            offset = source.find(best.mention.text)
            if offset != -1:
                result.time, result.timezone = _time_after(source, offset + len(best.mention.text))
        others = {c.value for c in candidates if c.confidence >= 0.8} - {best.value}
        if others:
            result.contradictions.append(
                {
                    "field": "deadline",
                    "chosen": result.deadline,
                    "other": ", ".join(sorted(d.isoformat() for d in others)),
                    "why": f"took the {rule} date, the most explicit statement",
                }
            )
        if meta_date and meta_date != best.value:
            result.contradictions.append(
                {
                    "field": "deadline",
                    "chosen": result.deadline,
                    "other": meta_date.isoformat(),
                    "why": "the advert's own text wins over the listing's closing date",
                }
            )
        if expired_label:
            result.contradictions.append(
                {
                    "field": "deadline",
                    "chosen": result.deadline,
                    "other": f"{expired_label[0]}: {expired_label[1]}",
                    "why": "the page labels the advert expired but states a date; the date is kept",
                }
            )
        if rolling:
            rule += "+then_rolling"
        result.evidence = evidence(best.snippet, rule, best.confidence)
        return result
    if rolling:
        result.kind = "rolling"
        result.evidence = evidence(
            snippet_around(doc.all_text, rolling.start(), rolling.end()), "sentence_rolling", 0.85
        )
        return result
    if meta_date:
        result.deadline = meta_date.isoformat()
        result.kind = "fixed"
        result.evidence = evidence(f"{meta_value}", "meta_deadline", 0.6)
        return result
    month_only = _month_only_deadline(doc, reference)
    if month_only:
        result.deadline = month_only.value
        result.kind = "fixed"
        result.evidence = month_only.evidence
        return result
    if expired_label:
        result.kind = "unknown"
        result.evidence = evidence(f"{expired_label[0]}: {expired_label[1]}", "label_expired", 0.5)
    return result


def _previous_year(value: date) -> date | None:
    try:
        return value.replace(year=value.year - 1)
    except ValueError:
        return None


def _position(candidate: _Candidate) -> int:
    return candidate.mention.start if candidate.mention else 0


def _month_only_deadline(doc: Doc, reference: date | None) -> Found[str] | None:
    """ "The deadline is in January": the last day of that month, flagged as inferred."""
    month_names = "|".join(calendar.month_name[i] for i in range(1, 13))
    match = re.search(
        rf"deadline (?:is|will be)? ?(?:in|at the end of|by the end of|end of) ({month_names})"
        rf"(?:\s+({_Y}))?",
        doc.all_text,
        re.I,
    )
    if not match:
        return None
    month = _month(match.group(1))
    if match.group(2):
        year = int(match.group(2))
    elif reference is not None:
        year = reference.year + (1 if month < reference.month else 0)
    else:
        return None
    day = calendar.monthrange(year, month)[1]
    return Found(
        date(year, month, day).isoformat(),
        evidence(
            snippet_around(doc.all_text, match.start(), match.end()),
            "sentence_month_only_deadline",
            0.4,
        ),
    )


# --- start date -----------------------------------------------------------------------------

_ASAP = re.compile(r"\b(as soon as possible|asap|immediately|at the earliest)\b", re.I)


@dataclass
class StartResult:
    start_date: str | None = None
    text: str | None = None
    evidence: Evidence | None = None


def _start_from_value(
    value: str, reference: date | None, known: list[date]
) -> tuple[date, DateMention] | None:
    for mention in find_dates(value):
        resolved = resolve_year(mention, reference=reference, known=known)
        if resolved:
            return resolved, mention
    return None


def extract_start(doc: Doc, *, today: date | None = None) -> StartResult:
    reference, _ = reference_date(doc, today)
    known = _full_dates(doc)
    for key, value in doc.fields.items():
        if any(re.search(pattern, key) for pattern in _START_FIELD) and "deadline" not in key:
            found = _start_from_value(value, reference, known)
            if found:
                return StartResult(
                    found[0].isoformat(),
                    squash(value),
                    evidence(f"{key}: {value}", "label_start", 0.9),
                )
            if _ASAP.search(value):
                return StartResult(
                    None, squash(value), evidence(f"{key}: {value}", "label_start_asap", 0.7)
                )
    for _start, _end, sentence in doc.sentences:
        for cue in _START_CUE.finditer(sentence):
            # "Review of applications will begin on ...", "interviews start ...": not the job.
            if re.match(r"(?i:begin|start|commenc)", cue.group(0)) and re.search(
                r"(?:review|screening|evaluation|interviews?|applications?|selection|call)\W+(?:\w+\W+){0,3}$",
                sentence[max(0, cue.start() - 50) : cue.start()],
                re.I,
            ):
                continue
            tail = sentence[cue.start() : cue.end() + 120]
            mentions = find_dates(tail)
            if not mentions:
                continue
            mention = mentions[0]
            if (
                len(mentions) > 1
                and re.match(r"(?i:spring|summer|autumn|fall|winter)", mention.text)
                and re.fullmatch(r"\s*[(,/-]?\s*", tail[mention.end : mentions[1].start])
            ):
                # "Fall 2026 (August 2026)": the month the advert spells out beats the season.
                mention = mentions[1]
            between = tail[: mention.start]
            if _DEADLINE_CUE.search(between) and re.search(
                r"deadline|closing|\bdue\b", between, re.I
            ):
                continue
            resolved = resolve_year(mention, reference=reference, known=known)
            if resolved is None:
                continue
            rule = "sentence_start" if mention.year else "sentence_start+year_inferred"
            return StartResult(
                resolved.isoformat(),
                squash(tail[: mention.end + 40]),
                evidence(sentence, rule, 0.8 if mention.year else 0.6),
            )
    # "for the July 2026 session", "the September 2026 intake", "Fall 2026 admission".
    for _start, _end, sentence in doc.sentences:
        for mention in find_dates(sentence):
            if mention.year is None or not re.match(
                r"\s+(?:session|intake|entry|cohort|admissions?|semester|term|enrol?ment)\b",
                sentence[mention.end : mention.end + 20],
                re.I,
            ):
                continue
            resolved = mention.resolve(mention.year)
            if resolved:
                return StartResult(
                    resolved.isoformat(),
                    squash(sentence[mention.start : mention.end + 20]),
                    evidence(sentence, "sentence_intake", 0.7),
                )
    return StartResult()


# --- duration ----------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty-six": 36,
    "forty-eight": 48,
}
_NUM = (
    r"(?:\d{1,2}(?:[.,]5)?|"
    + "|".join(sorted({**_NUMBER_WORDS, **NUMBER_WORDS}, key=len, reverse=True))
    + r")(?:\s+and\s+a\s+half)?"
)
_DURATION = re.compile(
    rf"\b(?P<n>{_NUM})[\s-]*(?P<unit>years?|yrs?|months?|{YEAR_UNITS}|{MONTH_UNITS})\b(?:[\s-]+(?P<noun>[a-z-]+))?",
    re.I,
)
_DURATION_NOUN = re.compile(
    r"^(position|post|contract|phd|doctoral|studentships?|scholarships?|fellowships?|"
    r"appointment|employment|programme|program|project|funding|full-time|fully|funded|grant|period|term)",
    re.I,
)
_NOT_DURATION = re.compile(
    r"(experience|ago|old|of age|previous|prior|last|past|within|after|more than|over|at least|"
    r"the first|than|extension|extended|renewed|degree|bachelor|master)\W*$",
    re.I,
)
_NOT_DURATION_AFTER = re.compile(
    r"^\s*(of (?:professional |research |work |relevant )?experience|ago|old|after|since)", re.I
)


_POSITION_WORD = re.compile(
    r"(?i)\b(?:position|post|contract|ph\.?d|doctora\w*|employment|appointment|scholarship|"
    r"fellowship|studentship|programme|program|project|funding|funded|stipend|salary|"
    r"stelle|promotion|contrat|thèse|these|anställning|tjänst|stilling|ansættelse|"
    r"aanstelling|promotie|contrato|borsa|bolsa|doutorado|dottorato|doctorado)s?\b"
)


def parse_number_word(text: str) -> float | None:
    text = text.lower().strip()
    half = 0.5 if "and a half" in text else 0.0
    text = text.replace("and a half", "").strip()
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text] + half
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text] + half
    try:
        return float(text.replace(",", ".")) + half
    except ValueError:
        return None


def parse_duration(text: str) -> int | None:
    """Months in a short string: "four years" -> 48, "36 months" -> 36, "3.5 years" -> 42."""
    match = _DURATION.search(text)
    if not match:
        return None
    return _months(match)


def _months(match: re.Match[str]) -> int | None:
    number = parse_number_word(match.group("n"))
    if number is None or number <= 0:
        return None
    unit = match.group("unit").lower()
    months = number * 12 if unit.startswith("y") or re.fullmatch(YEAR_UNITS, unit) else number
    if not 6 <= months <= 96:
        return None
    return round(months)


def extract_duration(doc: Doc) -> Found[int] | None:
    for key, value in doc.fields.items():
        if re.search(r"duration|length|period of (?:appointment|employment)|contract length", key):
            months = parse_duration(value)
            if months:
                return Found(months, evidence(f"{key}: {value}", "label_duration", 0.9))
    best: tuple[float, int, str, str] | None = None
    for _start, _end, sentence in [(0, 0, doc.title), *doc.sentences]:
        for match in _DURATION.finditer(sentence):
            before = sentence[max(0, match.start() - 30) : match.start()]
            after = sentence[match.end("unit") : match.end("unit") + 40]
            if _NOT_DURATION.search(before) or _NOT_DURATION_AFTER.search(after):
                continue
            months = _months(match)
            if months is None:
                continue
            noun = match.group("noun") or ""
            hyphenated = "-" in match.group(0)[: match.end("unit") - match.start()] or bool(
                re.match(rf"{_NUM}[\s-]+year[\s-]+", match.group(0), re.I)
            )
            if months <= 12 and re.match(
                r"(?i:appointments?|stipends?|salary|salaries|support|pay|contracts? per year)",
                noun,
            ):
                # "a 12-month appointment", "a 12-month stipend of $36,000 per year": the
                # period the pay covers each year, not how long the position lasts.
                continue
            if re.search(
                r"\b(?:a total of|in total|total of|overall)\W*$", before, re.I
            ) or re.match(r"\s*in total\b", after):
                score, rule = 0.9, "sentence_total_duration"
            elif re.search(r"\binitial(?:ly)?\b[^.]{0,40}$", before, re.I):
                # "The initial appointment is for one year, extended to four": not the total.
                score, rule = 0.3, "sentence_initial_period"
            elif _DURATION_NOUN.match(noun) and hyphenated:
                score, rule = 0.85, "sentence_n_year_position"
            elif re.search(
                r"(funded|funding|financed|paid|stipend|scholarship)\b[^.]{0,30}$", before, re.I
            ) or re.search(r"funded for\s*$", before, re.I):
                score, rule = 0.6, "sentence_funded_for"
            elif re.search(
                r"(for|lasts?|of|period of|duration|fixed for|limited to|up to)\s*(a|a period of|the)?\s*$",
                before,
                re.I,
            ) or re.search(DURATION_FOR, before, re.I):
                score, rule = 0.75, "sentence_for_n_years"
            elif _POSITION_WORD.search(sentence) or len(sentence.split()) <= 4:
                # A sentence about the position, or a table cell that is the length alone.
                score, rule = 0.4, "sentence_bare_years"
            else:
                # "eligible for hiring during 1 year", "2 years of experience": a length
                # of something else; a duration is never guessed from it.
                continue
            if best is None or score > best[0]:
                best = (score, months, sentence, rule)
    if best is None:
        return None
    return Found(best[1], evidence(best[2], best[3], best[0]))


def today_or(value: date | None) -> date:
    return value or datetime.now().date()
