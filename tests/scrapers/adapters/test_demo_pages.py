"""The offline demo is complete: every page its sources reach is recorded, and the three
seed adverts come out of it through the sources' own adapters and options."""

from __future__ import annotations

import json
from pathlib import Path

from scrapers import get_adapter
from scrapers.platforms import platform_names
from scrapers.records import Page

DEMO = Path(__file__).resolve().parents[3] / "demo"
INDEX = json.loads((DEMO / "recorded" / "index.json").read_text("utf-8"))
SOURCES = json.loads((DEMO / "sources.json").read_text("utf-8"))


def crawl(source: dict) -> list:
    adapter = get_adapter(source["adapter"])
    queue, seen, records = [source["start_url"]], set(), []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        assert url in INDEX, f"{source['name']} reaches {url}, which is not recorded"
        entry = INDEX[url]
        text = (DEMO / "recorded" / entry["file"]).read_text("utf-8")
        page = Page(url=url, text=text, content_type=entry["content_type"].split(";")[0])
        result = adapter.parse(page, source["options"])
        records.extend(result.records)
        queue.extend(result.follow)
    return records


def test_every_recorded_page_exists_and_every_source_starts_on_a_recorded_page():
    for url, entry in INDEX.items():
        assert url.startswith("https://")
        assert (DEMO / "recorded" / entry["file"]).is_file()
    # The seed sources, and every platform adapter's demo source.
    assert {source["adapter"] for source in SOURCES} == {"aggregator", "lab_page"} | set(
        platform_names()
    )
    assert all(source["start_url"] in INDEX for source in SOURCES)


def test_the_aggregator_demo_follows_pagination_to_all_three_adverts():
    (aggregator_source,) = [s for s in SOURCES if s["adapter"] == "aggregator"]
    titles = [record.title for record in crawl(aggregator_source)]
    assert titles == [
        "PhD Position: The Mathematics of Deep Bilevel Learning",
        "EPSRC DTP PhD Studentship: Computational Haemodynamics of Cerebral Aneurysms",
        "Self-funded PhD: Graph Neural Networks for Protein Design",
    ]


def test_the_lab_page_demos_give_the_kth_and_wias_adverts():
    titles = [record.title for s in SOURCES if s["adapter"] == "lab_page" for record in crawl(s)]
    assert titles == [
        "PhD Position: Towards a theory of deep learning",
        "Ph.D. position in Berlin, Germany, at the Weierstrass Institute, optimization and machine learning",
    ]


# Options that say what to fetch (a platform's API query), not how to read a page.
FETCH_OPTIONS = {"follow", "search_text", "page_size", "tenant"}


def test_the_demo_works_without_options_too():
    # The heuristics alone must carry a source of a known kind; a platform adapter needs
    # no selector at all, only (where its API asks) what to fetch.
    for source in SOURCES:
        seed = source["adapter"] in ("aggregator", "lab_page")
        kept = {} if seed else source["options"]
        assert seed or set(kept) <= FETCH_OPTIONS, source["name"]
        assert crawl({**source, "options": kept}), source["name"]
