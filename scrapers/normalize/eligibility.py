"""Eligibility: who may apply (home / EU / international), and whom the funding is for.

Two facts, kept apart: "applicants from any country are welcome" says who may apply
(`open_to`); only a funded position is funded for anyone (`eligibility`, the "Funded for
me" filter). A self-funded position, or one whose funding the advert does not state, is
funded for nobody, however widely it invites applications.

"Students Worldwide" next to "fees covered at the UK rate" is recorded as a contradiction:
international applicants may apply, but their fees are not fully covered.
"""

from __future__ import annotations

import re

from scrapers.normalize.money_words import ANYONE_WORDS, EU_WORDS, INTERNATIONAL_WORDS
from scrapers.normalize.text import Doc, evidence, snippet_around
from scrapers.records import EligibilityValue, Evidence, Fees, Funding

FUNDED: frozenset[str] = frozenset({"full", "partial"})


def funded_for(funding: Funding | str, open_to: list[EligibilityValue]) -> list[EligibilityValue]:
    """The groups a position's funding is for: those who may apply, if it is funded at all."""
    return list(open_to) if funding in FUNDED else []


_PEOPLE = r"(?:students?|applicants?|candidates?|citizens?|nationals?|residents?|graduates?|individuals?|researchers?)"
_INTERNATIONAL = re.compile(
    rf"\binternational (?:and (?:(?-i:UK|EU)|home|domestic) )?(?:\(non-EU\) )?{_PEOPLE}\b[^.]{{0,100}}?"
    rf"\b(?:welcome|encouraged|eligible|may apply|can apply|are invited|also apply|apply)|"
    rf"\b(?:(?-i:UK|EU)|home|domestic)(?:/EU)? and international {_PEOPLE}|"
    rf"\bopen to (?:all|international|applicants of any|candidates of any|students from all|everyone)|"
    rf"\bstudents worldwide\b|\bregardless of (?:their )?(?:nationality|citizenship|country)|"
    rf"\b(?:all|any) nationalit(?:y|ies)\b|\binternational call\b|\bfrom all over the world\b|"
    rf"\b(?:foreign|overseas|non-(?-i:EU)|non-(?-i:UK)) {_PEOPLE}\b[^.;]{{0,60}}?\b(?:welcome|encouraged|eligible|may apply|can apply|are invited|also apply)|"
    rf"\b(?:available|open) to (?:successful |suitably qualified )?international {_PEOPLE}\b|"
    rf"\bno (?:nationality|citizenship) restrictions?\b|\binternational {_PEOPLE}\b[^.]{{0,40}}\bvisa\b|"
    rf"\b{_PEOPLE} from [^.]{{0,60}}\boutside (?:the )?(?-i:EU|EEA|UK|Europe)\b[^.]{{0,40}}\b(?:welcome|encouraged|eligible|may apply|can apply|invited)|"
    # Rules written for them say they may apply: their own deadline, fee or scholarship.
    rf"\bapplications? (?:from|for|by) (?:international|foreign|overseas) {_PEOPLE}|"
    rf"\b(?:international|foreign|overseas) (?:\w+ )?{_PEOPLE} (?:pay|are charged|will be charged|are (?:normally )?due)\b|"
    rf"\b(?:scholarships?|fellowships?|studentships?|grants?|programmes?) for (?:international|foreign|overseas) {_PEOPLE}|"
    # "This page is mainly for international students"; a list of who may apply that names
    # them ("Permanent Residents of Australia; International students").
    rf"\b(?:is|are) (?:mainly |primarily |especially |specifically |also )?(?:for|aimed at|intended for|targeted at|designed for|open to) international {_PEOPLE}|"
    rf"\b(?:citizens?|residents?|nationals?)(?: of (?-i:[A-Z])\w+(?: (?-i:[A-Z])\w+)?)?\s*[;,/]\s*(?:and |or )?international {_PEOPLE}\b|"
    # The Marie Skłodowska-Curie mobility rule: only those who have not lived in the host
    # country may apply, so the call is open to every nationality.
    rf"\b(?:must|should|shall|may) not have resided\b|\bnot (?:have )?resided or carried out (?:their|his/her|his or her) main activity|"
    + INTERNATIONAL_WORDS,
    re.I,
)
_NATIONALS = (
    r"Irish|British|Dutch|German|French|Swedish|Danish|Norwegian|Finnish|Swiss|Austrian|Belgian|"
    r"Italian|Spanish|Portuguese|Australian|Canadian|American|Japanese|Chinese|Korean|Singaporean|"
    r"New Zealand|Icelandic|Polish|Czech|Indian|Israeli|Brazilian|Mexican|South African"
)
_HOME = re.compile(
    rf"\b(?<!non-)(?-i:{_NATIONALS}) (?-i:citizens?|nationals?|residents?|students?|applicants?)\b|"
    rf"\b(?:(?-i:UK|US)|British|home|domestic)(?:/EU)?(?: or EU)? {_PEOPLE}\b|\b(?-i:UK/EU)\b|"
    rf"\b(?-i:UK|US) (?:citizens?|nationals?|residents?)\b|\b(?-i:UK) (?:and|or) (?:(?-i:EU)|international)\b|"
    rf"\bhome (?:fee )?status\b|\bsettled status\b|\bUS citizenship\b|\bpermanent residents?\b|"
    rf"\b(?:home|domestic) (?:and|or) (?:(?-i:EU)|international|overseas)\b|"
    rf"\b(?:home|(?-i:UK)|(?-i:UK/EU)) (?:fee )?rate\b|\bhome fees\b",
    re.I,
)
_EU = re.compile(
    rf"\b(?-i:EU)\b(?:/EEA)? {_PEOPLE}|\b(?-i:EU/EEA|UK/EU)\b|\b(?:an? )?(?-i:EU) citizen|\bEuropean (?:Union )?(?:citizens?|nationals?)\b|"
    rf"\b(?-i:EEA) {_PEOPLE}|\b(?-i:EU) nationals\b|\bor (?:an? )?(?-i:EU)\b|"
    rf"\b{_PEOPLE} from (?:[^.]{{0,40}}?,\s*)?(?:the )?(?-i:EU|EEA)\b(?! countries only)|"
    rf"\b{_PEOPLE} from (?:the )?European (?:continent|countries)|\b{_PEOPLE} from (?:all over )?(?-i:Europe)\b|"
    + EU_WORDS,
    re.I,
)
_ANYONE = re.compile(
    r"\b(?:applicants?|candidates?|students?) of (?:any|all|every) nationalit(?:y|ies)|"
    r"\b(?:applicants?|candidates?|students?) (?:(?:can|may) (?:be|come) )?from (?:any|all|every) countr(?:y|ies)|"
    r"\b(?:all|any) nationalities (?:are|is) (?:welcome|eligible)|\bopen to (?:all|any) nationalit(?:y|ies)|"
    r"\b(?:applicants|candidates|students) from all countries|"
    r"\bregardless of (?:their )?(?:nationality|citizenship)|\bno (?:nationality|citizenship) restrictions?|"
    r"\bopen to (?:applicants|candidates|students) (?:of|from) (?:any|all) (?:nationalit|countr)|"
    + ANYONE_WORDS,
    re.I,
)
_ONLY_HOME = re.compile(
    rf"\bonly (?:open )?to (?:(?-i:UK|US)|home|domestic) {_PEOPLE}\b|\b(?-i:UK|US) {_PEOPLE} only\b",
    re.I,
)


def extract_eligibility(doc: Doc) -> tuple[list[EligibilityValue], Evidence | None]:
    text = doc.all_text
    labels = " ".join(
        f"{key}: {value}"
        for key, value in doc.fields.items()
        if re.search(r"funding|eligib|nationality|who can apply", key)
    )
    values: list[EligibilityValue] = []
    snippets: list[str] = []
    for regex, value in ((_HOME, "home"), (_EU, "eu"), (_INTERNATIONAL, "international")):
        match = regex.search(labels) or regex.search(text)
        if match:
            values.append(value)  # type: ignore[arg-type]
            source = labels if regex.search(labels) else text
            snippets.append(snippet_around(source, match.start(), match.end(), width=40))
    anyone = _ANYONE.search(labels) or _ANYONE.search(text)
    if anyone:
        # Open to every nationality: home and EU applicants as much as international ones.
        snippet = (
            snippet_around(text, anyone.start(), anyone.end(), width=40)
            if _ANYONE.search(text)
            else labels
        )
        return ["home", "eu", "international"], evidence(snippet, "sentence_any_nationality", 0.8)
    if not values:
        return [], None
    if "international" in values and _ONLY_HOME.search(text):
        values.remove("international")
    return values, evidence(" … ".join(snippets), "sentences_eligibility", 0.75)


def eligibility_contradictions(
    doc: Doc, eligibility: list[EligibilityValue], fees: Fees
) -> list[dict[str, str]]:
    """International applicants welcome while fees are covered only at the home rate."""
    if "international" in eligibility and fees == "home":
        return [
            {
                "field": "eligibility",
                "chosen": "international",
                "other": "fees covered at the home rate",
                "why": "international applicants may apply but only home-rate fees are covered; "
                "they would pay the difference",
            }
        ]
    return []
