"""Where to apply, wherever the advert says it (issue 22). After the labelled field, the
metadata and the link introduced by apply words (people.extract_apply_url), the classes of
apply routes adverts give:

- a button whose words say apply: "Apply", "Login and apply", "Sign in to apply", "Apply
  online via the portal" (kept by the adapter from outside the advert's text);
- a link to a recruitment system (an applicant-tracking host that scrapers.platforms knows:
  Varbi, ReachMee, Workday, Jobbnorge, SuccessFactors), whatever its words;
- an e-mail address the application is sent to ("send your application to x@y.org",
  "applications ... to the email address <here>"), not one for enquiries: `mailto:` URL;
- a URL written in the text after apply words: read by people.extract_apply_url.

When the advert only names its portal ("Apply through the University's online
application system ...") there is no URL to give; the sentence is kept as the evidence
`apply_how`, and the page shows it.
"""

from __future__ import annotations

import re

from scrapers import platforms
from scrapers.normalize.people import _EMAIL, extract_apply_url
from scrapers.normalize.text import Doc, Found, Link, evidence, squash
from scrapers.records import Evidence

_BUTTON = re.compile(
    r"^\s*(?:(?:log ?in|sign ?in|register|click here)\s+(?:and|to)\s+)?"
    r"apply\b(?:\s+(?:now|online|here|today))?"
    r"(?:\s+(?:for|to|via|through|on|at)\b[^.!?]{0,40})?\s*[.!>»→]*\s*$",
    re.I,
)
_TRACKING_SYSTEMS = frozenset({"varbi", "reachmee", "workday", "jobbnorge", "successfactors"})
_SEND_CUE = re.compile(
    r"\bsend\b|\bsubmit\w*\b|\be-?mail\w*\b[^.]{0,40}\bapplication|\bapplications?\b|\bapply\b",
    re.I,
)
_ENQUIRY_CUE = re.compile(
    r"enquir|inquir|questions?\b|\bcontact\b|more information|further information|informal|"
    r"\bdirected to\b|\bwelcome to (?:e-?mail|contact|write)|\bbefore (?:applying|you apply)\b",
    re.I,
)
# A sentence's end: not the dot of a title or an abbreviation before a name ("Prof. Dr. X").
_SENTENCE_END = re.compile(
    r"(?<!\bProf)(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDra)(?<!\be\.g)(?<!\bi\.e)[.!?](?=\s)|\n"
)
_MAIL_WORDS = re.compile(r"e-?mail|address", re.I)
_PORTAL = (
    r"\b(?:portal|online application|application (?:system|form|portal)|recruitment system|"
    r"applicant portal)\b"
)
_APPLY_WORD = r"\b(?:apply|applications?)\b"
_PORTAL_SENTENCE = re.compile(
    rf"[^.\n]*(?:{_APPLY_WORD}[^.\n]{{0,80}}{_PORTAL}|{_PORTAL}[^.\n]{{0,80}}{_APPLY_WORD})[^.\n]*\.?",
    re.I,
)


def _button(doc: Doc) -> Found[str] | None:
    for link in doc.links:
        if link.href.startswith("http") and _BUTTON.match(link.anchor or ""):
            return Found(
                link.href, evidence(f"{link.anchor} {link.href}", "apply_button_words", 0.8)
            )
    return None


def _tracking_system_link(doc: Doc) -> Found[str] | None:
    advert = doc.url.rstrip("/")
    for link in doc.links:
        if not link.href.startswith("http") or link.href.rstrip("/") == advert:
            continue
        if platforms.detect(link.href) in _TRACKING_SYSTEMS:
            return Found(
                link.href,
                evidence(f"{link.anchor} {link.href}", "recruitment_system_link", 0.7),
            )
    return None


def _anchor_offset(text: str, link: Link) -> int:
    """Where a link sits in the text: -1 unless its words occur there exactly once."""
    if not link.anchor:
        return -1
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(link.anchor)}(?!\w)", text)]
    if len(found) > 1:
        # "... to the email address <a href=mailto:..>here</a>": the "here" after mail words.
        found = [start for start in found if _MAIL_WORDS.search(text[max(0, start - 40) : start])]
    return found[0] if len(found) == 1 else -1


def _addresses(doc: Doc) -> list[tuple[int, str]]:
    """E-mail addresses with where they sit: written in the text, or behind mailto links."""
    found = [(m.start(), m.group(0)) for m in _EMAIL.finditer(doc.text)]
    for link in doc.links:
        if link.href.lower().startswith("mailto:"):
            address = link.href[7:].split("?")[0]
            offset = _anchor_offset(doc.text, link)
            if _EMAIL.fullmatch(address) and offset >= 0:
                found.append((offset, address))
    return sorted(found)


def _own_sentence(text: str, offset: int, limit: int = 200) -> str:
    """The words before an address in its own sentence (at most `limit` characters)."""
    before = text[max(0, offset - limit) : offset]
    ends = list(_SENTENCE_END.finditer(before))
    return before[ends[-1].end() :] if ends else before


def _application_email(doc: Doc) -> Found[str] | None:
    text = doc.text
    for offset, address in _addresses(doc):
        near = _own_sentence(text, offset)
        window = text[max(0, offset - 300) : offset]
        if _ENQUIRY_CUE.search(near) or not _SEND_CUE.search(window):
            continue
        snippet = squash(window[-110:] + " " + address)
        return Found(f"mailto:{address}", evidence(snippet, "application_email", 0.75))
    return None


def extract_apply_route(doc: Doc) -> Found[str] | None:
    """The apply URL (http(s) or mailto) with its evidence, or None."""
    for finder in (extract_apply_url, _button, _tracking_system_link, _application_email):
        found = finder(doc)
        if found is not None:
            return found
    return None


def apply_instructions(doc: Doc) -> Evidence | None:
    """The sentence naming the application portal when the advert links none."""
    match = _PORTAL_SENTENCE.search(doc.text)
    if match is None:
        return None
    return evidence(match.group(0).strip(), "apply_instructions", 0.9)
