"""Page kinds (HTML, feed, JSON, Markdown, text) and Markdown with its front matter."""

from __future__ import annotations

import functools
import html as html_lib
import json
import re
import tomllib
from typing import Any

import frontmatter
import yaml
from markdown_it import MarkdownIt

from scrapers.adapters._text import clean_line
from scrapers.records import Page

# --- page kinds -------------------------------------------------------------------------

JSON_FEED = "https://jsonfeed.org/version/"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_XML_FEED_ROOT = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_MARKERS = re.compile(
    r"<!doctype html|<html[\s>]|<body[\s>]|<head[\s>]|<(div|p|h[1-6]|article|main|section|table|ul)[\s>]",
    re.IGNORECASE,
)
_JOBPOSTING = re.compile(r"JobPosting", re.IGNORECASE)
_MARKDOWN_MARKERS = re.compile(
    r"^(#{1,6}\s+\S|\s*[-*+]\s+\S|\s*\d+\.\s+\S|>\s)|\*\*[^*\n]+\*\*|\[[^\]\n]+\]\([^)\s]+\)|^```",
    re.MULTILINE,
)
_FRONT_MATTER = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n")
_POSITION_HEADING = re.compile(
    r"\b(ph\.?\s?d|doctoral|doctorate|studentships?|positions?|vacanc(y|ies)|openings?|"
    r"fellowships?|researcher|research assistant|post-?doc)\b",
    re.IGNORECASE,
)
# Section headings of one advert that mention the position without announcing one.
SECTION_HEADING = re.compile(
    r"^(about|the|this|our|your|we|what|who|why|how|more|further|general|additional|"
    r"application|apply|contact|requirements|eligibility|funding|salary|terms|conditions|"
    r"(position|job|vacancy) (details|description|summary|requirements|information|profile))\b",
    re.IGNORECASE,
)


# "PhD project description", "Doctoral candidate profile": sections of one advert.
_SECTION_TAIL = re.compile(
    r"\b(description|profile|requirements?|details|summary|information|overview|"
    r"responsibilities|duties|qualifications?|benefits|offer|tasks|procedure|conditions|"
    r"funding|salary|contacts?|application|eligibility|faq|deadline|timeline)\W*$",
    re.IGNORECASE,
)


_HEADING_HTML = re.compile(
    r"<h([1-3])\b[^>]{0,500}>(.{0,600}?)</h\1\s*>", re.IGNORECASE | re.DOTALL
)
_ANY_TAG = re.compile(r"<[^<>]{0,1000}>")


def detect_kind(page: Page) -> str:
    """One of "feed", "jsonld", "lab_html", "html", "markdown", "text"."""
    return _detect_kind(page.text, (page.content_type or "").lower())


@functools.lru_cache(maxsize=16)
def _detect_kind(text: str, content_type: str) -> str:
    # Cached: the adapters and the extract entry point ask about the same page in turn.
    page = Page(url="", text=text, content_type=content_type)
    head = page.text.lstrip("\ufeff \t\r\n")[:4096]
    if any(kind in content_type for kind in _FEED_TYPES) or (
        (head.startswith("<?xml") or head.startswith("<rss") or head.startswith("<feed"))
        and _XML_FEED_ROOT.search(page.text[:20000])
    ):
        return "feed"
    if "json" in content_type or head[:1] in ("{", "["):
        data = load_json(page.text)
        if isinstance(data, dict) and str(data.get("version", "")).startswith(JSON_FEED):
            return "feed"
        if data is not None:
            return "jsonld"
    # Front matter first: a Jekyll/Hugo source is Markdown whatever the server calls it.
    if _FRONT_MATTER.match(page.text.lstrip("\ufeff")):
        return "markdown"
    if _HTML_MARKERS.search(head) or (
        "html" in content_type and "<" in head and _HTML_MARKERS.search(page.text[:50000])
    ):
        if _JOBPOSTING.search(page.text) and (
            "application/ld+json" in page.text or "schema.org/JobPosting" in page.text
        ):
            return "jsonld"
        # Headings by regex, not by parsing: this runs on every page, the parse comes later.
        headings = [
            html_lib.unescape(_ANY_TAG.sub(" ", match.group(2)))
            for match in _HEADING_HTML.finditer(page.text)
        ]
        if sum(1 for text in headings if looks_like_position_title(clean_line(text))) >= 2:
            return "lab_html"
        return "html"
    if "markdown" in content_type or len(_MARKDOWN_MARKERS.findall(page.text[:20000])) >= 2:
        return "markdown"
    return "text"


def looks_like_position_title(text: str) -> bool:
    """A heading that announces a position ("PhD position in X"), not a section ("Contact")."""
    text = text.strip()
    if not 0 < len(text) <= 200 or SECTION_HEADING.match(text) or _SECTION_TAIL.search(text):
        return False
    return bool(_POSITION_HEADING.search(text))


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


# --- Markdown and front matter ----------------------------------------------------------

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(
    ["table", "strikethrough"]
)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML (---) or TOML (+++) front matter and the body; a broken header is kept as body.
    A second header right after the first (a CMS's YAML stub before Hugo's TOML) is read
    too, the later one winning."""
    meta, body = _one_front_matter(text)
    if meta and _FRONT_MATTER.match(body):
        more, rest = _one_front_matter(body)
        if more:
            return {**meta, **more}, rest
    return meta, body


def _one_front_matter(text: str) -> tuple[dict[str, Any], str]:
    text = text.lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fence = match.group(1)
    end = re.compile(rf"^{re.escape(fence)}[ \t]*$", re.MULTILINE)
    closing = end.search(text, match.end())
    if not closing:
        return {}, text
    header = text[match.end() : closing.start()]
    body = text[closing.end() :].lstrip("\r\n")
    try:
        loaded = frontmatter.loads(text).metadata if fence == "---" else tomllib.loads(header)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError, RecursionError):
        return {}, text
    if not isinstance(loaded, dict):
        return {}, body if loaded is None else text
    # Dates and other YAML types become strings: meta must be JSON-serialisable.
    return {str(key): _jsonable(value) for key, value in loaded.items()}, body


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def markdown_to_html(text: str) -> str:
    try:
        return str(_markdown.render(text))
    except (RecursionError, ValueError):
        return "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in text.splitlines())


def text_to_html(text: str) -> str:
    """Plain text keeps one block per line, so "Label" / "value" lines stay apart."""
    return "".join(
        f"<p>{html_lib.escape(line.strip())}</p>\n" for line in text.splitlines() if line.strip()
    )
