"""Topics: the advert mapped onto the project's two-level taxonomy, plus the source's own tags.

The taxonomy lives in positions/data/taxonomy.json (OECD Fields of Science at the top, arXiv
subject classes and other common fields below); `manage.py load_taxonomy` loads the same
file into Topic rows, so the normaliser stays pure and the database agrees with it.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrapers.normalize.text import Doc, Found, evidence, squash

TAXONOMY_PATH = Path(__file__).resolve().parents[2] / "positions" / "data" / "taxonomy.json"
SEPARATOR = " > "


@dataclass(frozen=True)
class Node:
    path: str  # "Mathematics > Probability" or "Mathematics"
    name: str
    code: str
    parent: str | None
    keywords: tuple[str, ...]


@functools.cache
def load_taxonomy(path: Path = TAXONOMY_PATH) -> tuple[Node, ...]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    nodes: list[Node] = []
    for field in data["fields"]:
        nodes.append(
            Node(
                field["name"], field["name"], field["code"], None, tuple(field.get("keywords", []))
            )
        )
        for child in field.get("children", []):
            nodes.append(
                Node(
                    f"{field['name']}{SEPARATOR}{child['name']}",
                    child["name"],
                    child["code"],
                    field["name"],
                    tuple(child.get("keywords", [])),
                )
            )
    return tuple(nodes)


@functools.cache
def _keyword_regex() -> tuple[re.Pattern[str], dict[str, list[Node]]]:
    owners: dict[str, list[Node]] = defaultdict(list)
    for node in load_taxonomy():
        for keyword in {k.casefold() for k in (*node.keywords, node.name)}:
            owners[keyword].append(node)
            if keyword == node.name.casefold():
                # The field named by its own name ("machine learning") counts twice.
                owners[keyword].append(node)
    words = sorted(owners, key=len, reverse=True)
    # Short keywords ("ai", "hpc") must be written in capitals to count.
    long_words = [re.escape(w) for w in words if len(w) > 3]
    short_words = [re.escape(w.upper()) for w in words if len(w) <= 3]
    pattern = (
        r"(?<![\w-])(?:(?i:" + "|".join(long_words) + r")|" + "|".join(short_words) + r")(?![\w-])"
    )
    return re.compile(pattern), dict(owners)


_GENERIC_TAGS = {
    "news",
    "open-positions",
    "positions",
    "position",
    "jobs",
    "job",
    "phd",
    "vacancies",
    "openings",
    "posts",
    "post",
    "page",
    "career",
    "careers",
}
_TAG_FIELDS = re.compile(
    r"^(keywords?|tags?|field of study|fields? of research|research (?:area|field)s?|areas?|topics?|disciplines?|subjects?|categor(?:y|ies))$"
)


def source_tags(doc: Doc) -> list[str]:
    """The source's own keywords: front matter tags, keyword labels, "Field of study"."""
    tags: list[str] = []
    for key in ("tags", "keywords", "categories", "category", "subjects", "topics"):
        value = doc.meta.get(key)
        items: list[Any] = (
            value
            if isinstance(value, list)
            else re.split(r"[,;]", value)
            if isinstance(value, str)
            else []
        )
        tags.extend(str(item) for item in items)
    for key, value in doc.fields.items():
        if _TAG_FIELDS.match(key):
            tags.extend(re.split(r"[,;]|\band\b", value))
    out: list[str] = []
    for tag in tags:
        tag = squash(tag).strip(" .-*")
        if (
            tag
            and tag.casefold() not in _GENERIC_TAGS
            and len(tag) <= 80
            and tag.casefold() not in (t.casefold() for t in out)
        ):
            out.append(tag)
    return out


@functools.lru_cache(maxsize=16)
def keyword_matches(text: str) -> tuple[str, ...]:
    """The taxonomy keywords written in a text, in order, as written."""
    regex, _owners = _keyword_regex()
    return tuple(match.group(0) for match in regex.finditer(text))


def classify(title: str, text: str, tags: list[str]) -> list[tuple[str, float, list[str]]]:
    """(taxonomy path, score, matched words), best first."""
    _regex, owners = _keyword_regex()
    scores: dict[str, float] = defaultdict(float)
    mentions: dict[str, int] = defaultdict(int)
    tag_scores: dict[str, float] = defaultdict(float)
    matched: dict[str, list[str]] = defaultdict(list)
    nodes = {node.path: node for node in load_taxonomy()}
    # Each distinct keyword counts once per part of the advert: a field named many times in
    # an institution's boilerplate does not outweigh the project's own words.
    for source, weight in ((title, 3.0), (" ; ".join(tags), 3.0), (text, 1.0)):
        seen: set[str] = set()
        for written in keyword_matches(source):
            word = written.casefold()
            for node in owners.get(word, []):
                mentions[node.path] += 1
            if word in seen:
                continue
            seen.add(word)
            for node in owners.get(word, []):
                scores[node.path] += weight
                if source is not title and source is not text:
                    tag_scores[node.path] += weight
                if word not in matched[node.path]:
                    matched[node.path].append(word)
    results: list[tuple[str, float, list[str]]] = []
    children = [path for path in scores if nodes[path].parent]
    for path in children:
        parent = nodes[path].parent or ""
        total = scores[path] + 0.1 * scores.get(parent, 0.0)
        if scores[path] >= 2.0:
            results.append((path, total, matched[path]))
    if not results:
        tops = [path for path in scores if not nodes[path].parent and scores[path] >= 3.0]
        results = [(path, scores[path], matched[path]) for path in tops]
    results.sort(key=lambda item: (-item[1], -mentions[item[0]]))
    if results:
        best = results[0][1]
        kept = [item for item in results if item[1] >= 0.6 * best]
        # A field the source itself names ("Field of study: Computer Science") is represented
        # by its best-matching sub-field even when another field dominates the text.
        for parent, tag_score in tag_scores.items():
            if (
                nodes[parent].parent is None
                and tag_score > 0
                and not any(nodes[p].parent == parent for p, _s, _w in kept)
            ):
                child = next((item for item in results if nodes[item[0]].parent == parent), None)
                if child:
                    kept.append(child)
        results = kept
    return results[:3]


def extract_topics(doc: Doc) -> tuple[Found[list[str]] | None, list[str]]:
    """Taxonomy paths, and tags: the source's own keywords, then the field words it uses."""
    tags = source_tags(doc)
    ranked = classify(doc.title, doc.text, tags)
    known = {tag.casefold() for tag in tags}
    # The field words the advert itself uses are its keywords too, even below the threshold.
    for word in (*keyword_matches(doc.title), *keyword_matches(doc.text)):
        if word.casefold() not in known and len(tags) < 15:
            tags.append(word.casefold() if not word.isupper() else word)
            known.add(word.casefold())
    if not ranked:
        return None, tags
    topics = [path for path, _score, _words in ranked]
    words = sorted({word for _path, _score, found in ranked for word in found})
    confidence = 0.8 if ranked[0][1] >= 4 else 0.6
    return Found(
        topics, evidence("matched: " + ", ".join(words), "taxonomy_keywords", confidence)
    ), tags
