"""What kind of post an advert offers: its working time, whether it is one project or a
programme with many places, and the researcher level (EURAXESS profiles R1-R4).

Each is read from the advert's labelled fields first, then its text, in the languages the
sources write (English, German, French, Italian, Spanish, Portuguese, Dutch, the
Scandinavian languages, Finnish, Polish); a rule that finds nothing leaves the fact unset.
"""

from __future__ import annotations

import re
from typing import Literal

from scrapers import doctoral
from scrapers.normalize.text import Doc, Found, evidence, snippet_around

Schedule = Literal["full_time", "part_time", "either"]
Programme = Literal["programme", "project"]
Level = Literal["r1", "r2", "r3", "r4"]

_FULL = (
    r"full[-\s]?time|vollzeit\w*|voll(?:zeit)?[-\s]+(?:oder|or|/)\s*teilzeit|"
    r"(?:à\s+)?temps\s+(?:plein|complet)|tempo\s+pieno|(?:a\s+)?tiempo\s+completo|"
    r"jornada\s+completa|tempo\s+integral|voltijds?|heltid\w*|fuldtid\w*|kokoaikai\w*|"
    r"pe[łl]ny\s+etat|pe[łl]en\s+etat|pe[łl]nym\s+etacie"
)
_PART = (
    r"part[-\s]?time|teilzeit\w*|temps\s+partiel|tempo\s+parziale|tiempo\s+parcial|"
    r"media\s+jornada|tempo\s+parcial|deeltijds?|deltid\w*|osa[-\s]?aikai\w*|"
    r"niepe[łl]ny\s+etat|niepe[łl]nym\s+etacie|cz[ęe][śs][ćc]\s+etatu"
)
_FULL_RE = re.compile(rf"\b(?:{_FULL})\b", re.IGNORECASE)
_PART_RE = re.compile(rf"\b(?:{_PART})\b", re.IGNORECASE)
# "Part-time study is not possible", "keine Teilzeit": a working time the advert rules out.
_NEGATED = re.compile(
    r"\b(?:not|no|nor|cannot|can't|isn't|is\s+not|nicht|kein\w*|pas|non|niet|geen|inte|ikke|"
    r"ei|nie)\b",
    re.IGNORECASE,
)
_NEGATION_WINDOW = 40


def _mentions(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first mention not ruled out by a negation just before or after it."""
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - _NEGATION_WINDOW) : match.start()]
        after = text[match.end() : match.end() + _NEGATION_WINDOW]
        # Only within the mention's own clause.
        before = re.split(r"[.;:!?\n]", before)[-1]
        after = re.split(r"[.;:!?\n]", after)[0]
        if _NEGATED.search(before) or _NEGATED.search(after):
            continue
        return match
    return None


def _schedule_in(text: str) -> tuple[Schedule, re.Match[str]] | None:
    full, part = _mentions(_FULL_RE, text), _mentions(_PART_RE, text)
    if full and part:
        first = full if full.start() < part.start() else part
        return "either", first
    if full:
        # "Voll- oder Teilzeit" is matched whole by _FULL: both are offered.
        return ("either" if _PART_RE.search(full.group(0)) else "full_time"), full
    if part:
        return "part_time", part
    return None


def extract_schedule(doc: Doc, *, fte_percent: int | None = None) -> Found[Schedule] | None:
    """Full-time, part-time, or either (the advert offers both); from a labelled field,
    the text, or a contract below 100% FTE."""
    for label, value in doc.fields.items():
        found = _schedule_in(f"{value}")
        if found:
            kind, match = found
            return Found(kind, evidence(f"{label}: {value}", "label_schedule", 0.9))
    found = _schedule_in(doc.all_text)
    if found:
        kind, match = found
        snippet = snippet_around(doc.all_text, match.start(), match.end())
        return Found(kind, evidence(snippet, "words_schedule", 0.8))
    if fte_percent is not None and fte_percent < 100:
        return Found("part_time", evidence(f"{fte_percent}% FTE", "fte_below_full", 0.7))
    return None


# --- a programme with many places, or one project ------------------------------------------

_COUNT_WORDS = (
    r"\d{1,3}|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|twenty|several|multiple|numerous|a\s+number\s+of|up\s+to\s+\d{1,3}|"
    r"mehrere|zahlreiche|drei|vier|fünf|sechs|zehn|zwölf|plusieurs|trois|quatre|cinq|dix|"
    r"diversi|vari[ei]|tre|quattro|cinque|dieci|varios|varias|tres|cuatro|cinco|diez|"
    r"meerdere|verschillende|drie|vier|vijf|tien|flera|flere|tre|fire|fem|useita|kilka"
)
_PLACES = (
    r"(?:fully[-\s]funded\s+|funded\s+)?(?:ph\.?\s?d\.?|doctoral|doctorate)\s+"
    r"(?:positions|studentships|projects|candidates|fellowships|students|researchers|places|"
    r"scholarships|vacancies)|"
    r"doktorand\w*stellen|promotionsstellen|stipendien|contrats\s+doctoraux|"
    r"bourses\s+de\s+th[èe]se|postes\s+de\s+doctorant\w*|borse\s+di\s+dottorato|"
    r"posizioni\s+di\s+dottorato|contratos\s+predoctorales|plazas\s+de\s+doctorado|"
    r"promotieplaatsen|promovendi|doktorandtjänster|doktorgradsstipend\w*|"
    r"väitöskirjatutkija\w*\s+tehtäviä|stanowisk\w*\s+doktoranck\w*"
)
_PROGRAMME_RE = re.compile(
    r"\b(?:"
    r"cent(?:re|er)s?\s+for\s+doctoral\s+training|"
    # A bare "CDT" may be Central Daylight Time: a funder or "the <name>" before it.
    r"(?:(?:EPSRC|BBSRC|NERC|MRC|AHRC|ESRC|STFC|UKRI)\s+|the\s+[A-Z][\w-]*\s+)(?:CDTs?|DTPs?)|"
    r"doctoral\s+training\s+(?:programmes?|programs?|partnerships?|centres?|centers?|networks?)|"
    r"(?:MSCA|marie\s+(?:sk[łl]odowska[-\s])?curie)[\w\s-]{0,30}?"
    r"(?:doctoral\s+networks?|innovative\s+training\s+networks?|ITN|COFUND|DN)|"
    r"doctoral\s+networks?|innovative\s+training\s+networks?|"
    r"research\s+training\s+groups?|graduiertenkolleg\w*|graduiertenschule\w*|"
    r"international\s+max\s+planck\s+research\s+schools?|IMPRS|"
    r"graduate\s+school\s+(?:call|programme|program)|doctoral\s+(?:school|college)\s+call|"
    r"(?:new\s+)?cohort\s+of\s+(?:ph\.?\s?d\.?|doctoral)\s+(?:students|candidates|researchers)|"
    rf"(?:{_COUNT_WORDS})\s+(?:{_PLACES})"
    r")\b",
    re.IGNORECASE,
)
# One post: "a PhD position", "this project", "eine Promotionsstelle", "un contrat doctoral".
_PROJECT_RE = re.compile(
    r"\b(?:"
    r"(?:a|one|1|an)\s+(?:fully[-\s]funded\s+|funded\s+)?(?:\d-year\s+)?"
    r"(?:ph\.?\s?d\.?|doctoral)\s+(?:position|studentship|project|candidate|student|"
    r"fellowship|researcher|scholarship|vacancy)(?!s)|"
    r"this\s+(?:ph\.?\s?d\.?\s+|doctoral\s+|research\s+)?project|"
    r"eine?\s+(?:Doktorand\w*stelle|Promotionsstelle|Stelle\s+als\s+Doktorand\w*)|"
    r"un\s+contrat\s+doctoral|une?\s+(?:th[èe]se|poste\s+de\s+doctorant\w*)|"
    r"un\s+contrato\s+predoctoral|una\s+(?:beca|plaza)\s+(?:pre)?doctoral|"
    r"una\s+borsa\s+di\s+dottorato|un\s+posto\s+di\s+dottorato|"
    r"een\s+(?:promovendus|promotieplaats|PhD[-\s]positie)|en\s+doktorand\w*"
    r")\b",
    re.IGNORECASE,
)


def extract_programme(doc: Doc) -> Found[Programme] | None:
    """ "programme" when the advert names a programme with many places (a doctoral training
    programme or centre, an MSCA doctoral network, a graduate school's call, "12 PhD
    positions"), "project" when it offers one post; else None."""
    text = doc.all_text
    match = _PROGRAMME_RE.search(text)
    if match:
        snippet = snippet_around(text, match.start(), match.end())
        return Found("programme", evidence(snippet, "words_programme", 0.8))
    match = _PROJECT_RE.search(text)
    if match:
        snippet = snippet_around(text, match.start(), match.end())
        return Found("project", evidence(snippet, "words_single_project", 0.7))
    return None


# --- researcher level -------------------------------------------------------------------

_LEVEL_NAMES = {
    "r1": r"first[-\s]stage\s+researchers?",
    "r2": r"recogni[sz]ed\s+researchers?",
    "r3": r"established\s+researchers?",
    "r4": r"leading\s+researchers?",
}
_LEVEL_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{code}>{words})" for code, words in _LEVEL_NAMES.items()) + r")"
    r"(?:\s*\(\s*R[1-4]\s*\))?",
    re.IGNORECASE,
)
# A bare "R1" names a level only in a field about the profile ("an R1 university" does not).
_LEVEL_LABEL = re.compile(r"profile|career\s+stage|researcher\s+level|level", re.IGNORECASE)
_CODE_RE = re.compile(r"\bR\s?([1-4])\b")


def _lowest_level(text: str) -> tuple[Level, re.Match[str]] | None:
    found = [(match.lastgroup, match) for match in _LEVEL_RE.finditer(text)]
    if not found:
        return None
    code, match = min(found, key=lambda item: str(item[0]))
    return code, match  # type: ignore[return-value]


def extract_level(doc: Doc) -> Found[Level] | None:
    """The researcher level (EURAXESS R1 First Stage ... R4 Leading). Where several are
    listed, the most junior (a post open to first-stage researchers is one for a doctoral
    candidate). Without a stated level, a title naming a doctoral post is R1 and one
    naming a postdoc R2 (scrapers.doctoral)."""
    for label, value in doc.fields.items():
        value = f"{value}"
        found = _lowest_level(value)
        if found is None and _LEVEL_LABEL.search(label):
            codes = sorted(_CODE_RE.findall(value))
            if codes:
                return Found(
                    f"r{codes[0]}",  # type: ignore[arg-type]
                    evidence(f"{label}: {value}", "label_researcher_level", 0.9),
                )
        if found:
            return Found(found[0], evidence(f"{label}: {value}", "label_researcher_level", 0.9))
    found = _lowest_level(doc.text)
    if found:
        code, match = found
        snippet = snippet_around(doc.text, match.start(), match.end())
        return Found(code, evidence(snippet, "words_researcher_level", 0.85))
    verdict = doctoral.classify(doc.title)
    if verdict.doctoral:
        return Found("r1", evidence(doc.title, "title_doctoral_post", 0.7))
    if verdict.doctoral is False and re.search(r"post[-\s]?do[ck]", verdict.reason, re.I):
        return Found("r2", evidence(doc.title, "title_postdoc_post", 0.7))
    return None
