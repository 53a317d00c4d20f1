"""Titles: boilerplate removed ("PhD Position: X" -> "X"), and the degree level."""

from __future__ import annotations

import re

from scrapers.normalize.text import Doc, Found, evidence, squash

_PREFIX = re.compile(
    r"^\s*(?:new:?\s*|open:?\s*|job:?\s*|vacancy:?\s*)?(?:fully[- ]funded\s+)?"
    r"(?:ph\.?\s?d\.?|doctoral|doctorate)\s+(?:position|studentship|scholarship|fellowship|opportunity|project|vacancy|opening)s?\s*[:\-–|]\s+",
    re.I,
)
_SITE_SUFFIX = re.compile(r"\s+[|\-–]\s+[^|\-–]{2,40}$")


def clean_title(title: str, *, institution: str | None = None, country_name: str | None = None) -> str:
    """"PhD Position: The Mathematics of X University of Southampton in United Kingdom" -> "The Mathematics of X"."""
    text = squash(title)
    text = _PREFIX.sub("", text) or text
    if institution:
        suffix = rf"\s*(?:[,\-–|@]|\bat)?\s*(?:the\s+)?{re.escape(institution)}(?:\s+in\s+[A-Z][\w ]{{2,40}})?\s*$"
        stripped = re.sub(suffix, "", text, flags=re.I)
        if len(stripped) >= 12:
            text = stripped
    if country_name:
        stripped = re.sub(rf"\s+in\s+{re.escape(country_name)}\s*$", "", text, flags=re.I)
        if len(stripped) >= 12:
            text = stripped
    return text.strip(" -–|:,")


def strip_site_name(title: str, site_names: list[str]) -> str:
    """"Ph.D. Fellowships at the BCAM, Bilbao - DinAmicI" -> "Ph.D. Fellowships at the BCAM, Bilbao"."""
    for name in site_names:
        if name and title.endswith(name):
            return re.sub(r"\s*[|\-–]\s*$", "", title[: -len(name)]).strip()
    return title


_DEGREES = (
    ("PhD", re.compile(r"\bph\.?\s?d\b|\bdoctoral\b|\bdoctorate\b|\bdphil\b|\bdoctor of philosophy\b|\bpromotion\b|\bdoktorand", re.I)),
    ("EngD", re.compile(r"\beng\.?d\b", re.I)),
    ("Master", re.compile(r"\bmasters? (?:by research|student|thesis|position|studentship)\b|\bm\.?res\b|\bmphil\b", re.I)),
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
                return Found(name, evidence(source[max(0, match.start() - 40) : match.end() + 40], rule, 0.9 if rule == "title_degree" else 0.7))
    return Found("PhD", evidence("", "default_degree", 0.5))
