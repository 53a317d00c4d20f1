from __future__ import annotations

from typing import Any

import pytest

from scrapers.normalize.text import Doc, build_doc


def make_doc(
    text: str = "",
    *,
    title: str = "",
    fields: dict[str, str] | None = None,
    meta: dict[str, Any] | None = None,
    links: list[tuple[str, str]] | None = None,
    url: str = "https://example.org/advert",
) -> Doc:
    return build_doc(
        url=url,
        title=title,
        text=text,
        html_fragment="",
        fields=fields or {},
        meta=meta or {},
        links=links or [],
    )


@pytest.fixture
def doc():
    return make_doc
