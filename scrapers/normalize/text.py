"""Text helpers every extractor shares: cleaning, sentences, labelled lines, links, evidence.

The normaliser reads adverts written as plain text, Markdown or HTML fragments. Everything
here is tolerant: any string gives a (possibly empty) answer, never an exception.
"""

from __future__ import annotations

import calendar
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from scrapers.normalize.lexicon import foreign_month_names
from scrapers.records import Evidence

T = TypeVar("T")

SNIPPET_CHARS = 160
MAX_INPUT_CHARS = 400_000
MAX_TEXT_CHARS = 60_000


@dataclass(frozen=True)
class Found(Generic[T]):
    """An extracted value with the evidence for it."""

    value: T
    evidence: Evidence


def evidence(snippet: str, rule: str, confidence: float) -> Evidence:
    return Evidence(snippet=squash(snippet)[:SNIPPET_CHARS], rule=rule, confidence=confidence)


def squash(text: str) -> str:
    """One line, single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def snippet_around(text: str, start: int, end: int, width: int = 70) -> str:
    """The match with some context, cut at sentence or line boundaries where possible."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    window_left = text[left:start]
    cut = max(window_left.rfind(". "), window_left.rfind("\n"))
    if cut != -1:
        left = left + cut + 1
    window_right = text[end:right]
    stops = [i for i in (window_right.find(". "), window_right.find("\n")) if i != -1]
    if stops:
        right = end + min(stops) + 1
    return squash(text[left:right])


def fold(text: str) -> str:
    """Lower case without accents: "Zürich" and "Zurich" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# --- cleaning -----------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]{0,2000}>")
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|h[1-6]|tr|table|ul|ol|section|article|dt|dd)\b[^>]*>", re.I
)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
# BBCode that went through a Markdown converter: "16[sup](sup)th[/sup](/sup)".
_BBCODE_LINK = re.compile(r"\[(/?[a-z]{1,6})\]\(\1\)", re.I)
_BBCODE = re.compile(r"\[/?(?:sup|sub|b|i|u|url|size|color)(?:=[^\]]{0,40})?\]", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,500}\)")
_MD_LINK = re.compile(r"\[([^\[\]]{0,300})\]\(([^()\s]{1,1000})(?:\s+\"[^\"\n]{0,200}\")?\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]{1,1000})>")
_EMPHASIS = re.compile(r"(\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n\1[ \t]*(\r?\n|\Z)", re.S)


def strip_front_matter(text: str) -> tuple[str, str]:
    """(header, body) when the text still carries YAML/TOML front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text
    return match.group(2), text[match.end() :]


def parse_simple_front_matter(header: str) -> dict[str, str]:
    """`key: value` and `key = "value"` lines: enough for titles and dates, no YAML engine."""
    meta: dict[str, str] = {}
    for line in header.splitlines():
        match = re.match(r"\s*([A-Za-z_][\w-]{0,40})\s*[:=]\s*(.*?)\s*$", line)
        if match and match.group(2):
            meta[match.group(1)] = match.group(2).strip("\"'")
    return meta


def clean_text(text: str) -> str:
    """Plain text from plain text, Markdown or an HTML fragment; links keep their targets.

    A Markdown link becomes "anchor <target>" so that sentence rules still see the URL next to
    the words that introduce it ("Apply here <https://...>").
    """
    if not text:
        return ""
    # Jekyll/Liquid comments and tags are template code, not advert text.
    text = re.sub(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{%.{0,300}?%\}|\{\{.{0,300}?\}\}", " ", text)
    # Markdown autolinks and bracketed addresses look like tags: keep them as links first.
    text = _AUTOLINK.sub(lambda m: f"[{m.group(1)}]({m.group(1)})", text)
    text = re.sub(r"<([\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+)>", r" \1 ", text)
    if "<" in text and _TAG.search(text):
        text = _SCRIPT.sub(" ", text)
        text = re.sub(
            r"<a\b[^>]*?href\s*=\s*[\"']?([^\"'\s>]+)[^>]*>(.*?)</a\s*>",
            lambda m: f"[{m.group(2)}]({m.group(1)})",
            text,
            flags=re.I | re.S,
        )
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\r", "")
    # Full-width and small at signs (U+FF20, U+FE6B) hide addresses from plain readers.
    text = text.replace("\uff20", "@").replace("\ufe6b", "@")
    text = _BBCODE_LINK.sub("", text)
    # The same BBCode after a Markdown renderer turned it into links: "16supth/sup".
    text = re.sub(r"(?<=\d)sup(st|nd|rd|th)/sup", r"\1", text)
    text = _BBCODE.sub("", text)
    text = _MD_IMAGE.sub(" ", text)
    text = _MD_LINK.sub(_link_text, text)
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _link_text(match: re.Match[str]) -> str:
    anchor, target = squash(match.group(1)), match.group(2).strip()
    if not anchor or anchor == target:
        return f"<{target}>"
    return f"{anchor} <{target}>"


def join_lines(text: str) -> str:
    """Paragraphs as single lines: hard-wrapped Markdown joined, blank lines and bullets kept."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        current = ""
        for line in lines:
            starts_item = bool(re.match(r"([-*+•]|\(?\d{1,2}[.)]|\(\+\))\s", line))
            looks_label = bool(re.match(r"[A-Z][\w /&'()-]{1,50}:\s", line)) and len(line) < 200
            if current and (starts_item or looks_label or _ends_hard(current)):
                out.append(current)
                current = line
            else:
                current = f"{current} {line}" if current else line
        if current:
            out.append(current)
        out.append("")
    return "\n".join(out).strip()


def _ends_hard(line: str) -> bool:
    # A line ending a label value ("Duration: 3.5 years") is kept apart from the next one.
    return bool(re.match(r"[A-Z][\w /&'()-]{1,50}:\s", line)) and not line.rstrip().endswith(",")


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"'(<*])|\n+")
_ABBREVIATIONS = re.compile(
    r"\b(?:Dr|Prof|Mr|Mrs|Ms|St|e\.g|i\.e|etc|approx|incl|Dipl|Ing|no|vs|Ph\.D|M\.Sc|B\.Sc|Jr|Sr|Rs|Nr|ca|Univ|Assoc|Asst|"
    # The same in the adverts' other languages: "pr. 1. september", "kl. 12.00", "z.B.".
    r"pr|kl|z\.B|bzw|ggf|evtl|bzgl|u\.a|d\.h|vgl|Dott|Dra|Sra|Pr|Mme|tlf|Tel|f\.eks|bl\.a|t\.ex|resp)\.$",
    re.I,
)


_MONTH_WORD = re.compile(
    r"(?i:"
    + "|".join(
        sorted(
            {calendar.month_name[n].lower() for n in range(1, 13)}
            | {calendar.month_abbr[n].lower() for n in range(1, 13)}
            | set(foreign_month_names()),
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) spans; titles like "Dr." do not end a sentence."""
    spans: list[tuple[int, int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if "\n" not in match.group(0) and _ABBREVIATIONS.search(candidate[-12:]):
            continue
        if (
            "\n" not in match.group(0)
            and re.search(r"\d\.$", candidate)
            and re.match(r"\d{1,2}\.", text[match.end() : match.end() + 3])
        ):
            continue  # "2026. 5. 15.": a date written year. month. day., not three sentences
        if (
            "\n" not in match.group(0)
            and re.search(r"(?<![\d.])\d{1,2}\.$", candidate)
            and _MONTH_WORD.match(text, match.end())
        ):
            continue  # "bis zum 30. November 2025": a day ordinal before its month
        if candidate.strip():
            spans.append((start, match.start(), candidate.strip()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text), text[start:].strip()))
    return spans


# --- labels -------------------------------------------------------------------------------

_LABEL_LINE = re.compile(
    r"^[ \t]*(?:[-*+•][ \t]+)?([A-Z][A-Za-z0-9 /&'()\-]{1,60}?)[ \t]*:[ \t]*(\S.{0,400}?)[ \t]*$",
    re.M,
)


def label_key(label: str) -> str:
    return squash(re.sub(r"[*_:#]+", " ", label)).casefold()


def labelled_lines(text: str) -> list[tuple[str, str, int]]:
    """("deadline", "14 April 2019", offset) for lines like "- Deadline: 14 April 2019"."""
    found: list[tuple[str, str, int]] = []
    for match in _LABEL_LINE.finditer(text):
        label = match.group(1)
        if len(label.split()) > 7 or re.search(r"https?$|^https?", label.strip(), re.I):
            continue
        found.append((label_key(label), match.group(2).strip(), match.start(2)))
    return found


def normalise_fields(fields: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in fields.items():
        if value is None:
            continue
        text = clean_text(str(value)) if not isinstance(value, str) else clean_text(value)
        if text:
            out.setdefault(label_key(str(key)), text)
    return out


def find_field(fields: Mapping[str, str], patterns: Iterable[str]) -> tuple[str, str] | None:
    """The first field whose label matches one of the regexes (searched, case-insensitive)."""
    compiled = [re.compile(pattern, re.I) for pattern in patterns]
    for regex in compiled:
        for key, value in fields.items():
            if regex.search(key):
                return key, value
    return None


# --- links --------------------------------------------------------------------------------

URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`]{2,1000}")
_REDIRECT_PARAMS = ("u", "url", "q", "target", "dest", "destination", "redirect")


def tidy_url(url: str) -> str:
    url = url.strip().rstrip(".,;:!?)>]\"'")
    if url.startswith("www."):
        url = "http://" + url
    return unwrap_redirect(url)


def unwrap_redirect(url: str) -> str:
    """The destination of a click-tracking link (facebook l.php?u=..., ...?url=...)."""
    try:
        parts = urlsplit(url)
        query = parse_qs(parts.query)
    except ValueError:
        return url
    for name in _REDIRECT_PARAMS:
        for value in query.get(name, []):
            target = unquote(value)
            if target.startswith(("http://", "https://")):
                return target
    return url


@dataclass
class Link:
    anchor: str
    href: str
    offset: int  # where in the document text the link (or its anchor) sits; -1 if unknown


_BRACKETED_URL = re.compile(r"<((?:https?://|mailto:|www\.)[^<>\s]{1,1000})>")


def links_in_text(text: str) -> list[Link]:
    """URLs written in the text: "anchor <url>" pairs from Markdown links, and bare URLs."""
    found: list[Link] = []
    for match in _BRACKETED_URL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        anchor = text[max(line_start, match.start() - 80) : match.start()].strip()
        found.append(Link(anchor, match.group(1), match.start(1)))
    taken = {link.offset for link in found}
    for match in URL.finditer(text):
        # Not inside "<url>" (taken above), nor the host of an e-mail address ("jo@www.x.org").
        if match.start() not in taken and text[max(0, match.start() - 1) : match.start()] not in (
            "<",
            "@",
        ):
            found.append(Link("", match.group(0).rstrip(".,;:!?)]'\""), match.start()))
    return found


# --- the document every extractor reads ----------------------------------------------------


@dataclass
class Doc:
    """An advert prepared once for all extractors."""

    url: str
    title: str
    text: str  # cleaned body text, paragraphs on single lines
    fields: dict[str, str]  # labels from the adapter and "Label: value" lines in the text
    meta: dict[str, Any]
    links: list[Link] = field(default_factory=list)
    sentences: list[tuple[int, int, str]] = field(default_factory=list)
    field_offsets: dict[str, int] = field(default_factory=dict)

    @property
    def all_text(self) -> str:
        return f"{self.title}\n{self.text}"

    def meta_text(self, *keys: str) -> str | None:
        for key in keys:
            for candidate, value in self.meta.items():
                if candidate.casefold() == key.casefold() and value not in (None, "", [], {}):
                    if isinstance(value, dict | list):
                        return None
                    return str(value)
        return None


def advert_text(text: str) -> str:
    """An advert's text as the rules read it and the description shows it."""
    # An advert is a few thousand characters; the rest of a huge page is navigation or noise,
    # and cutting it keeps every rule's cost bounded.
    return join_lines(clean_text(text[:MAX_INPUT_CHARS]))[:MAX_TEXT_CHARS]


# Front-matter keys a news or blog post gives the advert's own page in.
META_LINK_KEYS = ("link", "external_link", "external_url", "source_url", "source_link")


def build_doc(
    *,
    url: str,
    title: str,
    text: str,
    html_fragment: str,
    fields: Mapping[str, Any],
    meta: Mapping[str, Any],
    links: Iterable[tuple[str, str]],
) -> Doc:
    body = text if text.strip() else html_fragment
    header, body = strip_front_matter(body)
    meta_dict: dict[str, Any] = dict(meta)
    if header:
        for key, value in parse_simple_front_matter(header).items():
            meta_dict.setdefault(key, value)
    cleaned = advert_text(body)
    doc_fields = normalise_fields(fields)
    offsets: dict[str, int] = {}
    for key, value, offset in labelled_lines(cleaned):
        if key not in doc_fields:
            doc_fields[key] = value
            offsets[key] = offset
    doc_links = links_in_text(cleaned)
    for anchor, href in links:
        if not isinstance(href, str) or not href:
            continue
        anchor_text = squash(clean_text(anchor or ""))
        offset = cleaned.find(anchor_text) if anchor_text else -1
        doc_links.append(Link(anchor_text, href, offset))
    for key in META_LINK_KEYS:
        meta_link = meta_dict.get(key)
        if isinstance(meta_link, str) and re.match(r"https?://[^\s/]+\.[^\s/]+", meta_link.strip()):
            doc_links.append(Link(key, meta_link.strip(), -1))
    meta_title = meta_dict.get("title")
    doc_title = (
        clean_text(str(meta_title)[:2000]) if isinstance(meta_title, str) and meta_title else ""
    )
    return Doc(
        url=url,
        title=(squash(clean_text(title[:2000])) or squash(doc_title))[:500],
        text=cleaned,
        fields=doc_fields,
        meta=meta_dict,
        links=doc_links,
        sentences=sentences(cleaned),
        field_offsets=offsets,
    )


def complete_addresses(emails: list[str]) -> list[str]:
    """Drop an address cut short of its domain's last part where the page writes it whole
    too: "phd-office@mfpl.ac at ..." beside "phd-office@mfpl.ac.at" (an address under a
    two-part public suffix, broken once by a space). The whole one takes the cut one's place."""
    whole: list[str] = []
    for email in emails:
        local, _, domain = email.lower().partition("@")
        longer = next(
            (
                other
                for other in emails
                if other.lower().startswith(f"{local}@{domain}.")
                and "@" in other
                and other.lower() != email.lower()
            ),
            None,
        )
        chosen = longer or email
        if chosen.lower() not in (w.lower() for w in whole):
            whole.append(chosen)
    return whole
