"""The start date: a labelled start, else a sentence with a start word ("starting on 1
October 2026", "autumn 2026", "Stellenantritt: 1. April 2026"), never a date for "as soon
as possible" alone. Dates are read by dates.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scrapers.normalize.dates import (
    _DEADLINE_CUE,
    _START_CUE,
    _START_FIELD,
    DateMention,
    _full_dates,
    find_dates,
    reference_date,
    resolve_year,
)
from scrapers.normalize.lexicon import START_AFTER
from scrapers.normalize.text import Doc, evidence, squash
from scrapers.records import Evidence

_ASAP = re.compile(r"\b(as soon as possible|asap|immediately|at the earliest)\b", re.I)


_BOUND = re.compile(
    r"\b(?:before|by|no later than|not later than|at the latest|latest|until|up to)\W*(?:on\W+)?$"
    r"|\b(?:before|by|no later than|latest)\b(?:\s+or\s+on)?\W*$",
    re.I,
)


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
            if found and _ASAP.search(value) and _BOUND.search(value[: found[1].start]):
                # "As soon as possible (before January 1, 2017)": a latest start, not the
                # start; none is invented from it.
                found = None
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
            tail = sentence[cue.start() : cue.end() + 160]
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
    agreed = _start_before_agreement(doc, reference, known)
    if agreed is not None:
        return agreed
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
    return _start_year(doc)


_YEAR_AFTER_CUE = re.compile(
    r"\W{0,3}(?:(?:in|from|during|en|em|ab|à partir de|a partir de|dal|nel|i)\s+)?"
    r"((?:19|20)\d\d)\b(?![-/.\u2013]\d)",
    re.I,
)


def _start_year(doc: Doc) -> StartResult:
    """ "a 4-year period starting in 2021": only the year is known, so the start is kept as
    words (the page shows "2021"), not as a date that would claim January."""
    for _start, _end, sentence in doc.sentences:
        for cue in _START_CUE.finditer(sentence):
            match = _YEAR_AFTER_CUE.match(sentence, cue.end())
            if match:
                return StartResult(
                    None, match.group(1), evidence(sentence, "sentence_start_year", 0.6)
                )
    return StartResult()


_AFTER_START = re.compile(rf"\W{{0,3}}(?:{START_AFTER})\b", re.I)


def _start_before_agreement(
    doc: Doc, reference: date | None, known: list[date]
) -> StartResult | None:
    """ "Ab 1. Februar 2026 oder nach Vereinbarung", "zum 1. Oktober 2026 zu besetzen": a
    date the words after it make the start, not a deadline."""
    for _start, _end, sentence in doc.sentences:
        for mention in find_dates(sentence):
            if not _AFTER_START.match(sentence, mention.end):
                continue
            if _DEADLINE_CUE.search(sentence[max(0, mention.start - 25) : mention.start]):
                continue
            resolved = resolve_year(mention, reference=reference, known=known)
            if resolved:
                rule = (
                    "sentence_start_agreed"
                    if mention.year
                    else "sentence_start_agreed+year_inferred"
                )
                return StartResult(
                    resolved.isoformat(),
                    squash(sentence[mention.start : mention.end + 30]),
                    evidence(sentence, rule, 0.75 if mention.year else 0.55),
                )
    return None
