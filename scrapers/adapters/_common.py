"""Helpers every adapter shares: page kinds, Markdown rendering, text, labels, links.

Everything here is pure and tolerant: garbage in gives empty strings or empty dicts, never an
exception, because scraped pages are untrusted and often broken. The helpers live in

- `_text`: clean lines and text, bounded pages, source options, slugs;
- `_kinds`: what kind a page is (HTML, feed, JSON, Markdown, text), Markdown and front matter;
- `_html`: soups, noise removal, block and inline text, sanitising, selectors, metadata, links;
- `_fields`: labelled fields, the summary block of an advert, noise lines, plain-text titles;

and adapters import them from here.
"""

from __future__ import annotations

from scrapers.adapters._fields import (
    DEFAULT_NOISE_LINES,
    KNOWN_LABELS,
    apply_aliases,
    drop_noise_lines,
    fields_from_lines,
    fields_from_structure,
    first_sentence,
    labelled_fields,
    normalise_label,
    slug_title,
    summary_block,
    text_title,
)
from scrapers.adapters._html import (
    absolutize,
    block_text,
    extract_links,
    inline_text,
    main_container,
    page_meta,
    page_soup,
    page_title,
    remove_noise,
    sanitize_html,
    select_all,
    select_first,
    soup_from_html,
    without_fragment,
)
from scrapers.adapters._kinds import (
    JSON_FEED,
    SECTION_HEADING,
    detect_kind,
    load_json,
    looks_like_position_title,
    markdown_to_html,
    split_front_matter,
    text_to_html,
)
from scrapers.adapters._text import (
    DEGREE_WORD,
    MAX_PAGE_CHARS,
    bounded,
    clean_line,
    clean_text,
    option_list,
    option_str,
    slugify,
    valid_options,
)

__all__ = [
    "DEFAULT_NOISE_LINES",
    "DEGREE_WORD",
    "JSON_FEED",
    "KNOWN_LABELS",
    "MAX_PAGE_CHARS",
    "SECTION_HEADING",
    "absolutize",
    "apply_aliases",
    "block_text",
    "bounded",
    "clean_line",
    "clean_text",
    "detect_kind",
    "drop_noise_lines",
    "extract_links",
    "fields_from_lines",
    "fields_from_structure",
    "first_sentence",
    "inline_text",
    "labelled_fields",
    "load_json",
    "looks_like_position_title",
    "main_container",
    "markdown_to_html",
    "normalise_label",
    "option_list",
    "option_str",
    "page_meta",
    "page_soup",
    "page_title",
    "remove_noise",
    "sanitize_html",
    "select_all",
    "select_first",
    "slug_title",
    "slugify",
    "soup_from_html",
    "split_front_matter",
    "summary_block",
    "text_title",
    "text_to_html",
    "valid_options",
    "without_fragment",
]
