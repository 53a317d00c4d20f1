"""Facts a results page gives about each advert it lists, carried to that advert's record.

A results page's row or card often says what the advert page itself leaves out: the
deadline in a column, the department, the type of post, the place. `block_facts(item,
title)` reads an entry's labelled facts from its structure: the table's header cells over
its columns, `<dt>`/`<dd>` pairs, "Label: value" texts (never a site's class names); a JSON
API's entry gives its keys. An unlabelled date is left out: nothing says it is a deadline.

`apply(record, entry)` fills what the advert's own record lacks (deadline, department,
city, country, type of contract) from the entry's facts, read by the same normaliser. The
advert page stays the better witness: a fact it states is kept (a different deadline on the
list is recorded as a contradiction), and a fact taken from the list has a lower confidence
and evidence whose rule says it came from the results page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bs4 import Tag

from scrapers.adapters._common import clean_line, inline_text
from scrapers.records import Evidence, Link, PositionRecord, RawRecord

# A fact read from the results page counts for this share of the same fact on the advert.
LISTING_TRUST = 0.8
MAX_FACTS = 10
MAX_VALUE_CHARS = 200
RULE_PREFIX = "from the results page"

_LABELLED = re.compile(r"^([^\W\d_][\w .()/&-]{1,40}?)\s*[:\uff1a]\s*(\S.{0,200})$")
_LABEL_ONLY = re.compile(r"^([^\W\d_][\w .()/&-]{1,40}?)\s*[:\uff1a]$")
_URLISH = re.compile(r"^(https?:|www\.|/)")
# The facts of a record a listing entry may give, each with the attributes it sets.
_GROUPS: dict[str, tuple[str, ...]] = {
    "deadline": ("deadline", "deadline_time", "deadline_timezone", "deadline_kind"),
    "department": ("department",),
    "city": ("city",),
    "country": ("country",),
    "contract": ("contract",),
}


@dataclass
class EntryFacts:
    """A results page's entry for one advert: its title and labelled facts."""

    title: str
    facts: dict[str, str] = field(default_factory=dict)
    page_url: str = ""


# --- Reading an entry --------------------------------------------------------------------------
def block_facts(item: Tag, title: str) -> dict[str, str]:
    """The labelled facts of one listing block (a row, a card, a list item)."""
    facts: dict[str, str] = {}
    if item.name == "tr":
        facts.update(_row_facts(item, title))
    for term in item.find_all("dt"):
        value = term.find_next_sibling("dd")
        if isinstance(value, Tag):
            _add(facts, inline_text(term), inline_text(value), title)
    strings = [clean_line(str(s)) for s in item.find_all(string=True)]
    strings = [s for s in strings if s]
    for position, text in enumerate(strings):
        labelled = _LABELLED.match(text)
        if labelled:
            _add(facts, labelled.group(1), labelled.group(2), title)
            continue
        label_only = _LABEL_ONLY.match(text)
        if label_only and position + 1 < len(strings):
            _add(facts, label_only.group(1), strings[position + 1], title)
    return facts


def json_facts(flat: Iterable[tuple[str, Any]], title: str) -> dict[str, str]:
    """A JSON entry's short values under their own key names ("deadline", "department")."""
    facts: dict[str, str] = {}
    for key, value in flat:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        label = re.sub(r"(?<=[a-z])(?=[A-Z])|_", " ", key.rsplit(".", 1)[-1]).strip().lower()
        _add(facts, label, str(value), title)
    return facts


def _row_facts(row: Tag, title: str) -> dict[str, str]:
    """A table row's cells under the table's header cells."""
    table = row.find_parent("table")
    if not isinstance(table, Tag):
        return {}
    header_row = None
    head = table.find("thead")
    if isinstance(head, Tag):
        header_row = head.find("tr")
    if header_row is None:
        header_row = next(
            (tr for tr in table.find_all("tr") if tr.find("th") and not tr.find("td")), None
        )
    if not isinstance(header_row, Tag) or header_row is row:
        return {}
    labels = [inline_text(cell) for cell in header_row.find_all(["th", "td"], recursive=False)]
    cells = row.find_all(["td", "th"], recursive=False)
    facts: dict[str, str] = {}
    for label, cell in zip(labels, cells, strict=False):
        _add(facts, label, inline_text(cell), title)
    return facts


def _add(facts: dict[str, str], label: str, value: str, title: str) -> None:
    label, value = clean_line(label).rstrip(":\uff1a "), clean_line(value)
    if len(facts) >= MAX_FACTS or not label or not value or label in facts:
        return
    if value == title or (title and title in value) or _URLISH.match(value):
        return
    if len(label) > 40 or not re.search(r"[^\W\d_]{2,}", label):
        return
    facts[label] = value[:MAX_VALUE_CHARS]


# --- Carrying facts to the advert's record --------------------------------------------------
def of_links(links: Iterable[Link], page_url: str) -> dict[str, EntryFacts]:
    """The facts each advert link of a results page carries, by the link's URL."""
    return {
        link.url: EntryFacts(title=link.title, facts=dict(link.facts), page_url=page_url)
        for link in links
        if link.rel == "advert" and link.facts
    }


def apply(record: PositionRecord, entry: EntryFacts | None) -> PositionRecord:
    """`record` with what its listing entry says and the advert page does not."""
    if entry is None or not entry.facts:
        return record
    listed = _normalised(record.url, entry)
    if listed is None:
        return record
    for name, attributes in _GROUPS.items():
        evidence = listed.evidence.get(name)
        if evidence is None or not _is_set(getattr(listed, name)):
            continue
        own = getattr(record, name)
        if name == "deadline" and not _is_set(own):
            own = record.deadline_kind  # "rolling", "open until filled": the advert said so
        if _is_set(own):
            if name == "deadline" and record.deadline and own != listed.deadline:
                record.contradictions.append(
                    {
                        "field": "deadline",
                        "chosen": str(own),
                        "other": str(listed.deadline),
                        "why": f"the results page {entry.page_url} gives another deadline"[:300],
                    }
                )
            continue
        for attribute in attributes:
            setattr(record, attribute, getattr(listed, attribute))
        carried = Evidence(
            snippet=evidence.snippet,
            rule=f"{RULE_PREFIX} {entry.page_url}: {evidence.rule}"[:300],
            confidence=round(evidence.confidence * LISTING_TRUST, 3),
        )
        record.evidence[name] = carried
        if name == "deadline":
            record.evidence["deadline_kind"] = carried
    return record


def _normalised(url: str, entry: EntryFacts) -> PositionRecord | None:
    from scrapers.normalize import normalize

    raw = RawRecord(
        url=url,
        title=entry.title,
        text="\n".join(f"{label}: {value}" for label, value in entry.facts.items()),
        fields=dict(entry.facts),
        adapter="listing",
    )
    try:
        return normalize(raw)
    except Exception:  # the advert's own record stands
        return None


def _is_set(value: Any) -> bool:
    return value not in (None, "", "unknown")


def facts_summary(facts: Mapping[str, str]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in facts.items())
