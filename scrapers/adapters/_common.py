"""Helpers every adapter shares: page kinds, Markdown rendering, text, labels, links.

Everything here is pure and tolerant: garbage in gives empty strings or empty dicts, never an
exception, because scraped pages are untrusted and often broken.
"""

from __future__ import annotations

import functools
import html as html_lib
import json
import re
import tomllib
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit

import frontmatter
import nh3
import yaml
from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning
from bs4.element import CData, Comment, NavigableString, PageElement
from markdown_it import MarkdownIt

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


# --- HTML -------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# An advert is never this long; past it a page is lists and inline junk, and parsing it
# whole would cost seconds (the fetch layer allows 5 MiB).
MAX_PAGE_CHARS = 2_000_000


def bounded(text: str) -> str:
    """`text` cut to MAX_PAGE_CHARS, at a tag boundary when there is one."""
    if len(text) <= MAX_PAGE_CHARS:
        return text
    cut = text.rfind("<", 0, MAX_PAGE_CHARS)
    return text[: cut if cut > MAX_PAGE_CHARS // 2 else MAX_PAGE_CHARS]


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

_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def clean_line(text: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


def clean_text(text: str) -> str:
    """One space between words, no blank-line runs, no invisible characters."""
    lines = [
        clean_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


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
DEGREE_WORD = re.compile(r"\b(ph\.?\s?d\.?|doctoral|doctorate|studentship)", re.IGNORECASE)
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


def valid_options(options: Any) -> Mapping[str, Any]:
    """Source options as a mapping; anything else (a list, a string) counts as none."""
    return options if isinstance(options, Mapping) else {}


def option_list(options: Mapping[str, Any] | None, key: str) -> list[str]:
    value = valid_options(options).get(key)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def option_str(options: Mapping[str, Any] | None, key: str) -> str | None:
    value = valid_options(options).get(key)
    return value if isinstance(value, str) and value.strip() else None


# Lines a browser or consent banner puts before the page's own text.
_BOILERPLATE_LINE = re.compile(
    r"\b(javascript|cookies?|(modern|supported|upgrade your|update your) browser|"
    r"browser (is|that is) (no longer|not) supported|skip to (main )?content)\b",
    re.IGNORECASE,
)
# A list item ("- ", "• ", "a) ", "1. "): never a page's title.
_LIST_ITEM = re.compile(r"^([-*+\u2022\u2013\u25aa\u25cf]\s*|\(?[a-z0-9]{1,2}[).]\s)", re.I)
_TITLE_SENTENCE = re.compile(r"[^A-Z0-9.][.!?;](\s|$)|[.:;,]$")


def _heading_like(line: str) -> bool:
    """Short, not a list item, not a sentence: how a heading reads once the markup is gone."""
    return (
        len(line) <= 150
        and not _LIST_ITEM.match(line)
        and not _TITLE_SENTENCE.search(line)
        and "://" not in line
    )


def slug_title(url: str) -> str:
    """The words of an address's last path segment ("/doing-a-phd-at-api.html" -> "Doing a
    PhD at api"), when it has at least three; "" for ids, dates and index pages."""
    path = urlsplit(url).path if url.startswith(("http://", "https://")) else ""
    segments = [seg for seg in path.split("/") if seg]
    if not segments:
        return ""
    slug = re.sub(r"\.(html?|php|aspx?|jsp)$", "", unquote(segments[-1]), flags=re.I)
    words = [w for w in re.split(r"[-_+\s]+", slug) if w]
    while words and words[0].isdigit():
        words = words[1:]
    if len([w for w in words if re.search(r"[^\W\d_]{2}", w)]) < 3:
        return ""
    title = " ".join(words)
    title = re.sub(r"\bph\.?d\b", "PhD", title, flags=re.I)
    return title[:1].upper() + title[1:]


def text_title(text: str, url: str = "") -> str:
    """A plain-text page's title: the first heading-like line announcing a position, else
    the first heading-like line (browser banners skipped); a page that starts mid-sentence
    (an excerpt) is named by its address's words, else by its first line."""
    lines = [line for line in (clean_line(item) for item in text.split("\n")[:40]) if line]
    lines = [line for line in lines if not _BOILERPLATE_LINE.search(line)] or lines
    headings = [line for line in lines[:15] if _heading_like(line)]
    if lines and lines[0] not in headings and slug_title(url):
        return slug_title(url)
    for line in headings:
        if looks_like_position_title(line) and len(line) >= 12:
            return line
    if lines and lines[0] in headings:
        return lines[0][:200]
    return slug_title(url) or (lines[0][:200] if lines else "")


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "advert"
