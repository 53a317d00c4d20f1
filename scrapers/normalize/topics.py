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
WORDS_PATH = Path(__file__).resolve().parent / "data" / "topic_words.json"
SEPARATOR = " > "
# Sentences of an employer's standard text (equal opportunities, benefits) name fields in
# passing ("regardless of religion", "public health care"): not the advert's subject.
_BOILERPLATE = re.compile(
    r"discriminat|equal opportunit|regardless of|irrespective of|diversity|\binsurance\b|"
    r"pension|social security|parental leave|sick leave|health (?:care )?insurance|benefits include|"
    r"chancengleich|schwerbehindert|gleichstellung|égalité des chances|handicap|"
    r"jämställdhet|likestilling|mangfold|igualdad de oportunidades|pari opportunità",
    re.I,
)


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


@dataclass(frozen=True)
class Words:
    """The field words of other languages, and the OECD major areas (data/topic_words.json)."""

    english: dict[str, str]  # "philosophie" -> "philosophy": the tag a written word gives
    owners: dict[str, list[Node]]  # a translated word -> the node of its English keyword
    areas: dict[str, str]  # "sciences humaines" -> "humanities": a tag, never a topic


@functools.cache
def topic_words(path: Path = WORDS_PATH) -> Words:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    by_code = {node.code: node for node in load_taxonomy()}
    english: dict[str, str] = {}
    owners: dict[str, list[Node]] = defaultdict(list)
    for entry in data["translations"]:
        node = by_code[entry["node"]]
        for word in entry["words"]:
            english[word.casefold()] = entry["en"]
            owners[word.casefold()].append(node)
    areas = {word.casefold(): area["name"] for area in data["areas"] for word in area["words"]}
    english.update(areas)
    return Words(english, dict(owners), areas)


def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, their common prefixes written once: a thousand-word
    alternation costs a scan per word, a trie one per letter. Longer words win (the
    optional tails are greedy), as in a longest-first alternation."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        tails = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not tails:
            return ""
        body = tails[0] if len(tails) == 1 else "(?:" + "|".join(tails) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie) or "(?!)"


@functools.cache
def _keyword_regex() -> tuple[re.Pattern[str], dict[str, list[Node]]]:
    owners: dict[str, list[Node]] = defaultdict(list)
    for node in load_taxonomy():
        for keyword in {k.casefold() for k in (*node.keywords, node.name)}:
            owners[keyword].append(node)
            if keyword == node.name.casefold():
                # The field named by its own name ("machine learning") counts twice.
                owners[keyword].append(node)
    words_of = topic_words()
    for word, nodes in words_of.owners.items():
        owners[word].extend(nodes)
    for word in words_of.areas:
        owners.setdefault(word, [])
    words = sorted(owners, key=len, reverse=True)
    # Short keywords ("ai", "hpc") must be written in capitals to count.
    long_words = _trie_pattern([w for w in words if len(w) > 3])
    short_words = _trie_pattern([w.upper() for w in words if len(w) <= 3])
    pattern = r"(?<![\w-])(?:(?i:" + long_words + r")|" + short_words + r")(?![\w-])"
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


def subject_text(doc: Doc) -> str:
    """The advert's text without the employer's standard sentences (equal opportunities,
    insurance, pension): the words a topic is read from."""
    if not doc.sentences:
        return doc.text
    return "\n".join(
        sentence for _start, _end, sentence in doc.sentences if not _BOILERPLATE.search(sentence)
    )


def address_words(url: str) -> str:
    """The words of a web page's address: host labels and slugs, hyphens as spaces
    ("political-science.uchicago.edu/content/funding" -> "political science ; uchicago ...")."""
    match = re.match(r"https?://([^/?#]+)([^?#]*)", url or "")
    if not match:
        return ""
    # A host's labels name a department (physics.example.edu); a path's one-word segments
    # are the site's sections ("/education/phd/"), its slugs ("/political-science/") words.
    slugs = [part for part in match.group(2).split("/") if re.search(r"\w[-_+]\w", part)]
    parts = [*match.group(1).split("."), *slugs]
    words = [re.sub(r"[-_+]+", " ", re.sub(r"\.\w{2,5}$", "", part)) for part in parts]
    return " ; ".join(word for word in words if word)


def classify(
    title: str, text: str, tags: list[str], address: str = ""
) -> list[tuple[str, float, list[str]]]:
    """(taxonomy path, score, matched words), best first. The page's address counts like
    its title: a department's host or path names its field."""
    _regex, owners = _keyword_regex()
    scores: dict[str, float] = defaultdict(float)
    mentions: dict[str, int] = defaultdict(int)
    tag_scores: dict[str, float] = defaultdict(float)
    matched: dict[str, list[str]] = defaultdict(list)
    nodes = {node.path: node for node in load_taxonomy()}
    # Each distinct keyword counts once per part of the advert: a field named many times in
    # an institution's boilerplate does not outweigh the project's own words.
    joined_tags = " ; ".join(tags)
    for source, weight in ((title, 3.0), (joined_tags, 3.0), (address, 3.0), (text, 1.0)):
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
                if source is joined_tags:
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
    text = subject_text(doc)
    address = address_words(doc.url)
    ranked = classify(doc.title, text, tags, address)
    known = {tag.casefold() for tag in tags}
    english = topic_words().english
    # The field words the advert itself uses are its keywords too, even below the threshold;
    # a word of another language or a major area is kept in English ("philosophie" ->
    # "philosophy", "sciences humaines" -> "humanities").
    for written in (*keyword_matches(doc.title), *keyword_matches(address), *keyword_matches(text)):
        word = english.get(written.casefold(), written)
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
