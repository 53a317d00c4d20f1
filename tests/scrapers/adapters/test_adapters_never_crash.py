"""No page, however broken, makes an adapter raise anything but ParseError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapers.adapters import (
    ParseError,
    academicpositions,
    academictransfer,
    aggregator,
    euraxess,
    feed,
    findaphd,
    generic,
    jobbnorge,
    jobs_ac_uk,
    jsonld,
    lab_page,
    reachmee,
    successfactors,
    varbi,
    workday,
)
from scrapers.records import Page, ParseResult

ADAPTERS = [aggregator, lab_page, jsonld, feed, generic]
# The platform adapters: every results page or advert of theirs is a page like any other.
ADAPTERS += [
    varbi,
    reachmee,
    successfactors,
    workday,
    jobbnorge,
    euraxess,
    jobs_ac_uk,
    findaphd,
    academictransfer,
    academicpositions,
]
CONTENT_TYPES = [
    "text/html",
    "text/markdown",
    "text/plain",
    "application/rss+xml",
    "application/ld+json",
    "",
]

TAGS = [
    "html",
    "body",
    "main",
    "article",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "ul",
    "li",
    "a",
    "strong",
    "script",
    "nav",
    "br",
    "rss",
    "item",
    "feed",
    "entry",
]
FRAGMENTS = [
    "Deadline:",
    "**Supervisor:**",
    "PhD position",
    "---\n",
    "+++\n",
    "# ",
    "<![CDATA[",
    "&amp;",
    '{"@type": "JobPosting"',
    "<?xml version='1.0'?>",
    "\x00",
    "\ufeff",
    "mailto:",
    'href="javascript:x"',
]


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    """Random, usually malformed HTML made of real tags, attributes and advert words."""
    parts = []
    for _ in range(draw(st.integers(0, 40))):
        choice = draw(st.integers(0, 4))
        tag = draw(st.sampled_from(TAGS))
        if choice == 0:
            cls = draw(
                st.sampled_from(
                    ["", "result-card", "signin-gate", "fact-label", "pagination", "chat"]
                )
            )
            href = draw(
                st.sampled_from(
                    ["", "/a", "https://x.example/b", "javascript:1", "mailto:a@b.c", "::"]
                )
            )
            parts.append(f'<{tag} class="{cls}" href="{href}" rel="next">')
        elif choice == 1:
            parts.append(f"</{tag}>")
        elif choice == 2:
            parts.append(draw(st.sampled_from(FRAGMENTS)))
        else:
            parts.append(draw(st.text(max_size=40)))
    return "".join(parts)


def _parse_or_parse_error(adapter, page: Page, options=None) -> None:
    try:
        result = adapter.parse(page, options)
    except ParseError:
        return
    assert isinstance(result, ParseResult)
    for record in result.records:
        assert isinstance(record.text, str) and isinstance(record.fields, dict)
    assert all(url.startswith(("http://", "https://")) for url in result.follow)


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=html_soup(), content_type=st.sampled_from(CONTENT_TYPES))
def test_random_html_gives_records_or_a_parse_error(adapter, text, content_type):
    _parse_or_parse_error(
        adapter, Page(url="https://x.example/p", text=text, content_type=content_type)
    )


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(max_size=300),
    options=st.dictionaries(
        st.sampled_from(
            [
                "content_selector",
                "result_link_selector",
                "label_aliases",
                "follow",
                "split",
                "noise_lines",
            ]
        ),
        st.one_of(
            st.text(max_size=10),
            st.booleans(),
            st.integers(),
            st.lists(st.text(max_size=5), max_size=2),
        ),
        max_size=3,
    ),
)
def test_random_text_and_random_options_give_records_or_a_parse_error(adapter, text, options):
    _parse_or_parse_error(adapter, Page(url="https://x.example/p", text=text), options)


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01\x02", "<", "<<<>>>", "{", "[]", "null"])
def test_empty_and_garbage_pages_give_records_or_a_parse_error(adapter, text):
    _parse_or_parse_error(adapter, Page(url="https://x.example/p", text=text))


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
def test_empty_page_is_a_parse_error(adapter):
    with pytest.raises(ParseError):
        adapter.parse(Page(url="https://x.example/p", text=""))


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
def test_deeply_nested_page_does_not_exhaust_the_stack(adapter):
    text = (
        "<html><body>"
        + "<div>" * 5000
        + "PhD position. Deadline: 1 May 2026"
        + "</div>" * 5000
        + "</body></html>"
    )
    _parse_or_parse_error(adapter, Page(url="https://x.example/p", text=text))


@pytest.mark.parametrize("adapter", ADAPTERS, ids=lambda a: a.NAME)
def test_huge_page_is_read_without_error(adapter):
    paragraph = "<p>Deadline: 1 May 2026. The project studies stochastic control in finance.</p>\n"
    text = (
        "<html><body><main><h1>PhD position in X</h1>" + paragraph * 20000 + "</main></body></html>"
    )
    _parse_or_parse_error(adapter, Page(url="https://x.example/p", text=text))


def test_deeply_nested_json_is_a_parse_error_not_a_crash():
    text = "[" * 100000 + "]" * 100000
    with pytest.raises(ParseError):
        jsonld.parse(Page(url="https://x.example/p", text=text, content_type="application/ld+json"))


def test_a_page_larger_than_any_advert_is_cut_before_parsing():
    from scrapers.adapters._common import MAX_PAGE_CHARS, bounded

    text = "<p>x</p>" * (MAX_PAGE_CHARS // 4)
    cut = bounded(text)
    assert len(cut) <= MAX_PAGE_CHARS
    assert text[len(cut)] == "<"  # cut where a tag starts, never inside one
