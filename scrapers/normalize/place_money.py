"""The currency of a place, from CLDR (Babel): what a country pays in, and which currency an
ambiguous sign means there ("$" is CAD in Canada, AUD in Australia, HKD in Hong Kong; "kr"
is SEK, NOK or DKK; "¥" is CNY in China). Currency comes from the place, never from the sign
alone: a sign the place does not write its own currency with keeps its usual meaning.
"""

from __future__ import annotations

import functools
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_symbol, get_territory_currencies


@functools.cache
def country_currency(country: str | None) -> str | None:
    """The currency in use in a country today (ISO 3166 alpha-2 -> ISO 4217), or None."""
    if not country or len(country) != 2:
        return None
    try:
        currencies = get_territory_currencies(country.upper())
    except (ValueError, KeyError):
        return None
    return str(currencies[0]) if currencies else None


def _plain(sign: str) -> str:
    """A sign as compared: full-width forms folded ("￥" -> "¥"), case and dots ignored."""
    return unicodedata.normalize("NFKC", sign).casefold().rstrip(".")


@functools.cache
def _local_signs(country: str) -> frozenset[str]:
    """How the country writes its own currency: the symbol in its likely locale and in its
    English locale ("$" and "HK$" for Hong Kong, "kr" for Sweden, "¥" for China)."""
    code = country_currency(country)
    if not code:
        return frozenset()
    signs: set[str] = set()
    for name in (f"und_{country}", f"en_{country}"):
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
        signs.add(_plain(str(get_currency_symbol(code, locale))))
    return frozenset(signs)


def local_sign_currency(sign: str, country: str | None) -> str | None:
    """The place's currency when the sign is how the place writes it, else None."""
    if not country:
        return None
    plain = _plain(sign)
    if not plain or (plain.isalpha() and len(plain) == 3):
        return None  # an ISO code says its currency itself
    for local in _local_signs(country.upper()):
        if plain == local or (plain == "$" and local.endswith("$")):
            return country_currency(country)
    return None
