"""The language a page is written in, from its commonest function words.

Adverts mix languages (an English page with a German address block, a Swedish page with an
English project title), so the page's language is the one whose short function words are
most frequent in its body, not the first word that looks foreign. Function words are used
because they occur in every advert whatever its subject; names of places and institutions,
which are what a page from abroad has most of, are ignored by construction.
"""

from __future__ import annotations

import re
from collections import Counter


def _words(text: str) -> list[str]:
    return text.split()


# Words that are frequent in running text of one language and rare or absent in the others
# (words shared by two languages, such as "en", "de", "in" or "til", are left out).
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        _words("the and of to is are with for this will be you your have which from an or we our")
    ),
    "de": frozenset(
        _words(
            "der die das und ist mit für von sich nicht ein eine einer auf wir sie ihre bei zur zum "
            "des dem den werden wird oder auch"
        )
    ),
    "fr": frozenset(
        _words(
            "le la les des et est une pour dans sur du au aux vous nous avec par sont qui ou être "
            "cette ces"
        )
    ),
    "nl": frozenset(
        _words(
            "het een van en is voor met zijn wij je u op bij niet ook naar deze wordt worden dat "
            "aan of"
        )
    ),
    "sv": frozenset(
        _words(
            "och att är för med som inte på av till vi du har ett eller kommer ska din dig vid "
            "samt från"
        )
    ),
    "no": frozenset(
        _words(
            "og å er for med som ikke på av vi du har et eller skal din deg ved samt fra hos "
            "stillingen"
        )
    ),
    "da": frozenset(
        _words(
            "og at er for med som ikke på af vi du har et eller skal din dig ved samt fra hos "
            "stillingen være"
        )
    ),
    "es": frozenset(
        _words(
            "el la los las y es una para con del en por que se su sus al como más o este esta son"
        )
    ),
    "it": frozenset(
        _words(
            "il lo la gli le e è una per con del della di che si sono nel nella al dei delle "
            "alla un"
        )
    ),
    "pt": frozenset(
        _words("o a os as e é uma para com do da dos das em no na que se são ao pelo pela um não")
    ),
}
LANGUAGES = tuple(FUNCTION_WORDS)
# Norwegian and Danish share most function words; the spellings that tell them apart.
_NORWEGIAN = frozenset(_words("ikke ei hva hvordan også eller deg stipendiat søknadsfrist"))
_DANISH = frozenset(_words("af ikke hvad hvordan også eller dig ansøgningsfrist stillingen"))
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MAX_CHARS = 20_000


def detect_language(text: str) -> str:
    """ISO 639-1 code of the page's language ("en" when nothing tells otherwise)."""
    words = [w.lower() for w in _WORD.findall(text[:_MAX_CHARS])]
    if not words:
        return "en"
    counts = Counter(words)
    scores = {
        language: sum(counts[w] for w in vocabulary)
        for language, vocabulary in FUNCTION_WORDS.items()
    }
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    if scores[best] < 3:
        return "en"
    if best in ("no", "da"):
        norwegian = sum(counts[w] for w in _NORWEGIAN - _DANISH) + counts["av"]
        danish = sum(counts[w] for w in _DANISH - _NORWEGIAN) + counts["af"]
        best = "da" if danish > norwegian else "no"
    return best
