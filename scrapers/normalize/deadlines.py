"""The application deadline: date, time, zone and kind (fixed / rolling / unknown).

Labelled values first ("Deadline:", "Bewerbungsfrist:", "date limite"), then sentences with
a deadline cue; a year-less date takes its year from dates.py's rules, a "full
consideration by" date counts as fixed, "open until filled" is rolling.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from scrapers.normalize.dates import (
    _DEADLINE_CUE,
    _DEADLINE_FIELD,
    _START_CUE,
    _START_WORD,
    _Y,
    DateMention,
    _full_dates,
    _month,
    find_dates,
    parse_date,
    parse_iso_datetime,
    reference_date,
    resolve_year,
)
from scrapers.normalize.lexicon import (
    APPLICATION_PERIOD_LABELS,
    APPLYING_WORDS,
    RANGE_FROM,
    RANGE_TO,
    ROLLING,
)
from scrapers.normalize.starts import extract_start
from scrapers.normalize.text import Doc, Found, evidence, snippet_around, squash
from scrapers.records import DeadlineKind, Evidence

log = logging.getLogger(__name__)

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
    r"|(?:open|accepted|considered) until (?:the )?(?:position|post) is filled|" + ROLLING,
    re.I,
)
# "from 1 to 15 September", "del 7 al 28 de febrero", "vom 1. bis 15. Mai": a window.
_WINDOW_VALUE = re.compile(
    rf"period|{APPLICATION_PERIOD_LABELS}|\b(?:{RANGE_FROM})\b.{{0,40}}\b(?:{RANGE_TO})\b",
    re.I,
)
_WINDOW_OPEN = re.compile(rf"\b(?:{RANGE_FROM})\W{{1,3}}(?:(?:the|le|el|il|o)\s+)?$", re.I)
# The words between a window's first and last day: "September 1, 2020 through ".
_WINDOW_JOIN = re.compile(rf"\W{{0,3}}(?:{RANGE_TO})\W{{1,3}}(?:(?:the|le|el|il|o)\s+)?$", re.I)
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
            if len(mentions) > 1 and (
                _WINDOW_VALUE.search(f"{key} {value}") or _opens_window(value, mentions, 0)
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
        for index, mention in enumerate(mentions):
            if _opens_window(sentence, mentions, index):
                continue  # "Plazos de solicitud 22/11/2021-17/12/2021": the window opens
            cue = _cue_before(sentence, mention.start)
            if cue is None:
                if index and _window_end(sentence, mentions[index - 1], mention):
                    add(mention, 0.8, "sentence_window_end", sentence)
                continue
            strong = bool(cue.group("strong"))
            soft = bool(re.search(r"consideration|review|screening|evaluation", cue.group(0), re.I))
            rule = "sentence_soft_deadline" if soft else "sentence_deadline"
            add(mention, 0.9 if strong else 0.6, rule, sentence)
            _ = start
    for mention, confidence, snippet in _calendar_rows(doc):
        add(mention, confidence, "calendar_deadline", snippet)
    return candidates


# A window's two days joined by a dash or a word for "to" (not "and", "or": two rounds).
_WINDOW_DASH = re.compile(
    r"\s*(?:[-\u2013\u2014]|\b(?:to|until|till|through|thru|au|jusqu'au|al|hasta(?: el)?|a|à|ao|"
    r"até|bis(?: zum)?|tot(?: en met)?|til)\b)\s*(?:(?:the|le|el|il|o)\s+)?",
    re.I,
)


def _opens_window(text: str, mentions: list[DateMention], index: int) -> bool:
    """A date joined to the next by a dash or "to" ("22/11/2021-17/12/2021"): the first day
    of a window, whose last day is the deadline."""
    if index + 1 >= len(mentions) or mentions[index].day is None:
        return False
    following = mentions[index + 1]
    return following.day is not None and bool(
        _WINDOW_DASH.fullmatch(text[mentions[index].end : following.start])
    )


# A calendar row: the date first, then what happens on it ("Monday 09 June 2024 : Deadline
# for application", "• 26 août 2019 :" with the event on the next line).
_ROW_START = re.compile(r"[^\W\d]+,?\s+\d")  # "Monday 09 June", "Mardi, 3 juin"
_ROW_HEAD = re.compile(r"^[\W\d]{0,4}(?:[^\W\d]+,?\s+)?$")
_ROW_JOIN = re.compile(
    r"\s*(?:(?:at\s+)?\d{1,2}(?:[:.h]\d\d)?\s*(?:[ap]\.?m\.?|h|uhr)?|noon|midi|midnight)?"
    r"\s*(?:\([^)]{0,30}\)\s*)?(?:[:\u2013\u2014]|\s-)\s*",
    re.I,
)
# A deadline set for someone else than the applicant ("... by thesis directors").
_OTHERS_DEADLINE = re.compile(
    r"\b(?:by|par|durch|por|da)\s+(?:the\s+|les\s+|l[ae]s?\s+|die\s+|los\s+|i\s+)?(?:\w+\s+){0,2}?"
    r"(?:directors?|directeurs?|supervisors?|advisors?|laborator\w*|labs?|teams?|équipes|"
    r"departments?|committees?|schools?|écoles?|PIs?|promoters?|hosts?|universit\w*)\b",
    re.I,
)


def _calendar_rows(doc: Doc) -> list[tuple[DateMention, float, str]]:
    rows: list[tuple[DateMention, float, str]] = []
    sentences = doc.sentences
    for index, (_start, _end, sentence) in enumerate(sentences):
        # The row's head holds only a bullet and a weekday before the date: a cheap test
        # first, as most sentences start with a word.
        if len(sentence) > 1 and sentence[0].isalpha() and not _ROW_START.match(sentence):
            continue
        mentions = find_dates(sentence)
        if not mentions or mentions[0].start > 30:
            continue
        if not _ROW_HEAD.match(sentence[: mentions[0].start]):
            continue
        join = _ROW_JOIN.match(sentence, mentions[0].end)
        if join is None:
            continue
        event = sentence[join.end() :].strip()
        if not event and index + 1 < len(sentences):
            event = sentences[index + 1][2]
        cue = _DEADLINE_CUE.match(event)
        if cue is None or not cue.group("strong"):
            continue
        head = event[:120]
        if _OTHERS_DEADLINE.search(head):
            confidence = 0.7
        elif re.search(APPLYING_WORDS, head, re.I):
            confidence = 0.92
        else:
            confidence = 0.85
        rows.append(
            (mentions[0], confidence, f"{sentence} {event}" if event not in sentence else sentence)
        )
    return rows


def _window_end(sentence: str, first: DateMention, last: DateMention) -> bool:
    """ "Applications are invited beginning September 1, 2020 through September 15, 2020":
    in a sentence about applying, the last day of a window of two dates is the deadline."""
    between = sentence[first.end : last.start]
    if len(between) > 15 or not _WINDOW_JOIN.search(between):
        return False
    before = sentence[max(0, first.start - 60) : first.start]
    opening = _WINDOW_OPEN.search(before[-15:])
    if opening is None:
        return False
    # "beginning September 1 through ...": the window's own word is no start of the job.
    if _START_CUE.search(before[: len(before) - len(opening.group(0))]):
        return False
    return bool(re.search(APPLYING_WORDS, sentence, re.I))


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

    meta_value = doc.meta_text(
        "deadline", "closes", "validThrough", "closing_date", "expires", "call_end"
    )
    meta_date = parse_iso_datetime(meta_value) if meta_value else None
    if meta_value and meta_date is None:
        meta_date = parse_date(meta_value, reference=reference)

    if rolling and candidates and max(c.confidence for c in candidates) < 0.8:
        candidates = []
    if candidates:
        best = _best_candidate(doc, candidates, today, reference_rule)
        _set_fixed(result, best)
        _note_contradictions(result, best, candidates, meta_date, expired_label)
        rule = best.rule + ("+then_rolling" if rolling else "")
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


def _best_candidate(
    doc: Doc, candidates: list[_Candidate], today: date | None, reference_rule: str
) -> _Candidate:
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
    return best


def _set_fixed(result: DeadlineResult, best: _Candidate) -> None:
    result.deadline = best.value.isoformat()
    result.kind = "fixed"
    if best.mention is not None:
        source = best.snippet
        offset = source.find(best.mention.text)
        if offset != -1:
            result.time, result.timezone = _time_after(source, offset + len(best.mention.text))


def _note_contradictions(
    result: DeadlineResult,
    best: _Candidate,
    candidates: list[_Candidate],
    meta_date: date | None,
    expired_label: tuple[str, str] | None,
) -> None:
    """Other explicit dates, a listing's closing date, an "Expired" label: kept, not chosen."""
    chosen = result.deadline or ""
    others = {c.value for c in candidates if c.confidence >= 0.8} - {best.value}
    notes: list[tuple[str, str]] = []
    if others:
        notes.append(
            (
                ", ".join(sorted(d.isoformat() for d in others)),
                f"took the {best.rule} date, the most explicit statement",
            )
        )
    if meta_date and meta_date != best.value:
        notes.append(
            (meta_date.isoformat(), "the advert's own text wins over the listing's closing date")
        )
    if expired_label:
        notes.append(
            (
                f"{expired_label[0]}: {expired_label[1]}",
                "the page labels the advert expired but states a date; the date is kept",
            )
        )
    for other, why in notes:
        result.contradictions.append(
            {"field": "deadline", "chosen": chosen, "other": other, "why": why}
        )


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
