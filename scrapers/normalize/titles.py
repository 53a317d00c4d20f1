"""Titles: boilerplate removed ("PhD Position: X" -> "X"), and the degree level."""

from __future__ import annotations

import re

from scrapers.normalize.text import Doc, Found, evidence, squash

_GENDER = r"(?i:\(?\s*(?:[mfwdx]\s*/\s*){1,3}[mfwdx]\s*\)?|\(all genders\))"
_KIND = r"(?:ph\.?\s?d\.?|doctoral|doctorate)\s+(?:student\s+)?(?:position|studentship|scholarship|fellowship|opportunity|project|vacancy|opening|candidate|researcher)s?"
# "PhD Position: X", "Self-funded PhD: X", "EPSRC DTP PhD Studentship: X", "PhD Position F/M X",
# "PhD Position Robust Control of ..." (a capitalised topic straight after the kind).
_PREFIX = re.compile(
    rf"^\s*(?:new:?\s*|open:?\s*|job:?\s*|vacancy:?\s*)?(?:(?!post\b)[\w/&.-]+\s+){{0,4}}?"
    rf"(?:{_KIND}|(?:self|fully|partially)[- ]funded\s+ph\.?\s?d\.?)\s*(?:{_GENDER}\s*)?(?::\s+|\s+[\u2013|-]\s+)",
    re.I,
)
_PREFIX_NO_COLON = re.compile(
    rf"^\s*(?-i:PhD|Ph\.D\.|Doctoral)\s+(?i:position|studentship|vacancy|candidate)\s*(?:{_GENDER}\s+)?(?=[A-Z])(?!(?:In|At|On|For|With|And|Of)\b)",
)
_GENDER_ONLY = re.compile(rf"^(?P<head>{_KIND})\s+{_GENDER}(?=\s)", re.I)
_SITE_SUFFIX = re.compile(r"\s+[|\-\u2013]\s+[^|\-\u2013]{2,40}$")


def clean_title(
    title: str, *, institution: str | None = None, country_name: str | None = None
) -> str:
    """ "PhD Position: The Mathematics of X University of Southampton in United Kingdom" -> "The Mathematics of X"."""
    text = squash(title)
    # Board tags in front of the title: "[Recruiting] ...", "(Open) ...".
    text = (
        re.sub(
            r"^(?:\[[^\]]{1,25}\]|\((?:open|new|closed|recruiting|filled|hiring)\))\s*",
            "",
            text,
            flags=re.I,
        )
        or text
    )
    for regex in (_PREFIX, _PREFIX_NO_COLON):
        stripped = regex.sub("", text, count=1)
        if stripped != text and len(stripped) >= 8:
            text = stripped
            break
    if institution and country_name:
        # Aggregators append "<institution> in <country>" without a separator; a title that
        # names its place ("PhD position at University of X") keeps it.
        suffix = rf"\s+(?:the\s+)?{re.escape(institution)}\s+in\s+(?:the\s+)?{re.escape(country_name)}\s*$"
        stripped = re.sub(suffix, "", text, flags=re.I)
        if len(stripped) >= 12:
            text = stripped
    return text.strip(" -\u2013|:,")


def strip_site_name(title: str, site_names: list[str]) -> str:
    """ "Ph.D. Fellowships at the BCAM, Bilbao - DinAmicI" -> "Ph.D. Fellowships at the BCAM, Bilbao"."""
    for name in site_names:
        if name and title.endswith(name):
            return re.sub(r"\s*[|\-\u2013]\s*$", "", title[: -len(name)]).strip()
    return title


_DEGREES = (
    (
        "PhD",
        re.compile(
            r"\bph\.?\s?d\b|\bdoctoral\b|\bdoctorate\b|\bdphil\b|\bdoctor of philosophy\b|\bpromotion\b|\bdoktorand",
            re.I,
        ),
    ),
    ("EngD", re.compile(r"\beng\.?d\b", re.I)),
    (
        "Master",
        re.compile(
            r"\bmasters? (?:by research|student|thesis|position|studentship)\b|\bm\.?res\b|\bmphil\b",
            re.I,
        ),
    ),
    ("Postdoc", re.compile(r"\bpost-?doc(?:toral)?\b", re.I)),
)


def extract_degree(doc: Doc) -> Found[str]:
    for key, value in doc.fields.items():
        if re.search(r"degree level|level|degree type", key):
            for name, regex in _DEGREES:
                if regex.search(value):
                    return Found(name, evidence(f"{key}: {value}", "label_degree", 0.95))
    for source, rule in ((doc.title, "title_degree"), (doc.text, "text_degree")):
        for name, regex in _DEGREES:
            match = regex.search(source)
            if match:
                return Found(
                    name,
                    evidence(
                        source[max(0, match.start() - 40) : match.end() + 40],
                        rule,
                        0.9 if rule == "title_degree" else 0.7,
                    ),
                )
    return Found("PhD", evidence("", "default_degree", 0.5))
