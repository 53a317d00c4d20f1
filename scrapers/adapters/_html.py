"""HTML for adapters: bounded soups, noise removal, block and inline text, sanitising,
selectors, the main container, page metadata and links."""

from __future__ import annotations

import html as html_lib
import re
import warnings
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import nh3
from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, NavigableString

from scrapers.adapters._kinds import (
    detect_kind,
    looks_like_position_title,
    markdown_to_html,
    split_front_matter,
    text_to_html,
)
from scrapers.adapters._text import _CONTROL, DEGREE_WORD, bounded, clean_line
from scrapers.records import Page

# --- HTML -------------------------------------------------------------------------------


# Pages that reach soup_from_html are read as HTML whatever they look like: feeds have
# their own adapter (feedparser), and a page that starts like XML but was served as an
# advert is still searched for one. bs4 warns about such pages on every parse.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)


def soup_from_html(text: str) -> BeautifulSoup:
    return BeautifulSoup(_CONTROL.sub("", bounded(text)), "lxml")


def page_soup(page: Page) -> tuple[BeautifulSoup, dict[str, Any], str]:
    """Any page as HTML: (soup, front matter or {}, kind)."""
    kind = detect_kind(page)
    if kind == "markdown":
        meta, body = split_front_matter(page.text)
        return soup_from_html(markdown_to_html(body)), meta, kind
    if kind == "text":
        return soup_from_html(text_to_html(page.text)), {}, kind
    return soup_from_html(page.text), {}, kind


_NOISE_NAMES = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "nav",
        "footer",
        "aside",
        "button",
        "input",
        "select",
        "textarea",
        "dialog",
    ]
)
_NOISE_ROLES = frozenset(("navigation", "contentinfo", "dialog"))
_NOISE_TOKEN = re.compile(
    r"^(?:.*[-_])?(cookies?|consent|sign-?in|sign-?up|log-?in|chat|chatbot|chat-?widget|"
    r"newsletter|share|sharing|social|breadcrumbs?|promo|modal|popup|navbar|menu|sidebar|"
    r"skip-?link|paywall|gate|gated|ads?|banner-ad|nav|topbar|footer|copyright)(?:[-_].*)?$",
    re.IGNORECASE,
)


def remove_noise(root: Tag, extra_selectors: Iterable[str] = ()) -> None:
    """Drop navigation, widgets, sign-in prompts and chat bots, in place.

    One walk over the tree with plain checks: CSS selectors here cost more than the rest of
    the adapter put together.
    """
    for selector in extra_selectors:
        for element in select_all(root, selector):
            element.decompose()
    doomed = [tag for tag in root.find_all(True) if _is_noise_element(tag)]
    for element in doomed:
        if not getattr(element, "decomposed", False):
            element.decompose()
    for comment in root.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()


def _is_noise_element(tag: Tag) -> bool:
    if tag.name in _NOISE_NAMES:
        return True
    if tag.name in ("html", "body", "main", "article"):
        return False
    attrs = getattr(tag, "attrs", None)
    if not attrs:
        return False
    if attrs.get("role") in _NOISE_ROLES or attrs.get("aria-hidden") == "true":
        return True
    if "hidden" in attrs:
        return True
    tokens = list(attrs.get("class") or [])
    if isinstance(attrs.get("id"), str):
        tokens.append(attrs["id"])
    return any(_NOISE_TOKEN.match(token) for token in tokens if isinstance(token, str))


_PARAGRAPH_BLOCKS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "header",
        "figure",
        "form",
        "fieldset",
        "address",
        "details",
        "summary",
        "hr",
    ]
)
_LINE_BLOCKS = frozenset(
    ["div", "li", "dt", "dd", "tr", "caption", "figcaption", "label", "legend"]
)
_CELLS = frozenset(("td", "th"))


def block_text(root: Tag | None, *, keep_source_breaks: bool = False) -> str:
    """The visible text of `root`, one line per block, a blank line between paragraphs.

    Iterative on purpose: a hostile page nesting thousands of tags must not hit the
    recursion limit.
    """
    if root is None:
        return ""
    parts: list[str] = []
    has_pre = root.find("pre") is not None
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            parts.append(node)  # a marker pushed below
            continue
        if isinstance(node, NavigableString) and type(node) not in (NavigableString, CData):
            continue  # comments, doctypes, processing instructions
        if isinstance(node, NavigableString):
            # Line breaks inside HTML text are plain spaces, except in <pre>.
            if keep_source_breaks or (has_pre and node.find_parent("pre") is not None):
                parts.append(str(node))
            else:
                parts.append(str(node).replace("\n", " "))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in ("script", "style", "template", "noscript"):
            continue
        if name == "br":
            parts.append("\n")
            continue
        if name in _PARAGRAPH_BLOCKS:
            opening, closing = "\n\n", "\n\n"
        elif name in _LINE_BLOCKS:
            opening, closing = "\n", "\n"
        elif name in _CELLS:
            opening, closing = " ", " \u2063"  # cells of one row stay on one line
        else:
            opening, closing = "", ""
        if name == "li":
            opening = "\n- "
        stack.append(_Marker(closing))
        stack.extend(reversed(list(node.children)))
        stack.append(_Marker(opening))
    raw = "".join(parts).replace("\u2063", "|")
    lines = [
        clean_line(line).strip("| ").strip() if "|" in line else clean_line(line)
        for line in raw.split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


class _Marker(str):
    """A separator pushed on block_text's stack (a plain str, not page text)."""

    __slots__ = ()


def inline_text(tag: Tag | None) -> str:
    if tag is None:
        return ""
    return clean_line(tag.get_text(" ", strip=True))


def sanitize_html(fragment: str, base_url: str = "") -> str:
    """The advert's own HTML, safe to store and show (nh3 keeps structure, drops scripts).

    Links are made absolute against the page's URL: shown on our site, a relative link
    ("/professors/x") would point at us instead of the source.
    """
    try:
        cleaned = nh3.clean(fragment).strip()
    except Exception:  # nh3 rejects some invalid input; the text still serves
        return ""
    if not base_url or "href" not in cleaned:
        return cleaned

    def absolute(match: re.Match[str]) -> str:
        href = html_lib.unescape(match.group(2))
        resolved = absolutize(base_url, href)
        if resolved is None:
            return ""  # a fragment-only or unusable link keeps its text, loses its target
        return f'{match.group(1)}{html_lib.escape(resolved, quote=True)}"'

    return _HREF.sub(absolute, cleaned)


_HREF = re.compile(r'(\shref=")([^"]*)"')


def select_first(root: Tag, selector: str | None) -> Tag | None:
    if not selector:
        return None
    try:
        found = root.select_one(selector)
    except Exception:  # bad selector from options: treat as "not found"
        return None
    return found if isinstance(found, Tag) else None


def select_all(root: Tag, selector: str | None) -> list[Tag]:
    if not selector:
        return []
    try:
        return [tag for tag in root.select(selector) if isinstance(tag, Tag)]
    except Exception:
        return []


def _containers(soup: BeautifulSoup) -> Iterable[Tag | None]:
    """Where pages keep their main content, most specific first (plain finds: CSS selectors
    over a large page cost seconds)."""
    yield soup.find(None, {"itemtype": re.compile("JobPosting", re.IGNORECASE)})
    main = soup.find("main")
    if isinstance(main, Tag):
        yield main.find("article")
    yield soup.find("article")
    yield main
    yield soup.find(None, {"role": "main"})
    yield soup.find(id="main-content")
    yield soup.find(id="content")
    yield soup.find(class_="job-description")
    yield soup.find(class_="content")


def main_container(
    soup: BeautifulSoup, selector: str | None = None, min_chars: int = 200
) -> Tag | None:
    """The element holding the page's main content, or None when no obvious one exists."""
    chosen = select_first(soup, selector)
    if chosen is not None:
        return chosen
    for found in _containers(soup):
        if isinstance(found, Tag) and len(found.get_text(" ", strip=True)) >= min_chars:
            return found
    return None


# --- metadata ---------------------------------------------------------------------------


def page_meta(soup: BeautifulSoup) -> dict[str, Any]:
    """Page-level metadata an advert often relies on (posting date for year-less dates)."""
    meta: dict[str, Any] = {}
    wanted = {
        "og:title": "og_title",
        "og:description": "description",
        "description": "description",
        "og:url": "canonical_url",
        "og:site_name": "site_name",
        "article:published_time": "published",
        "article:modified_time": "modified",
        "datepublished": "published",
        "date": "published",
        "dc.date": "published",
        "keywords": "keywords",
        "author": "author",
    }
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or ""
        if not isinstance(key, str):
            continue
        name = wanted.get(key.lower())
        content = tag.get("content")
        if name and isinstance(content, str) and content.strip() and name not in meta:
            meta[name] = clean_line(content)
    title = soup.find("title")
    if isinstance(title, Tag):
        meta["html_title"] = inline_text(title)
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and isinstance(canonical.get("href"), str):
        meta.setdefault("canonical_url", canonical["href"])
    time_tag = soup.find("time", datetime=True)
    if isinstance(time_tag, Tag) and isinstance(time_tag.get("datetime"), str):
        meta.setdefault("published", time_tag["datetime"])
    html_tag = soup.find("html")
    if isinstance(html_tag, Tag) and isinstance(html_tag.get("lang"), str):
        meta["lang"] = html_tag["lang"]
    return meta


def page_title(soup: BeautifulSoup | Tag, meta: Mapping[str, Any] | None = None) -> str:
    meta = meta or {}
    for key in ("title",):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return clean_line(value)
    headings = [inline_text(h) for h in soup.find_all(["h1", "h2", "h3"], limit=6)]
    h1 = soup.find("h1")
    if isinstance(h1, Tag) and inline_text(h1):
        first = inline_text(h1)
        if not DEGREE_WORD.search(first):
            # "Graduate student openings" above "PhD position: X": the advert is X.
            for text in headings:
                if DEGREE_WORD.search(text) and looks_like_position_title(text):
                    return text
        return first
    for key in ("og_title", "html_title"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return clean_line(value)
    title = soup.find("title")
    return inline_text(title) if isinstance(title, Tag) else ""


# --- links ------------------------------------------------------------------------------


def absolutize(base_url: str, href: str) -> str | None:
    """An absolute http(s) or mailto URL, or None for javascript:, fragments and junk."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    lowered = href.lower()
    if lowered.startswith("mailto:"):
        return "mailto:" + href[7:].strip()
    if _BARE_EMAIL.fullmatch(href):
        return f"mailto:{href}"  # <a href="info@gssi.it">: an address without its scheme
    try:
        absolute = urljoin(base_url or "", href).replace(" ", "%20")
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    target = _unwrap_redirect(parts.netloc.lower(), parts.query)
    if target is not None:
        return target
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment))


_BARE_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(\.[\w-]{1,63})+")
# Click trackers wrap the real address in a query parameter.
_REDIRECTORS = {
    "l.facebook.com": "u",
    "lm.facebook.com": "u",
    "www.google.com": "q",
    "www.google.co.uk": "q",
    "t.umblr.com": "z",
    "out.reddit.com": "url",
}


def _unwrap_redirect(host: str, query: str) -> str | None:
    key = _REDIRECTORS.get(host)
    if key is None and not host.endswith("safelinks.protection.outlook.com"):
        return None
    values = parse_qs(query).get(key or "url") or []
    target = values[0] if values else ""
    if target.lower().startswith(("http://", "https://")):
        parts = urlsplit(target)
        if parts.netloc:
            return urlunsplit(
                (parts.scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment)
            )
    return None


def without_fragment(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def extract_links(root: Tag | None, base_url: str) -> list[tuple[str, str]]:
    if root is None:
        return []
    links: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for anchor in root.find_all("a", href=True):
        href = anchor.get("href")
        if not isinstance(href, str):
            continue
        absolute = absolutize(base_url, href)
        if absolute is None:
            continue
        item = (inline_text(anchor), absolute)
        if item not in seen:
            seen.add(item)
            links.append(item)
    return links
