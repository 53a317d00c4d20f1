"""Public pay scales by country, and the share of full time a post is paid at.

`data/pay_scales.csv` lists the national scales doctoral posts are paid on outside Germany
(Finland's YPJ, the Dutch universities' CAO, the Norwegian State salary scale, the Swedish
doctoral salary ladder, the Danish AC agreement, the Austrian universities' Kollektivvertrag,
the SNSF rates, Spain's EPIF statute, Italy's ministerial grant, Australia's RTP rate), each
with the currency it pays in, the period its amounts are written for and its public source.
An advert that names a scale but no amount still says how it pays: in that currency, by
that period. money.py reads Germany's TV-L / TVöD itself ("TV-L E13").
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from scrapers.records import Period

TABLE_PATH = Path(__file__).resolve().parent / "data" / "pay_scales.csv"


@dataclass(frozen=True)
class Scale:
    country: str
    currency: str
    period: Period
    name: str
    pattern: re.Pattern[str]
    grade: re.Pattern[str] | None
    source: str


@dataclass(frozen=True)
class ScaleFound:
    scale: Scale
    label: str  # the scale's name, with the grade when the advert gives one
    start: int
    end: int


@functools.cache
def load_scales(path: Path = TABLE_PATH) -> tuple[Scale, ...]:
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(
            Scale(
                row["country"],
                row["currency"],
                "month" if row["period"] == "month" else "year",
                row["name"],
                re.compile(row["pattern"], re.I),
                re.compile(row["grade"], re.I) if row["grade"] else None,
                row["source"],
            )
            for row in rows
        )


def find_scale(text: str, *, country: str | None = None) -> ScaleFound | None:
    """The first national pay scale the text names (of the given country, when known)."""
    best: ScaleFound | None = None
    for scale in load_scales():
        if country and scale.country != country:
            continue
        match = scale.pattern.search(text)
        if not match or (best and best.start <= match.start()):
            continue
        label = scale.name
        if scale.grade:
            window = text[max(0, match.start() - 160) : match.end() + 160]
            grade = scale.grade.search(window)
            if grade:
                written = next(g for g in grade.groups() if g)
                grade_text = re.sub(r"\s", "", written).replace("\u2013", "-")
                label = f"{scale.name} {grade_text}"
        best = ScaleFound(scale, label, match.start(), match.end())
    return best


# "65 % TV-L", "à 80%", "a 50% position", "80 %-Stelle", "(80 %)", "employment rate 80%".
_SHARE = r"(?<![\d.,])([1-9]\d|100)\s?(?:%|percent|per cent|prozent|procent|pour cent)"
_FTE_WORDS = re.compile(
    rf"(?:\bà|\bat|\ba|\bzu|\bauf|\bop)\s+{_SHARE}(?!\s*(?:of|des?|der|du|van|av|chance)\b)"
    rf"|{_SHARE}\s*(?:-\s?)?(?:FTE|f\.t\.e\.|position|post|appointment|employment|contract|"
    rf"of (?:a )?full[- ]time|of a full position|part[- ]time|Stelle|Teilzeit|Beschäftigung|"
    rf"der (?:regulären |vollen )?(?:wöchentlichen )?Arbeitszeit|temps|aanstelling|deeltijd|"
    rf"tjänstgöring|stilling|ansættelse|jornada|tempo parziale)"
    rf"|(?:FTE|working time|employment (?:rate|level|percentage)|Beschäftigungsumfang|Stellenumfang|"
    rf"Arbeitszeit|taux d'occupation|taux d'activité|temps partiel|omvang|tjänstgöringsgrad|"
    rf"stillingsprosent|part[- ]time)\s*(?:of|von|de|:|van|is)?\s*\(?{_SHARE}",
    re.I,
)
_NOT_FTE = re.compile(
    r"teaching|allowance|bonus|pension|holiday|vacation|tax|discount|fees?\b|tuition|"
    r"Lehr|enseignement|grade|average|note|\brate\b|UKRI|stipend|success|probability|"
    r"\bdut(?:y|ies)\b|Aufgaben|tâches|\bsecondment",
    re.I,
)


def find_fte(text: str) -> tuple[int, int, int] | None:
    """(percent, start, end): the share of full time a post is paid at (100 is full time)."""
    for match in _FTE_WORDS.finditer(text):
        context = text[max(0, match.start() - 60) : match.end() + 20]
        if _NOT_FTE.search(context):
            continue
        return int(next(g for g in match.groups() if g)), match.start(), match.end()
    return None


def fte_percent(text: str) -> int | None:
    found = find_fte(text)
    return found[0] if found else None
