"""Scraped HTML made safe to show, and the one place that marks text as safe.

Every advert is untrusted. `sanitize_html` keeps a short list of tags, only `href` on
links with http/https/mailto, adds rel="nofollow noopener noreferrer", and refuses
documents that are too large or too deeply nested before the parser sees them (a
pathological tree is shown as escaped plain text instead). nh3 (html5ever + ammonia)
re-serialises what it parsed, so what the browser gets is what the sanitiser saw:
mutation-XSS tricks that rely on a parser disagreeing with itself come out inert.

`mark_safe` is called in exactly one place, `_trusted`, and only on the output of nh3 or
of our own escaping JSON encoder.
"""

from __future__ import annotations

import json
import re
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3",
        "h4", "h5", "h6", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Larger adverts are cut here before parsing: a real advert is a few kilobytes.
MAX_HTML_CHARS = 200_000
MAX_DEPTH = 64

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "wbr",
        "source",
        "track",
        "embed",
        "param",
    }
)


def _trusted(text: str) -> SafeString:
    """The project's only mark_safe: callers pass sanitiser or escaper output only."""
    return mark_safe(text)  # noqa: S308


def nesting_depth(html: str) -> int:
    """An upper bound on element nesting, without building a tree (cheap, linear)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def clean_html(html: str | None) -> str:
    """Sanitised HTML as a plain string (for the API and storage)."""
    if not html:
        return ""
    html = html.replace("\x00", "")[:MAX_HTML_CHARS]
    if nesting_depth(html) > MAX_DEPTH:
        return plain_text_paragraphs(nh3.clean(html, tags=set()))
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return drop_empty_headings(cleaned)


# nh3's output: headings carry no attributes (none are allowed on them).
_HEADING = re.compile(r"<h([2-6])>(.*?)</h\1>", re.S)
_ANY_TAG = re.compile(r"<[^>]*>")


def _visible(html: str) -> bool:
    return bool(_ANY_TAG.sub("", html).replace("&nbsp;", " ").strip())


def drop_empty_headings(html: str) -> str:
    # A heading whose subsections were all empty is empty once they go: levels 6 to 2.
    for _ in range(5):
        shorter = _drop_empty_headings_once(html)
        if shorter == html:
            break
        html = shorter
    return html


def _drop_empty_headings_once(html: str) -> str:
    """Headings that head nothing go: an empty one, and one followed by no text before the
    next heading of its level or higher, or the end (a "Professors" section whose list the
    sanitiser or the adapter removed). A heading with subsections keeps them."""
    headings = list(_HEADING.finditer(html))
    if not headings:
        return html
    dropped: list[tuple[int, int]] = []
    for index, heading in enumerate(headings):
        level = int(heading.group(1))
        following = headings[index + 1 :]
        end = next((h.start() for h in following if int(h.group(1)) <= level), len(html))
        section = html[heading.end() : end]
        if not _visible(heading.group(2)) or not _visible(section):
            dropped.append(heading.span())
    for start, stop in reversed(dropped):
        html = html[:start] + html[stop:]
    return html


def plain_text_paragraphs(text: str) -> str:
    """Plain text as escaped paragraphs (blank lines separate them)."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]
    return "".join(f"<p>{escape(part)}</p>".replace("\n", "<br>") for part in paragraphs)


def sanitize_html(html: str | None) -> SafeString:
    return _trusted(clean_html(html))


_HEADING_TAG = re.compile(r"<(/?)h([2-6])>")


def demote_headings(html: str) -> str:
    """The advert's headings one level down (h2 -> h3 ... h6 stays h6): on our page its
    text sits under our own h2, "The advert". Only nh3's attribute-less headings exist."""
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + 1)}>", html)


def description_html(html: str | None, text: str | None) -> SafeString:
    """The advert's own text: its HTML sanitised, or else its plain text as paragraphs;
    its headings under the page's own (demote_headings)."""
    cleaned = clean_html(html)
    if cleaned.strip():
        return _trusted(demote_headings(cleaned))
    return _trusted(plain_text_paragraphs(text or ""))


_JSON_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> block that no value can break out of."""
    encoded = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES)
    return _trusted(f'<script type="application/ld+json">{encoded}</script>')


def safe_url(url: str | None) -> str:
    """The URL if it is http(s) or mailto, else "" (never a javascript: link)."""
    if not url:
        return ""
    candidate = url.strip().replace("\x00", "")
    scheme = candidate.split(":", 1)[0].lower() if ":" in candidate else ""
    if scheme in {"http", "https", "mailto"} and not any(c in candidate for c in "\r\n\t<>\"'` "):
        return candidate
    return ""
