"""Funding: full / partial / self / unknown.

Salaried doctoral employment counts as full funding; so does a stipend or studentship that
the advert offers. Mentions of funding schemes the candidate may apply to do not.
"""

from __future__ import annotations

import re

from scrapers.records import Contract, Funding, Stipend
from scrapers.normalize.text import Doc, Found, evidence, snippet_around

_SELF = re.compile(
    r"\bself[- ]funded\b|\bself[- ]financ\w+|\bno funding (?:is )?(?:available|attached|provided)|"
    r"\bfunding is not (?:available|provided)|\bnot funded\b|\bunfunded\b|"
    r"(?:must|should|need to|required to) (?:secure|find|obtain|provide|have) (?:their|your) own funding|"
    r"\bfund (?:their|your) own studies",
    re.I,
)
_PARTIAL = re.compile(
    r"\bpartial(?:ly)?[- ]funded\b|\bpartial (?:funding|scholarship|studentship|stipend)|"
    r"\b(?:tuition )?fees[- ]only\b|\bcovers? (?:only )?(?:the )?tuition fees? only|"
    r"\bhalf[- ]funded\b",
    re.I,
)
_FULL = re.compile(
    r"\bfully[- ]funded\b|\bfull(?:y)? funding\b|\bcompletely funded\b|\bfull scholarships?\b|"
    r"\bfunded (?:phd|doctoral|ph\.d\.) (?:project|position|studentship|programme|program)s?\b|"
    r"\b(?:is|are|will be|has been|have been) (?:jointly )?(?:funded|financed) (?:by|through|within|from)\b|"
    r"\b(?:position|post|project|studentship|scholarship|positions|posts|projects)\s+(?:is |are )?(?:funded|financed) by\b|"
    r"\bfunded (?:jointly )?by (?:the |an? )?(?-i:[A-Z])|"
    r"\bscholarships? (?:that |which )?covers?\b|"
    r"\b(?:offer(?:s|ing)?|award(?:s|ing)?|provides?|with) (?:a |an |\d+ |several |two |three )?"
    r"(?:(?:fully[- ]funded|funded|full|competitive|doctoral|ph\.?d\.?)\s)*(?:scholarships?|studentships?|fellowships?)\b|"
    r"\b(?:scholarships?|studentships?|fellowships?) (?:are|is) available\b",
    re.I,
)


def extract_funding(
    doc: Doc, *, stipend: Stipend | None = None, contract: Contract | None = None
) -> Found[Funding]:
    text = doc.all_text
    for regex, value, rule, confidence in (
        (_SELF, "self", "words_self_funded", 0.85),
        (_PARTIAL, "partial", "words_partially_funded", 0.8),
    ):
        match = regex.search(text)
        if match:
            return Found(value, evidence(snippet_around(text, match.start(), match.end()), rule, confidence))
    full = _FULL.search(text) or re.search(r"\bfully[- ]funded\b|\bfull funding\b", text, re.I)
    if full:
        return Found("full", evidence(snippet_around(text, full.start(), full.end()), "words_funded", 0.85))
    if stipend is not None and (stipend.amount is not None or stipend.pay_scale):
        return Found("full", evidence(stipend.text or "stipend", "stipend_stated", 0.75))
    if contract == "employment":
        return Found("full", evidence("salaried employment", "salaried_employment", 0.6))
    for key, value in doc.fields.items():
        if "fund" in key and re.search(r"\bfunded\b", value, re.I) and not re.search(r"self|unfunded", value, re.I):
            return Found("full", evidence(f"{key}: {value}", "label_funded", 0.8))
    return Found("unknown", evidence("", "no_funding_statement", 0.5))
