"""Funding: full / partial / self / unknown.

Salaried doctoral employment counts as full funding; so does a stipend or studentship that
the advert offers. Mentions of funding schemes the candidate may apply to do not.
"""

from __future__ import annotations

import re

from scrapers.normalize.lexicon import STIPEND_WORDS
from scrapers.normalize.money_words import FUNDED_WORDS, PARTIAL_WORDS, SELF_FUNDED_WORDS
from scrapers.normalize.text import Doc, Found, evidence, snippet_around
from scrapers.records import Contract, Funding, Stipend

_SELF = re.compile(
    r"\bself[- ]funded\b|\bself[- ]financ\w+|\bno funding (?:is )?(?:available|attached|provided)|"
    r"\bfunding is not (?:available|provided)|\bnot funded\b|\bunfunded\b|"
    r"(?:must|should|need to|required to) (?:secure|find|obtain|provide|have) (?:their|your) own funding|"
    r"\bfund (?:their|your) own studies|"
    r"\b(?:carries|comes with|has|offers) no (?:funding|financial support|stipend|studentship)\b|"
    r"\b(?:do|does|can) not (?:currently )?(?:have|offer|provide) (?:any )?(?:funding|financial support)(?: available)? for (?:phd|doctoral|graduate)|"
    r"\bno (?:financial support|funding) (?:is )?(?:currently )?available for (?:phd|doctoral|graduate)|"
    r"\b(?:financial support|funding) (?:must|has to|needs to) be (?:arranged|secured|found|obtained) (?:from|by) (?:your|the (?:candidate|applicant))|"
    + SELF_FUNDED_WORDS,
    re.I,
)
_PARTIAL = re.compile(
    r"\bpartial(?:ly)?[- ]funded\b|\bpartial (?:funding|scholarship|studentship|stipend)|"
    r"\b(?:tuition )?fees[- ]only\b|\bcovers? (?:only )?(?:the )?tuition fees? only|"
    r"\bhalf[- ]funded\b|" + PARTIAL_WORDS,
    re.I,
)
_FULL = re.compile(
    r"\bfully[- ]funded\b|\bfull(?:y)? funding\b|\bfull financial support\b|\bfully supported\b|"
    r"\bguaranteed (?:funding|financial support)|\bfunding (?:is )?guaranteed|\bcompletely funded\b|\bfull scholarships?\b|"
    r"\bfunded (?:phd|doctoral|ph\.d\.) (?:project|position|studentship|programme|program)s?\b|"
    r"\b(?:is|are|will be|has been|have been) (?:jointly )?(?:funded|financed) (?:by|through|within|from)\b|"
    r"\b(?:position|post|project|studentship|scholarship|positions|posts|projects)\s+(?:is |are )?(?:funded|financed) by\b|"
    r"\bfunded (?:jointly )?by (?:the |an? )?(?-i:[A-Z])|"
    r"\bscholarships? (?:that |which )?covers?\b|"
    r"\b(?:offer(?:s|ing)?|award(?:s|ing)?|provides?|with) (?:a |an |\d+ |several |two |three )?"
    r"(?:(?:fully[- ]funded|funded|full|competitive|doctoral|ph\.?d\.?)\s)*(?:scholarships?|studentships?|fellowships?)\b|"
    r"\b(?:scholarships?|studentships?|fellowships?) (?:are|is) available\b|"
    r"\bapplications? for (?:\w+ ){0,2}(?:ph\.?\s?d\.?|doctoral) (?:scholarships?|studentships?)\b|"
    + STIPEND_WORDS
    + "|"
    + FUNDED_WORDS,
    re.I,
)


def _ALSO_WELCOME(text: str, match: re.Match[str]) -> bool:
    """ "Self-financed candidates may also apply": others are welcome besides the funded post."""
    after = text[match.end() : match.end() + 60]
    return bool(
        re.match(
            r"\s*(?:candidates?|applicants?|students?)\b[^.]{0,30}\b(?:may|can|are) (?:also|welcome)",
            after,
            re.I,
        )
    )


def extract_funding(
    doc: Doc, *, stipend: Stipend | None = None, contract: Contract | None = None
) -> Found[Funding]:
    text = doc.all_text
    checks: tuple[tuple[re.Pattern[str], Funding, str, float], ...] = (
        (_SELF, "self", "words_self_funded", 0.85),
        (_PARTIAL, "partial", "words_partially_funded", 0.8),
    )
    for regex, value, rule, confidence in checks:
        match = next((m for m in regex.finditer(text) if not _ALSO_WELCOME(text, m)), None)
        if match:
            return Found(
                value, evidence(snippet_around(text, match.start(), match.end()), rule, confidence)
            )
    full = _FULL.search(text) or re.search(r"\bfully[- ]funded\b|\bfull funding\b", text, re.I)
    if full:
        return Found(
            "full", evidence(snippet_around(text, full.start(), full.end()), "words_funded", 0.85)
        )
    titled = re.search(
        r"\b(?:ph\.?\s?d\.?|doctoral)\s+(?:scholarships?|studentships?|fellowships?)\b",
        doc.title,
        re.I,
    )
    if titled:
        # An advert titled "PhD scholarships" offers the scholarship itself.
        return Found("full", evidence(doc.title, "title_scholarship", 0.6))
    if stipend is not None and (stipend.amount is not None or stipend.pay_scale):
        return Found("full", evidence(stipend.text or "stipend", "stipend_stated", 0.75))
    if contract == "employment":
        return Found("full", evidence("salaried employment", "salaried_employment", 0.6))
    for key, label_value in doc.fields.items():
        if (
            re.search(r"fund|financ", key)
            and re.search(
                r"\bfunded\b|scholarship|studentship|fellowship|stipend|salary|grant",
                label_value,
                re.I,
            )
            and not re.search(r"self|unfunded|not funded|no funding", label_value, re.I)
        ):
            return Found("full", evidence(f"{key}: {label_value}", "label_funded", 0.8))
    return Found("unknown", evidence("", "no_funding_statement", 0.7))
