#!/usr/bin/env python
"""Write a recorded-pages folder of an aggregator with N pages, for the replayed-scrape
benchmark (issue 7, item 6):

    .venv/bin/python bench/make_replay.py --pages 10000 --out var/bench-replay-10k

The folder has the format the fetch layer replays (settings.SCRAPER_REPLAY_DIR): index.json
maps each absolute URL to {"file", "status", "content_type"}. The site is a board at
https://replay-board.example.org/: results pages of 50 adverts each, linked by rel=next,
and one page per advert with labelled fields and 150-400 words of text from the same
generator as `manage.py generate_positions`. Pure Python, no database. Deterministic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from positions.synthetic import (  # noqa: E402
    InstitutionChoice,
    PositionGenerator,
    TopicChoice,
    synthetic_institutions,
)
from positions.synthetic_words import FALLBACK_TAXONOMY  # noqa: E402

BASE = "https://replay-board.example.org"
PER_PAGE = 50
SOURCE_OPTIONS = {
    "result_link_selector": "a.advert-link",
    "next_page_selector": "a[rel=next]",
    "advert_selector": "article.advert",
    "title_selector": "h1",
    "advert_url_pattern": r"/phd/\d+$",
}
START_URL = f"{BASE}/phds?page=1"


def results_page(page: int, last_page: int, adverts: list[tuple[int, str, str]]) -> str:
    items = "\n".join(
        f'<div class="search-result"><a class="advert-link" href="/phd/{number}">'
        f"{html.escape(title)}</a><p>{html.escape(institution)}</p></div>"
        for number, title, institution in adverts
    )
    next_link = f'<a rel="next" href="/phds?page={page + 1}">Next</a>' if page < last_page else ""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>PhD positions - page "
        f"{page}</title></head><body><main><h1>PhD positions</h1>{items}"
        f"<nav class='pagination'>{next_link}</nav></main></body></html>"
    )


def advert_page(values: dict) -> str:
    fields = {
        "Institution": values["institution_name"],
        "Department": values["department"],
        "Location": f"{values['city']}, {values['country']}",
        "Deadline": values["deadline"].strftime("%d %B %Y")
        if values["deadline"]
        else ("Open until filled" if values["deadline_kind"] == "rolling" else ""),
        "Funding": {
            "full": "Fully funded",
            "partial": "Partially funded",
            "self": "Self-funded",
        }.get(values["funding"], ""),
        "Salary": values["stipend_text"],
        "Supervisor": ", ".join(values["supervisors"]),
        "Degree Level": "PhD",
    }
    labelled = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in fields.items()
        if value
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(values['title'])}</title></head><body><main>"
        f"<article class='advert'><h1>{html.escape(values['title'])}</h1><dl>{labelled}</dl>"
        f"<div class='description'>{values['description_html']}</div></article>"
        "</main></body></html>"
    )


def build(pages: int, out: Path, seed: int) -> dict:
    topics = []
    next_id = 1
    for field_name, leaves in FALLBACK_TAXONOMY.items():
        for leaf, keywords in leaves.items():
            topics.append(TopicChoice(next_id, leaf, field_name, tuple(keywords)))
            next_id += 1
    institutions = [
        InstitutionChoice(index, name, country, city, domain)
        for index, (name, country, city, domain) in enumerate(
            synthetic_institutions(random.Random(seed), 300), 1
        )
    ]
    generator = PositionGenerator(
        seed=seed,
        institutions=institutions,
        topics=topics,
        source_count=1,
        today=dt.date.today(),
    )
    # pages = results pages + adverts, with PER_PAGE adverts per results page.
    result_pages = max(1, -(-pages // (PER_PAGE + 1)))
    advert_count = max(0, pages - result_pages)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    index: dict[str, dict] = {}
    summaries: list[tuple[int, str, str]] = []
    for number in range(1, advert_count + 1):
        values = generator.make(number).values
        name = f"pages/phd-{number:06d}.html"
        (out / name).write_text(advert_page(values), encoding="utf-8")
        index[f"{BASE}/phd/{number}"] = {
            "file": name,
            "status": 200,
            "content_type": "text/html; charset=utf-8",
        }
        summaries.append((number, values["title"], values["institution_name"]))
    for page in range(1, result_pages + 1):
        chunk = summaries[(page - 1) * PER_PAGE : page * PER_PAGE]
        name = f"pages/results-{page:04d}.html"
        (out / name).write_text(results_page(page, result_pages, chunk), encoding="utf-8")
        index[f"{BASE}/phds?page={page}"] = {
            "file": name,
            "status": 200,
            "content_type": "text/html; charset=utf-8",
        }
    index[f"{BASE}/robots.txt"] = {
        "file": "robots.txt",
        "status": 200,
        "content_type": "text/plain; charset=utf-8",
    }
    (out / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    (out / "index.json").write_text(json.dumps(index, indent=0))
    manifest = {
        "start_url": START_URL,
        "adapter": "aggregator",
        "options": SOURCE_OPTIONS,
        "pages": len(index) - 1,
        "adverts": advert_count,
        "results_pages": result_pages,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "var" / "bench-replay-10k"))
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args()
    manifest = build(options.pages, Path(options.out), options.seed)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
