"""Which recruitment system or job board a URL (or a fetched page) belongs to.

`detect(url, html=None)` returns the name of the adapter that reads that platform (a key
of scrapers.ADAPTERS) or None. The URL decides first: hosts and paths each platform serves
its pages and API from. When the URL says nothing (a university's own vacancies page), the
page's markers decide: the platform's data embedded in a script, its API or job-page links,
its generator tags. Each rule names a platform's own hosts, routes or markup conventions,
which every customer of that platform shares, never one site's words.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# (adapter, host pattern, optional path pattern). The host pattern is matched against the
# lower-cased host name; the path pattern (when given) against the path and query.
_URL_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("varbi", re.compile(r"(^|\.)varbi\.com$"), None),
    ("reachmee", re.compile(r"(^|\.)reachmee\.com$"), None),
    ("workday", re.compile(r"(^|\.)myworkdayjobs\.com$"), None),
    ("workday", re.compile(r"(^|\.)myworkdaysite\.com$"), None),
    ("jobbnorge", re.compile(r"(^|\.)jobbnorge\.no$"), None),
    ("euraxess", re.compile(r"^euraxess\.ec\.europa\.eu$"), re.compile(r"^/jobs(/|$)")),
    ("jobs_ac_uk", re.compile(r"(^|\.)jobs\.ac\.uk$"), None),
    ("findaphd", re.compile(r"(^|\.)findaphd\.com$"), None),
    ("academictransfer", re.compile(r"(^|\.)academictransfer\.com$"), None),
    ("academicpositions", re.compile(r"(^|\.)academicpositions\.(com|[a-z]{2})$"), None),
    ("successfactors", re.compile(r"(^|\.)successfactors\.(com|eu)$"), None),
    ("successfactors", re.compile(r"(^|\.)sapsf\.(com|eu)$"), None),
)

# Markers in a page whose URL said nothing: the platform's data, links and scripts.
_PAGE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Varbi's careers-site widget embeds its JSON:API answer or links its adverts.
    ("varbi", re.compile(r"api\.varbi\.com|window\.__compressedData__|[a-z0-9-]+\.varbi\.com/")),
    ("reachmee", re.compile(r"reachmee\.com/ext/|[\"'/]rmwebapi|reachmee\.com/", re.I)),
    ("workday", re.compile(r"myworkdayjobs\.com|/wday/cxs/", re.I)),
    ("jobbnorge", re.compile(r"jobbnorge\.no/", re.I)),
    # SuccessFactors career sites: RMK pages ("jobTitle-link", "rmk" assets, sfcareer).
    (
        "successfactors",
        re.compile(
            r"rmkcdn\.successfactors\.com|career\d*\.(successfactors|sapsf)\.|"
            r"class=\"[^\"]*\bjobTitle-link\b|\bdata-careersite\b",
            re.I,
        ),
    ),
    ("euraxess", re.compile(r"euraxess\.ec\.europa\.eu/jobs/", re.I)),
    ("academictransfer", re.compile(r"academictransfer\.com/(en/)?jobs?/", re.I)),
    ("academicpositions", re.compile(r"academicpositions\.com/ad/", re.I)),
    ("jobs_ac_uk", re.compile(r"jobs\.ac\.uk/job/", re.I)),
    ("findaphd", re.compile(r"findaphd\.com/phds/project/", re.I)),
)

# How much of a page to scan for markers.
_SCAN_CHARS = 2_000_000
# A page links to another platform now and then (an "also on EURAXESS" badge): a marker
# must appear this often to name the page's own platform, except embedded data/API routes.
_MIN_LINK_MARKERS = 2
_STRONG_MARKER = re.compile(
    r"api\.varbi\.com|window\.__compressedData__|/wday/cxs/|rmkcdn\.successfactors\.com|"
    r"reachmee\.com/ext/",
    re.I,
)


def detect_url(url: str) -> str | None:
    """The platform adapter for `url` from its host and path alone, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return None
    path = parts.path or "/"
    for name, host_pattern, path_pattern in _URL_RULES:
        if host_pattern.search(host) and (path_pattern is None or path_pattern.search(path)):
            return name
    return None


def detect(url: str, html: str | None = None) -> str | None:
    """The adapter name for a known platform, from the URL, else from the page's markers.

    None means "no platform we know": the caller falls back to the generic readers. Only
    registered adapters are named, so the answer can always be passed to get_adapter.
    """
    name = _detect(url, html)
    return name if name in _registered() else None


def _registered() -> set[str]:
    from scrapers import ADAPTERS

    return set(ADAPTERS)


def _detect(url: str, html: str | None) -> str | None:
    by_url = detect_url(url)
    if by_url is not None or not html:
        return by_url
    text = html[:_SCAN_CHARS]
    best: tuple[int, str] | None = None
    for name, pattern in _PAGE_RULES:
        hits = pattern.findall(text)
        if not hits:
            continue
        count = len(hits)
        strong = any(_STRONG_MARKER.search(str(hit)) for hit in hits)
        if not strong and count < _MIN_LINK_MARKERS:
            continue
        score = count + (1000 if strong else 0)
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best else None


def platform_names() -> list[str]:
    """Every adapter name `detect` can return."""
    names: list[str] = []
    for name, *_ in _URL_RULES:
        if name not in names:
            names.append(name)
    return names
