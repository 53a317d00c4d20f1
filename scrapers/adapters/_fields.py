"""Labelled fields ("Deadline: 1 May") from lines and from structure, the summary
block of an advert's own text, noise lines and plain-text titles."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from bs4 import Tag
from bs4.element import CData, NavigableString, PageElement

from scrapers.adapters._html import _LINE_BLOCKS, _PARAGRAPH_BLOCKS, block_text, inline_text
from scrapers.adapters._kinds import looks_like_position_title
from scrapers.adapters._text import DEGREE_WORD, clean_line, clean_text, valid_options

# --- labelled fields --------------------------------------------------------------------

# Labels that may stand alone on a line with the value on the next one (aggregator pages
# rendered as label/value blocks). "Label: value" lines need no list: any short label works.
KNOWN_LABELS = frozenset(
    """
    degree level|degree|level|qualification type|field of study|field|fields|subject|subject area|
    discipline|disciplines|research area|research field|research fields|area|funding|funding type|
    funding details|funded|funding status|deadline|application deadline|closing date|apply by|
    applications close|last application date|country|location|place|city|university|institution|
    institute|department|school|faculty|division|supervisor|supervisors|main supervisor|
    main advisor|advisor|advisors|co-supervisor|co-supervisors|principal investigator|contact|
    contact person|contacts|email|e-mail|start date|starting date|start|expected start date|
    duration|length|salary|stipend|remuneration|employment type|type of employment|
    contract type|contract|hours|working hours|extent|scope|scope of employment|reference|
    reference number|ref|job id|posted|published|date posted|posting date|keywords|tags|topics|
    eligibility|nationality|fees|tuition fees|application url|position|job title|title|
    pay scale|salary grade|grade|first day of employment|number of positions|positions|campus|
    organisation|organization|employer|research group|group|lab|project|project title|
    type|job type|category|programme|program|doctoral program|doctoral programme|graduate school
    """.replace("\n", "").split("|")
)
KNOWN_LABELS = frozenset(label.strip() for label in KNOWN_LABELS if label.strip()) | frozenset(
    # Longer English labels job systems use, and the usual ones of German, French, Dutch,
    # Swedish, Danish and Norwegian adverts.
    """
    closing date for applications|application closing date|deadline for applications|
    deadline for submission|submission deadline|application submission deadline|closes|
    expires|placed on|start of employment|employment start|salary range|stipend amount|
    funding amount|funding for|project duration|length of contract|contract length|
    supervisory team|lead supervisor|first supervisor|second supervisor|co-advisor|
    principal supervisor|contact details|enquiries|informal enquiries|ref no|job reference|
    vacancy id|vacancy number|bewerbungsschluss|bewerbungsfrist|ansprechpartner|
    ansprechpartnerin|kontakt|beginn|dauer|vergütung|entgelt|einsatzort|date limite|
    date limite de candidature|durée|salaire|rémunération|début|lieu|directeur de thèse|
    sista ansökningsdag|lön|tillträde|sluitingsdatum|salaris|ansøgningsfrist|søknadsfrist|
    lønn|løn
    """.replace("\n", "").split("|")
)
KNOWN_LABELS = frozenset(label.strip() for label in KNOWN_LABELS if label.strip())

_LABEL_LINE = re.compile(
    r"^(?:[-*•]\s*)?(?P<label>[A-Za-zÀ-ÿ][\w()/'\u2019&.\- ]{0,48}?)\s*[:\uff1a](?:\s+(?P<value>.*)|\s*)$"
)
# "PhD Position: Title" is a title with a prefix, not a labelled field.
_TITLE_PREFIX = re.compile(
    r"^((new|open|funded|fully funded)\s+)?(ph\.?\s?d\.?|doctoral|doctorate)\b.*"
    r"(position|studentship|project|vacancy|opening|opportunity|fellowship|student)s?$",
    re.IGNORECASE,
)
_LABEL_WORD = re.compile(
    r"supervisor|advisor|contact|deadline|start|duration|salary|stipend|program|school|"
    r"level|funding|type|title|subject|field|area|topic",
    re.IGNORECASE,
)
_SENTENCE_INSIDE = re.compile(r"[.!?,;]\s|\s(the|is|are|we|you|our|will|and)\s", re.IGNORECASE)


def normalise_label(label: str) -> str:
    return clean_line(label).strip(" :\uff1a-*•").strip()


def _label_ok(label: str) -> bool:
    if not label or len(label) > 50 or len(label.split()) > 6:
        return False
    if label.count("(") != label.count(")") or _TITLE_PREFIX.match(label):
        return False
    if DEGREE_WORD.search(label) and not _LABEL_WORD.search(label):
        return False  # "EPSRC DTP PhD Studentship: Title" is a title, not a field
    if label.lower().endswith(("http", "https", "www")):
        return False
    if _SENTENCE_INSIDE.search(f" {label} "):
        return label.lower() in KNOWN_LABELS
    return label.lower() not in _NOT_LABELS and not label.lower().startswith(("http", "www"))


_NOT_LABELS = frozenset(
    [
        "new",
        "news",
        "update",
        "updated",
        "note",
        "notes",
        "nb",
        "ps",
        "edit",
        "important",
        "attention",
        "warning",
        "hint",
        "tip",
        "example",
        "examples",
        "e.g",
        "i.e",
        "re",
        "fw",
        "fwd",
        "q",
        "a",
    ]
)


def _looks_like_heading(candidate: str, following: str) -> bool:
    """A short line before a long paragraph is a section heading, not a value."""
    return len(candidate) <= 40 and not re.search(r"\d|@", candidate) and len(following) > 200


_ABBREVIATIONS = frozenset(
    [
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "st",
        "no",
        "nr",
        "ca",
        "approx",
        "assoc",
        "asst",
        "e.g",
        "i.e",
        "incl",
        "dept",
        "univ",
        "ph.d",
        "vs",
        "jr",
        "sr",
    ]
)
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z])")


def first_sentence(value: str) -> str:
    """ "9 January 2026. Send applications to ..." -> "9 January 2026" (not "Dr. X")."""
    for match in _SENTENCE_END.finditer(value):
        before = value[: match.start()]
        word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if word in _ABBREVIATIONS or len(word) <= 1 or (word.isdigit() and len(word) <= 2):
            # "15. März 2026", "1. juni": German and Nordic day numbers end in a full stop.
            continue
        return before.strip()
    return value


_INLINE_LABEL = re.compile(
    r"(?:(?<=[.;!?)])\s+)(?P<label>"
    + "|".join(sorted((re.escape(label) for label in KNOWN_LABELS), key=len, reverse=True))
    + r")\s*[:\uff1a]\s+(?P<value>\S.*)$",
    re.IGNORECASE,
)


_DASHED_LABEL = re.compile(
    r"^(?:[-*\u2022]\s*)?(?P<label>"
    + "|".join(sorted((re.escape(label) for label in KNOWN_LABELS), key=len, reverse=True))
    + r")\s+[-\u2013\u2014]\s+(?P<value>\S.*)$",
    re.IGNORECASE,
)


_HAS_DASH = re.compile(r"\s[-\u2013\u2014]\s")


def fields_from_lines(lines: list[str]) -> dict[str, str]:
    """Labelled values in text lines: "Label: value", "**Label:** value", "Label" + value line."""
    fields: dict[str, str] = {}

    def add(label: str, value: str) -> None:
        label, value = normalise_label(label), first_sentence(clean_line(value).strip("*_ "))
        if label and value and label not in fields and len(value) <= 2000:
            fields[label] = value

    lines = [line for line in (clean_line(item) for item in lines) if line]
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else ""
        after = lines[index + 2] if index + 2 < len(lines) else ""
        match = _LABEL_LINE.match(line)
        if match and _label_ok(normalise_label(match.group("label"))):
            value = (match.group("value") or "").strip()
            if value:
                add(match.group("label"), value)
            elif following and len(following) <= 200 and not _LABEL_LINE.match(following):
                add(match.group("label"), following)
                index += 1
            index += 1
            continue
        dashed = _DASHED_LABEL.match(line) if _HAS_DASH.search(line) else None
        if dashed:
            # "Closing date - 31 May 2026": a dash instead of a colon, known labels only.
            add(dashed.group("label"), dashed.group("value"))
            index += 1
            continue
        inline = _INLINE_LABEL.search(line) if ":" in line or "\uff1a" in line else None
        if inline:
            # "... convex optimisation. Supervisor: Freja Lund." inside a paragraph.
            add(inline.group("label"), inline.group("value"))
        label = normalise_label(line)
        if (
            label.lower() in KNOWN_LABELS
            and following
            and len(following) <= 120
            and normalise_label(following).lower() not in KNOWN_LABELS
            and not following.endswith((":", "\uff1a"))
            and not _LABEL_LINE.match(following)
            and not _looks_like_heading(following, after)
        ):
            add(label, following)
            index += 2
            continue
        index += 1
    return fields


def fields_from_structure(root: Tag | None) -> dict[str, str]:
    """Labelled values held by markup: definition lists, two-cell table rows, label classes."""
    fields: dict[str, str] = {}
    if root is None:
        return fields

    def add(label: str, value: str) -> None:
        label, value = normalise_label(label), clean_line(value)
        if label and value and label not in fields and _label_ok(label) and len(value) <= 2000:
            fields[label] = value

    for term in root.find_all("dt"):
        values = []
        for sibling in term.find_next_siblings():
            if not isinstance(sibling, Tag) or sibling.name == "dt":
                break
            if sibling.name == "dd":
                values.append(inline_text(sibling))
        add(inline_text(term), "; ".join(v for v in values if v))
    for row in root.find_all("tr"):
        cells = [cell for cell in row.find_all(["th", "td"], recursive=False)]
        if len(cells) == 2:
            label = inline_text(cells[0])
            if cells[0].name == "th" or len(label) <= 50:
                add(label, inline_text(cells[1]))
    for strong in root.find_all(["strong", "b"]):
        label = inline_text(strong)
        after = strong.next_sibling
        after_text = str(after) if isinstance(after, NavigableString) else ""
        if label.endswith((":", "\uff1a")) or after_text.lstrip().startswith(":"):
            add(label, _inline_value_after(strong))
    for label_tag in root.find_all(
        class_=re.compile(r"(^|[-_])(label|key|term|field-name)($|[-_])", re.I)
    ):
        value_tag = label_tag.find_next_sibling()
        if isinstance(value_tag, Tag):
            add(inline_text(label_tag), inline_text(value_tag))
    return fields


def _inline_value_after(label: Tag) -> str:
    """The text after a bold label, up to the next bold label, line break or block end."""
    parts: list[str] = []
    for sibling in label.next_siblings:
        if isinstance(sibling, Tag):
            if sibling.name in ("br", "strong", "b") or sibling.name in _PARAGRAPH_BLOCKS:
                break
            if sibling.name in _LINE_BLOCKS:
                break
            parts.append(sibling.get_text(" "))
        elif isinstance(sibling, NavigableString):
            chunk = str(sibling)
            if "\n" in chunk.strip():
                parts.append(chunk.strip().split("\n", 1)[0])
                break
            parts.append(chunk)
    return first_sentence(clean_line(" ".join(parts)).lstrip(":\uff1a ").strip())


def apply_aliases(fields: dict[str, str], aliases: Mapping[str, Any] | None) -> dict[str, str]:
    """Rename a source's own labels ("Closing" -> "Deadline") as its options say."""
    if not aliases or not isinstance(aliases, Mapping):
        return fields
    lowered = {str(key).lower(): str(value) for key, value in aliases.items()}
    renamed: dict[str, str] = {}
    for label, value in fields.items():
        target = lowered.get(label.lower(), label)
        renamed.setdefault(target, value)
    return renamed


def labelled_fields(
    root: Tag | None, text: str, options: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """Fields from markup first, then from the text's lines, then from the source's lines.

    The source's own line breaks (a Markdown paragraph with "Deadline: ..." on its own
    line) are a weaker signal, used only for labels the other two did not find.
    """
    fields = fields_from_structure(root)
    for label, value in fields_from_lines(text.split("\n")).items():
        fields.setdefault(label, value)
    if root is not None:
        source_lines = block_text(root, keep_source_breaks=True).split("\n")
        for label, value in fields_from_lines(source_lines).items():
            fields.setdefault(label, value)
    return apply_aliases(fields, valid_options(options).get("label_aliases"))


# --- the advert's own text -------------------------------------------------------------

_WRAPPERS = frozenset(("div", "section", "article", "main", "header"))
_SUBHEADING_LEVELS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_ENDS_SENTENCE = re.compile(r"[.!?][\"'\u201d)]?$")
# A summary block is dropped only when it holds this many labelled values.
_MIN_SUMMARY_LABELS = 2
_MAX_SUMMARY_DEPTH = 8


def summary_block(root: Tag) -> list[PageElement]:
    """The site's labelled summary before the advert's own text in `root`; [] when none.

    Aggregators and job boards open an advert with their own summary: the title again,
    chips ("Top university", "3 months ago"), labelled facts ("Deadline" / "Expired") and
    the headings of sections a sign-in gate emptied. The advert's own text starts at its
    first prose, with the subheadings right above it ("About this position"). What comes
    before counts as a summary only when it holds labelled values: a page that just opens
    with its title, or with a photo caption, has none.
    """
    summary: list[PageElement] = []
    node = root
    for _ in range(_MAX_SUMMARY_DEPTH):
        children = [child for child in node.children if _has_text(child)]
        lone = children[0] if len(children) == 1 else None
        if isinstance(lone, Tag) and lone.name in _WRAPPERS:
            node = lone  # nothing before it: look inside without reading its text
            continue
        start = next((i for i, child in enumerate(children) if _has_prose(child)), None)
        if start is None:
            return []
        first = start
        level = 7  # subheadings of rising rank: "Project" (h2) above "Description" (h3)
        while first > 0:
            previous = children[first - 1]
            rank = _SUBHEADING_LEVELS.get(previous.name, 7) if isinstance(previous, Tag) else 7
            if rank >= level:
                break
            first, level = first - 1, rank
        summary.extend(children[:first])
        prose = children[start]
        if first < start or not isinstance(prose, Tag) or prose.name not in _WRAPPERS:
            break
        node = prose  # a wrapper: its own first children may still be summary
    return summary if summary and _holds_labels(summary) else []


def _has_text(element: PageElement) -> bool:
    if isinstance(element, Tag):
        return next(iter(element.stripped_strings), None) is not None
    return type(element) in (NavigableString, CData) and bool(str(element).strip())


def _element_text(element: PageElement) -> str:
    if isinstance(element, Tag):
        return block_text(element)
    if type(element) in (NavigableString, CData):
        return clean_line(str(element))
    return ""  # comments, doctypes


def _has_prose(element: PageElement) -> bool:
    return any(_is_prose(line) for line in _element_text(element).split("\n"))


def _is_prose(line: str) -> bool:
    """A sentence of the advert, not a title, a chip or a labelled value."""
    words = len(line.split())
    if words < 8:
        return False
    if "|" in line and len(line.split("|", 1)[0]) <= 50:
        return False  # a table row: "Funding amount: | £20,780 per annum ..."
    label = _LABEL_LINE.match(line)
    if label and _label_ok(normalise_label(label.group("label"))) and words < 20:
        return False
    return words >= 20 or bool(_ENDS_SENTENCE.search(line))


def _holds_labels(elements: list[PageElement]) -> bool:
    fields: dict[str, str] = {}
    lines: list[str] = []
    for element in elements:
        if isinstance(element, Tag):
            fields.update(fields_from_structure(element))
        lines.extend(_element_text(element).split("\n"))
    fields.update(fields_from_lines(lines))
    return len(fields) >= _MIN_SUMMARY_LABELS


# --- noise lines ------------------------------------------------------------------------

DEFAULT_NOISE_LINES = (
    r"^sign in\b.*",
    r"^log ?in\b.*",
    r"^register\b.*(free|account).*",
    r"^how do .{1,40} students apply for this\??$",
    r"^ask [\w .-]{1,30} ai$",
    r"^(share|save|print|bookmark)( this)?( (job|position|advert|page))?$",
    r"^(accept|reject) (all )?cookies$",
    r"^we use cookies\b.*",
    r"^skip to (main )?content$",
    r"^back to (top|results|search)$",
)


def drop_noise_lines(text: str, extra_patterns: Iterable[str] = ()) -> str:
    noise = _noise_pattern(tuple(extra_patterns))
    kept = [line for line in text.split("\n") if not noise.match(line.strip())]
    return clean_text("\n".join(kept))


@functools.lru_cache(maxsize=64)
def _noise_pattern(extra_patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the default and a source's own noise lines (bad ones skipped)."""
    valid = []
    for pattern in (*DEFAULT_NOISE_LINES, *extra_patterns):
        try:
            re.compile(pattern)
        except re.error:
            continue
        valid.append(f"(?:{pattern})")
    return re.compile("|".join(valid), re.IGNORECASE)


# Lines a browser or consent banner puts before the page's own text.
_BOILERPLATE_LINE = re.compile(
    r"\b(javascript|cookies?|(modern|supported|upgrade your|update your) browser|"
    r"browser (is|that is) (no longer|not) supported|skip to (main )?content)\b",
    re.IGNORECASE,
)
# A list item ("- ", "• ", "a) ", "1. "): never a page's title.
_LIST_ITEM = re.compile(r"^([-*+\u2022\u2013\u25aa\u25cf]\s*|\(?[a-z0-9]{1,2}[).]\s)", re.I)
_TITLE_SENTENCE = re.compile(r"[^A-Z0-9.][.!?;](\s|$)|[.:;,]$")


# A line that is only a date ("Thursday, August 27, 2009", "2021-02-19", "19.02.2021"): a
# blog's post date, never a title.
_DATE_WORD = (
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|"
    r"\d{1,4}(?:st|nd|rd|th)?|posted|on|at|the|of|[ap]\.?m\.?"
)
_DATE_ONLY = re.compile(
    rf"^(?=.*\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?:(?:{_DATE_WORD})[\s,./:-]*)+$|^\d{{1,4}}[-./]\d{{1,2}}[-./]\d{{1,4}}$",
    re.I,
)
# "You are here : Home > How to apply > Doctoral contract", "Home / News / X": a trail of
# links to the page, not its title.
_BREADCRUMB = re.compile(r"^you are here\b|(?:\s[>\u203a\u00bb/]\s.*){2,}", re.I)
# "$25,385: fellowships ...", "+€8,490: fees": a line of figures opens with an amount.
_MONEY_LINE = re.compile(
    r"^[+\-\u2013]?\s*(?:[$€£¥]|[A-Z]{3}\s?)?\s*\d[\d,.\s]*(?:\s?[kK])?\s*(?::|$)"
)


def page_chrome(line: str) -> bool:
    """A post date or a breadcrumb trail above the page's own text."""
    return bool(_DATE_ONLY.match(line) or _BREADCRUMB.search(line))


def not_a_title(line: str) -> bool:
    """A date, a breadcrumb trail or a line of figures: read as headings, none names a page."""
    return page_chrome(line) or bool(_MONEY_LINE.match(line))


def _heading_like(line: str) -> bool:
    """Short, not a list item, not a sentence: how a heading reads once the markup is gone."""
    return (
        len(line) <= 150
        and not _LIST_ITEM.match(line)
        and not _TITLE_SENTENCE.search(line)
        and "://" not in line
        and not not_a_title(line)
    )


def slug_title(url: str, *, short: bool = False) -> str:
    """The words of an address's last path segment ("/doing-a-phd-at-api.html" -> "Doing a
    PhD at api"), when it has at least three (two with `short`, one of them a degree word:
    "/contrat-doctoral/"); "" for ids, dates and index pages."""
    path = urlsplit(url).path if url.startswith(("http://", "https://")) else ""
    segments = [seg for seg in path.split("/") if seg]
    if not segments:
        return ""
    # ".html", ".ghtml", ".shtml", ".php", ".aspx", ".jsp", ".kjsp", ".cfm": a page's suffix.
    slug = re.sub(r"\.(\w?html?|php\d?|aspx?|k?jsp|cfm)$", "", unquote(segments[-1]), flags=re.I)
    words = [w for w in re.split(r"[-_+\s]+", slug) if w]
    while words and words[0].isdigit():
        words = words[1:]
    while words and re.fullmatch(r"\d{5,}", words[-1]):  # an id after the words
        words = words[:-1]
    wordy = len([w for w in words if re.search(r"[^\W\d_]{2}", w)])
    # With `short`, two words name a page when one says what it offers ("contrat-doctoral").
    if wordy < 2 or (wordy == 2 and not (short and DEGREE_WORD.search(" ".join(words)))):
        return ""
    title = " ".join(words)
    title = re.sub(r"\bph\.?d\b", "PhD", title, flags=re.I)
    return title[:1].upper() + title[1:]


# A section's name standing first on an excerpt ("Programme outline", "Overview").
_GENERIC_HEADING = re.compile(
    r"^(?:(?:programme|program|project|course|scholarship|call)\s+)?"
    r"(?:outline|overview|introduction|background|summary|description|details)$",
    re.I,
)
# "The NRF Nuffic Doctoral Scholarship is a PhD programme funded by ...": the name the
# first sentences give the offer.
_NAMED_OFFER = re.compile(
    r"^(?:The\s+)?(?P<name>(?:[A-Z][\w'&-]*\s+){1,6}(?:Scholarships?|Fellowships?|"
    r"Programmes?|Program|Studentships?|Contracts?))\s+(?:is|are|offers?|provides?|supports?)\b"
)


def _named_offer(lines: list[str]) -> str:
    for line in lines[1:4]:
        match = _NAMED_OFFER.match(line)
        if match and DEGREE_WORD.search(match.group("name")):
            return match.group("name")
    return ""


def text_title(text: str, url: str = "") -> str:
    """A plain-text page's title: the first heading-like line announcing a position, else
    the first heading-like line (browser banners skipped); a page that starts mid-sentence
    (an excerpt) is named by its address's words, else by its first line."""
    lines = [line for line in (clean_line(item) for item in text.split("\n")[:40]) if line]
    lines = [line for line in lines if not _BOILERPLATE_LINE.search(line)] or lines
    lines = [line for line in lines if not page_chrome(line)] or lines
    headings = [line for line in lines[:15] if _heading_like(line)]
    if lines and lines[0] not in headings and slug_title(url):
        return slug_title(url)
    for line in headings:
        if looks_like_position_title(line) and len(line) >= 12:
            return line
    if lines and lines[0] in headings:
        if _GENERIC_HEADING.match(lines[0]):
            return _named_offer(lines) or lines[0]
        return lines[0][:200]
    return slug_title(url, short=True) or (lines[0][:200] if lines else "")
