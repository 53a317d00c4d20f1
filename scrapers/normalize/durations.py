"""The duration in months: "four years", "a five year position", "36 months", "drei Jahre",
"pour une durée de trois ans"; a total length wins over an initial one, and a bare "N years"
outside a sentence about the position is not its duration."""

from __future__ import annotations

import re

from scrapers.normalize.lexicon import (
    DURATION_ADJECTIVE,
    DURATION_ADJECTIVE_YEARS,
    DURATION_FOR,
    DURATION_MAXIMUM,
    DURATION_WORD,
    MONTH_UNITS,
    NUMBER_WORDS,
    YEAR_UNITS,
)
from scrapers.normalize.text import Doc, Found, evidence

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
    r"the first|than|extension|extended|renewed|degree|bachelor|master|"
    # "extended for 2.5 years", "verlängert um ein Jahr": the extension, not the length.
    r"(?:extended|extension|renewed|prolonged|verlängert|verlängerung|prolongé|prorrogad[oa])"
    r"\s+(?:for|by|with|of|um|de|por)(?:\s+(?:a|an|another|further|a further))?)\W*$",
    re.I,
)
_NOT_DURATION_AFTER = re.compile(
    r"^\s*(of (?:professional |research |work |relevant )?experience|ago|old|after|since|"
    # "The 4 years are measured from the date ...": a window an eligibility rule counts.
    r"(?:are|is) (?:measured|counted|calculated|reckoned))",
    re.I,
)
# "for a 1-4 year period", "between one and four years", "from 2 to 4 years": the length
# depends on the appointee, so no one length is the position's.
_RANGE_BEFORE = re.compile(
    rf"(?:\b(?P<low>{_NUM})\s*(?:-|\u2013|\u2014|to|or)\s*|\bbetween\s+(?P<low2>{_NUM})\s+and\s+)$",
    re.I,
)


def _length_of(match: re.Match[str], before: str, after: str, *, depends: bool) -> int | None:
    """The months a mention says, or None where it is the length of something else."""
    if _NOT_DURATION.search(before) or _NOT_DURATION_AFTER.search(after):
        return None
    months = _months(match)
    ranged = _RANGE_BEFORE.search(before)
    if months is None or not ranged:
        return months
    if depends:
        return None  # "a 2-4 year period ... The length depends on the thesis' stage"
    return _range_lower(ranged.group("low") or ranged.group("low2"), match.group("unit"))


_DEPENDS = re.compile(
    r"\b(?:duration|length|term)\b[^.]{0,60}\bdepend(?:s|ing)? (?:on|upon)\b", re.I
)


def _range_lower(low: str | None, unit: str) -> int | None:
    """ "3-4 years position": three years, the least the post lasts. A range that starts
    under two years ("a 1-4 year period") gives none: a doctorate lasts two years or more,
    so the length depends on how far the appointee is."""
    number = parse_number_word(low or "")
    if number is None:
        return None
    months = (
        number * 12
        if unit.lower().startswith("y") or re.fullmatch(YEAR_UNITS, unit, re.I)
        else number
    )
    return round(months) if 24 <= months <= 96 else None


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
    depends = bool(_DEPENDS.search(doc.all_text))
    for _start, _end, sentence in [(0, 0, doc.title), *doc.sentences]:
        for match in _DURATION.finditer(sentence):
            before = sentence[max(0, match.start() - 30) : match.start()]
            after = sentence[match.end("unit") : match.end("unit") + 40]
            months = _length_of(match, before, after, depends=depends)
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
                r"\b(?:a total of|in total|total of|overall|totall?ing(?: a| an)?|insgesamt|"
                r"au total|en total|no total|in totale|totalt|i alt|in totaal)\W*$",
                before,
                re.I,
            ) or re.match(r"\s*in total\b", after):
                score, rule = 0.9, "sentence_total_duration"
            elif months >= 24 and _MAXIMUM_BEFORE.search(before):
                # "12 months, renewable up to a maximum of 48 months": the total.
                score, rule = 0.9, "sentence_maximum_duration"
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
            elif re.search(rf"\b(?:{DURATION_WORD})\b[^.;:]{{0,25}}$", before, re.I):
                score, rule = 0.75, "sentence_duration_is"
            elif months >= 24 and (_POSITION_WORD.search(sentence) or len(sentence.split()) <= 4):
                # A doctorate lasts two years or more: a bare "1 year" is the length of
                # something else (an extension, a waiting list, a first contract).
                # A sentence about the position, or a table cell that is the length alone.
                score, rule = 0.4, "sentence_bare_years"
            else:
                # "eligible for hiring during 1 year", "2 years of experience": a length
                # of something else; a duration is never guessed from it.
                continue
            if best is None or score > best[0]:
                best = (score, months, sentence, rule)
    for _start, _end, sentence in doc.sentences:
        summed = _initial_plus_extension(sentence)
        if summed and (best is None or best[0] < 0.85):
            best = (0.85, summed, sentence, "sentence_initial_plus_extension")
    for _start, _end, sentence in [(0, 0, doc.title), *doc.sentences]:
        adjective = _adjective_duration(sentence)
        if adjective and (best is None or best[0] < 0.85):
            best = (0.85, adjective, sentence, "sentence_duration_adjective")
    if best is None:
        return None
    return Found(best[1], evidence(best[2], best[3], best[0]))


_MAXIMUM_BEFORE = re.compile(rf"\b(?:{DURATION_MAXIMUM})\s*$", re.I)
_ADJECTIVE = re.compile(rf"\b(?:{DURATION_ADJECTIVE})", re.I)
# The position's nouns as stems: compounds ("Promotionsstelle", "promotietraject") count.
_POSITION_STEM = re.compile(
    r"(?i)position|\bpost\b|contra[ct]|ph\.?\s?d|doctor|doktor|promo[tv]|stelle|stilling|"
    r"stipend|tjänst|anställ|ansætt|ansett|aanstell|thèse|beca\b|borsa|bolsa|dottorat|doutora|"
    r"traject|proje[ck]t|progetto|proyecto|programm?e?\b"
)


def _adjective_duration(sentence: str) -> int | None:
    """ "eine dreijährige Promotionsstelle", "borsa di dottorato triennale": one word that is
    the position's length, in a sentence about the position."""
    match = _ADJECTIVE.search(sentence)
    if match is None or not _POSITION_STEM.search(sentence):
        return None
    prefix = (match.group("word") or match.group("latin") or "").lower()
    years = DURATION_ADJECTIVE_YEARS.get(prefix)
    return years * 12 if years and years >= 2 else None


_INITIAL_PLUS_EXTENSION = re.compile(
    rf"\binitial(?:ly)?\b[^.]{{0,40}}?\b(?P<first>{_NUM})[\s-]*(?P<first_unit>years?|months?)\b"
    rf"[^.]{{0,60}}?\b(?:extended|renewed|prolonged)\s+by\s+(?:a\s+further\s+|another\s+)?"
    rf"(?P<second>{_NUM})[\s-]*(?P<second_unit>years?|months?)\b",
    re.I,
)


def _initial_plus_extension(sentence: str) -> int | None:
    """ "initially for one year and can be extended by three years": four years in all."""
    match = _INITIAL_PLUS_EXTENSION.search(sentence)
    if match is None:
        return None
    total = 0.0
    for number, unit in (("first", "first_unit"), ("second", "second_unit")):
        value = parse_number_word(match.group(number))
        if value is None:
            return None
        total += value * (12 if match.group(unit).lower().startswith("y") else 1)
    return round(total) if 24 <= total <= 96 else None
