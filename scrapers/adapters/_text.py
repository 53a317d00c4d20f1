"""Plain text for adapters: clean lines, bounded pages, source options, slugs."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

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


DEGREE_WORD = re.compile(r"\b(ph\.?\s?d\.?|doctoral|doctorate|studentship)", re.IGNORECASE)


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


def slugify(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "advert"
