"""Tuition fees: covered at the home rate, at the international rate, paid by the applicant.

An advert names fees for two opposite reasons: to say the award covers them ("fees covered at
the UK rate") and to say the applicant pays them ("applicants must cover tuition fees of
£5,006 (home) or £28,900 (international)"). The two are told apart clause by clause: a
clause whose subject is the applicant (or that says fees are not covered) never counts as
fees covered, whatever rate it names.
"""

from __future__ import annotations

import re

from scrapers.normalize.text import Doc, Found, evidence, sentences, snippet_around
from scrapers.records import Fees

_FEE = r"(?:tuition|(?:course|programme|program|university|study|academic) fees?|fees?)"
_APPLICANT = (
    r"(?:applicants?|candidates?|students?|you|the (?:successful )?(?:student|applicant|candidate)|"
    r"self[- ]funded (?:students?|applicants?|candidates?))"
)
_MUST = (
    r"(?:must|will (?:need|have) to|would (?:need|have) to|need to|needs to|have to|has to|"
    r"should|are (?:required|expected|asked) to|is (?:required|expected) to|will be (?:required|expected) to)"
)
_PAY = r"(?:pay|cover|meet|fund|finance|bear|self[- ]fund)"
# "Applicants must cover tuition fees", "you will need to pay the course fees".
_APPLICANT_PAYS = re.compile(
    rf"\b{_APPLICANT}\b[^.;]{{0,60}}?\b{_MUST}\s+(?:\w+\s+){{0,2}}?{_PAY}\b[^.;]{{0,40}}?\b{_FEE}|"
    rf"\b{_APPLICANT}\b[^.;]{{0,40}}?\b(?:are|is|will be|remain) (?:personally )?(?:responsible|liable) for "
    rf"(?:paying |covering |meeting |funding )?[^.;]{{0,25}}?\b{_FEE}|"
    rf"\b{_FEE}\b[^.;]{{0,50}}?\b(?:must|will|need to|have to|has to|are to|is to) be (?:paid|covered|met|funded|borne) "
    rf"by (?:the )?{_APPLICANT}|"
    rf"\b{_FEE}\b[^.;]{{0,30}}?\b(?:are|is) (?:payable|paid|to be paid) by (?:the )?{_APPLICANT}|"
    rf"\b{_FEE}\b[^.;]{{0,40}}?\b(?:are payable|will be charged|are charged)\b(?! (?:by|to) (?:the )?(?:university|school|project|grant|studentship|scholarship|funder))",
    re.I,
)
# "Fees are not covered", "the scholarship does not include tuition", "no fee waiver".
_NOT_COVERED = re.compile(
    rf"\b{_FEE}\b[^.;]{{0,40}}?\b(?:are|is|will be|are also) not (?:covered|included|paid|waived|funded|part of)|"
    rf"\b(?:does|do|will) not (?:cover|include|pay(?: for)?|fund|waive) (?:the |any |your )?(?:\w+ )?{_FEE}|"
    rf"\b(?:excluding|exclusive of|not including|without) (?:the |any )?(?:tuition )?{_FEE}|"
    rf"\bno (?:tuition )?fee (?:waiver|remission|support)",
    re.I,
)
# "International students must pay the difference": the home rate is what the award covers.
_PAYS_DIFFERENCE = re.compile(
    rf"\b(?:{_APPLICANT}\b[^.;]{{0,80}}?|{_MUST}\s+)(?:pay|cover|meet|fund|make up|find)\b[^.;]{{0,20}}?\b(?:the )?(?:fee )?difference",
    re.I,
)
_COVERED_INTERNATIONAL = re.compile(
    r"international (?:tuition )?fees? (?:are |is |will be )?(?:covered|paid|waived)|"
    r"fee difference (?:is |will be )?(?:covered|paid|waived)|"
    r"cover(?:s|ing)? (?:the )?international (?:tuition|fees?)|"
    r"(?:covers?|covering|cover all|pays?|waives?) (?:all |full )?tuition(?! fees? (?:at|for) (?:the )?(?:uk|home|domestic|eu|uk/eu)\b)|"
    r"full tuition|tuition (?:fee )?waiver|fees? at the international rate|"
    r"(?:home|uk) and international (?:tuition )?fees",
    re.I,
)
_COVERED_HOME = re.compile(
    r"fees? (?:are |is |will be )?(?:covered |paid |waived )?at the (?:UK|home|UK/EU|EU|domestic)(?:/EU)? (?:level|rate)|"
    r"(?:UK|home|UK/EU|EU|domestic)(?:/EU)? (?:level |rate )?(?:tuition )?fees|fees at the UK/EU rate",
    re.I,
)
# Fees that are not tuition: an applicant paying these says nothing of tuition.
_OTHER_FEE = re.compile(
    r"\b(?:application|semester|visa|health|bench|insurance|student union|registration) (?:fees?|charges?|contribution)",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r";|:\s|\s(?:but|while|whereas|however)\s|,\s(?:and|but) (?=\w+ (?:must|will|need|are|is)\b)"
)


def _clauses(text: str) -> list[tuple[int, str]]:
    """(offset, clause) for each sentence part that may name fees."""
    out: list[tuple[int, str]] = []
    for start, _end, sentence in sentences(text):
        if not re.search(r"\b(?:tuition|fees?)\b", sentence, re.I):
            continue
        offset = text.find(sentence, start)
        offset = start if offset < 0 else offset
        position = 0
        for match in _CLAUSE_BREAK.finditer(sentence):
            out.append((offset + position, sentence[position : match.start()]))
            position = match.end()
        out.append((offset + position, sentence[position:]))
    return out


def applicant_pays_fees(text: str) -> re.Match[str] | None:
    """The first clause saying the applicant pays tuition fees, or that they are not covered."""
    for _offset, clause in _clauses(text):
        if _OTHER_FEE.search(clause) and not re.search(r"\btuition\b", clause, re.I):
            continue
        found = _NOT_COVERED.search(clause) or _APPLICANT_PAYS.search(clause)
        if found and not _PAYS_DIFFERENCE.search(clause):
            return found
    return None


_PAY_WORDS = re.compile(
    r"\b(?:stipend|salary|salaries|allowance|bursary|remuneration|wage|maintenance|grant|"
    r"scholarship|studentship|fellowship|paid (?:a|an|monthly|annually)|per month|a month|monthly)\b",
    re.I,
)


def is_fee_sentence(sentence: str) -> bool:
    """A sentence about fees an applicant pays that names no pay: its amounts are fees, not a
    stipend ("candidates will need to pay tuition fees (£4,900 home, £26,200 international)")."""
    return applicant_pays_fees(sentence) is not None and not _PAY_WORDS.search(sentence)


def extract_fees(doc: Doc) -> Found[Fees] | None:
    text = doc.all_text
    covered: dict[str, tuple[int, int, str]] = {}
    pays: tuple[int, int] | None = None
    for offset, clause in _clauses(text):
        difference = _PAYS_DIFFERENCE.search(clause)
        if difference:
            # Someone pays the difference: the award covers the lower (home) rate.
            covered.setdefault(
                "home",
                (
                    offset + difference.start(),
                    offset + difference.end(),
                    "sentence_fees_difference",
                ),
            )
            continue
        payer = _NOT_COVERED.search(clause) or (
            None
            if _OTHER_FEE.search(clause) and not re.search(r"\btuition\b", clause, re.I)
            else _APPLICANT_PAYS.search(clause)
        )
        if payer:
            pays = pays or (offset + payer.start(), offset + payer.end())
            continue
        for value, regex in (("international", _COVERED_INTERNATIONAL), ("home", _COVERED_HOME)):
            match = regex.search(clause)
            if match:
                rule = f"sentence_fees_{value}"
                covered.setdefault(value, (offset + match.start(), offset + match.end(), rule))
                break
    for value, confidence in (("international", 0.7), ("home", 0.8)):
        if value in covered:
            start, end, rule = covered[value]
            return Found(value, evidence(snippet_around(text, start, end), rule, confidence))  # type: ignore[arg-type]
    if pays is not None:
        return Found(
            "not_covered",
            evidence(snippet_around(text, pays[0], pays[1]), "sentence_applicant_pays_fees", 0.8),
        )
    return None
