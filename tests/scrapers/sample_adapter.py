"""A tiny adapter for the pipeline tests: a results page links adverts (a.advert) and the
next page (a[rel=next]); an advert page holds one <article>. Pure, like every adapter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from scrapers.records import Page, ParseResult, RawRecord

NAME = "sample"
PARSED: list[str] = []  # the URLs parsed in this process, so tests can count parses


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    PARSED.append(page.url)
    soup = BeautifulSoup(page.text, "html.parser")
    if soup.select_one(".explode"):
        raise ValueError("this page has a layout the sample adapter does not know")
    follow = [urljoin(page.url, a["href"]) for a in soup.select("a.advert, a[rel=next]")]
    records = []
    for article in soup.select("article"):
        title = article.select_one("h1")
        fields = {}
        for label in ("institution", "deadline", "country"):
            node = article.select_one(f".{label}")
            if node is not None:
                fields[label.capitalize()] = node.get_text(strip=True)
        records.append(
            RawRecord(
                url=page.url,
                title=title.get_text(strip=True) if title else "",
                text=article.get_text(" ", strip=True),
                html=str(article),
                fields=fields,
                source_item_id=article.get("data-id", ""),
                adapter=NAME,
            )
        )
    return ParseResult(records=records, follow=follow)
