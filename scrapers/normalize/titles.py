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


_PLACE_KIND = re.compile(
    r"^\s*(?:ph\.?\s?d\.?|doctoral|doctorate)\s+(?:student\s+)?"
    r"(?:position|studentship|scholarship|fellowship|project|vacancy|opening|candidate)s?\s+"
    r"(?=(?:in|at)\s)",
    re.I,
)
_PIECES = re.compile(r"\s*(?:,|:|\s[\u2013|-])\s*")


def _known_place(piece: str, names: list[str]) -> bool:
    """ "Berlin", "Germany", "the Weierstrass Institute": one of the advert's own place or
    institution names (either contains the other, ignoring case)."""
    text = piece.lower()
    return len(text) >= 3 and any(text in name or name in text for name in names)


def strip_place_preamble(title: str, names: list[str]) -> str:
    """ "Ph.D. position in Berlin, Germany, at the X Institute, optimization and machine
    learning" -> "Optimization and machine learning": the kind, then "in"/"at" phrases that
    name the advert's own city, country or institution, then the topic. A title whose "in"
    names no known place ("PhD position in Mathematical Physics") is kept."""
    names = [name.lower() for name in names if name and len(name) >= 3]
    head = _PLACE_KIND.match(title)
    if not head or not names:
        return title
    pieces = _PIECES.split(title[head.end() :])
    consumed = 0
    for piece in pieces[:-1]:
        bare = re.sub(r"^(?:in|at)\s+(?:the\s+)?", "", piece, flags=re.I)
        if (consumed == 0 and bare == piece) or not _known_place(bare, names):
            break
        consumed += 1
    rest = ", ".join(pieces[consumed:]).strip()
    if not consumed or len(rest) < 8 or len(rest.split()) < 2:
        return title
    return rest[0].upper() + rest[1:]


def clean_title(
    title: str,
    *,
    institution: str | None = None,
    country_name: str | None = None,
    city: str | None = None,
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
    text = strip_place_preamble(text, [institution or "", country_name or "", city or ""])
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
