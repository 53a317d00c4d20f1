"""Any single advert page: university job systems, department news, blog posts, plain text.

Most of the web is this case. The main content comes from the page's own container when it
has one (<main>, <article>, a JobPosting microdata block, or `content_selector`), otherwise
from trafilatura's main-content extraction, falling back to the whole cleaned body when
trafilatura keeps too little. Labelled fields ("Deadline: ...", definition lists, table rows,
label/value blocks) are read from the cleaned page, so a field trafilatura drops is not lost.

Options (Source.options):
- `content_selector`: CSS selector of the advert's container.
- `title_selector`: CSS selector of the advert's title.
- `noise_selectors`: extra CSS selectors to remove (cookie banners, widgets).
- `noise_lines`: extra regular expressions; matching text lines are dropped.
- `label_aliases`: {"Page label": "Label"} to rename a source's own labels.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import trafilatura

from scrapers.adapters import ParseError
from scrapers.adapters._common import (
    DEGREE_WORD,
    block_text,
    bounded,
    drop_noise_lines,
    extract_links,
    inline_text,
    labelled_fields,
    load_json,
    main_container,
    option_list,
    option_str,
    page_meta,
    page_soup,
    page_title,
    remove_noise,
    sanitize_html,
    select_first,
    summary_block,
    text_title,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "generic"

# trafilatura logs an ERROR for every page it cannot use; we fall back to the page's own
# text then, so those are not errors of ours.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_ABBREVIATION = re.compile(r"\b(ph\.\s?d|dr|prof|m\.\s?sc|b\.\s?sc|e\.g|i\.e|st|no)\.", re.I)
_SENTENCE_BREAK = re.compile(r"[.!?](\s|$)")
# The name of a results page, not of an advert: "Vacancies at X", "X - All jobs".
_LIST_NAME = re.compile(
    r"^([^|\u2013\u2014-]{0,60}\s[|\u2013\u2014-]\s)?(all |available |current |open |our |latest )?"
    r"(jobs?|vacanc(y|ies)|positions|job (openings|offers|vacancies)|openings|opportunities|careers|"
    r"lediga (jobb|tjänster)|stellenangebote|stellen|vacatures|offres d'emploi|ofertas de empleo|"
    r"ledige stillinger|avoimet työpaikat)( and (jobs|vacancies|positions|careers))?"
    r"(\s(at|@|in|of|[|\u2013\u2014-])\s.{0,80})?$",
    re.IGNORECASE,
)
# Below this share of the body's text, trafilatura has probably cut the advert itself.
_MIN_TRAFILATURA_SHARE = 0.35


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    from scrapers.listing import parse_listing

    listed = parse_listing(page, options)  # a results page is never one advert
    if listed is not None:
        return listed
    record = parse_single(page, options, adapter=NAME)
    return ParseResult(records=[record])


def parse_single(
    page: Page,
    options: Mapping[str, Any] | None = None,
    *,
    adapter: str = NAME,
    skip_summary_block: bool = False,
) -> RawRecord:
    """One advert from one page; shared with the adapters whose detail pages are generic.

    With `skip_summary_block` (aggregators, job boards) the description starts at the
    advert's own text, after the site's labelled summary; the facts still read all of it.
    """
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    if page.text.lstrip()[:1] in ("{", "[") and load_json(page.text) is not None:
        raise ParseError("a JSON document holding neither an advert nor a list of adverts")
    soup, front_matter, kind = page_soup(page)
    meta: dict[str, Any] = {**page_meta(soup), **front_matter}
    title_tag = select_first(soup, option_str(options, "title_selector"))
    title = inline_text(title_tag) if title_tag is not None else page_title(soup, front_matter)
    if kind == "text" and not title:
        title = text_title(page.text, page.url)

    remove_noise(soup, option_list(options, "noise_selectors"))
    container = main_container(soup, option_str(options, "content_selector"))
    scope = container if container is not None else (soup.body or soup)
    scope_text = drop_noise_lines(block_text(scope), option_list(options, "noise_lines"))
    text = scope_text
    if container is None and kind == "html":
        text = _trafilatura_text(page, scope_text) or scope_text
    if not text.strip() and not title:
        raise ParseError("no readable text on the page")

    fields = labelled_fields(scope, scope_text, options)
    # "PhD Position: The Title" is the title, not a field called "PhD Position".
    fields = {label: value for label, value in fields.items() if f"{label}: {value}" not in title}
    if not front_matter.get("title") and title_tag is None and soup.find("h1") is None:
        title = _announced_title(title, text, page.url)
    if _LIST_NAME.match(title) and not DEGREE_WORD.search(text):
        # "Vacancies at X" with no advert on it and no advert links: an empty results page.
        raise ParseError(f"nothing found: '{title}' lists no advert and links to none")
    if title and title not in text[:2000]:
        text = f"{title}\n\n{text}".strip()
    links = _links_with_apply_buttons(scope, soup, page.url)
    description_text = ""
    summary = summary_block(scope) if skip_summary_block else []
    if summary:
        # The facts above read the summary; the description shows the advert without it.
        for element in summary:
            element.extract()
        own_text = drop_noise_lines(block_text(scope), option_list(options, "noise_lines"))
        description_text = _starting_at(text, own_text) if own_text else ""
    return RawRecord(
        url=page.url,
        title=title,
        text=text,
        description_text=description_text,
        html=sanitize_html(str(scope), page.url),
        fields=fields,
        meta=meta,
        links=links,
        source_item_id=str(front_matter.get("id") or ""),
        adapter=adapter,
    )


def _announced_title(title: str, text: str, url: str) -> str:
    """No heading at all (bulletin-board sites): the <title> names the site; a short line
    announcing a PhD position, not a sentence, names the advert."""
    if DEGREE_WORD.search(title):
        return title
    announced = text_title(text, url)
    if (
        DEGREE_WORD.search(announced)
        and len(announced) <= 150
        and not _SENTENCE_BREAK.search(_ABBREVIATION.sub("", announced))
    ):
        return announced
    return title


def _links_with_apply_buttons(scope: Any, soup: Any, url: str) -> list[tuple[str, str]]:
    """The advert's links, and its "Apply" / "Login and apply" button, which often sits
    outside its text."""
    links = extract_links(scope, url)
    if scope is not soup:
        links += [
            item
            for item in extract_links(soup.body or soup, url)
            if item not in links and _APPLY_WORDS.match(item[0])
        ]
    return links


_APPLY_WORDS = re.compile(r"^(?:[\w ]{0,20}\b)?apply\b[\w ]{0,40}$", re.I)


def _starting_at(text: str, own_text: str) -> str:
    """`text` from the line where `own_text` begins (trafilatura's text, when it has it)."""
    first_line = own_text.split("\n", 1)[0]
    for match in re.finditer(re.escape(first_line), text):
        if match.start() == 0 or text[match.start() - 1] == "\n":
            return text[match.start() :]
    return own_text


def _trafilatura_text(page: Page, body_text: str) -> str:
    try:
        extracted = trafilatura.extract(
            bounded(page.text),
            url=page.url or None,
            output_format="txt",
            include_tables=True,
            include_comments=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura fails on some broken pages; we have a fallback
        return ""
    if not extracted:
        return ""
    extracted = drop_noise_lines(extracted)
    if len(extracted) < _MIN_TRAFILATURA_SHARE * len(body_text):
        return ""
    return extracted
