"""The measurement on real listing pages (../shared/listings, read at run time; skipped
where absent): with no options for any page, at least 7 of the 8 listing pages give 90-110 %
of their adverts (unique URLs of advert links and records, as `manage.py extract --links`
prints them), at least 2 of 3 sample titles each, and no record named after the page."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from scrapers.adapters._common import inline_text, soup_from_html

ROOT = Path(__file__).resolve().parents[2]


def _folder() -> Path | None:
    # ../shared beside the repository (a git worktree may sit one level deeper).
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "listings").is_dir():
            return base / "shared" / "listings"
    return None


FOLDER = _folder()
pytestmark = pytest.mark.skipif(FOLDER is None, reason="../shared/listings is not here")


def _extract(page: Path, url: str) -> dict:
    out = io.StringIO()
    try:
        call_command(
            "extract", str(page), "--base-url", url, "--links", stdout=out, stderr=io.StringIO()
        )
    except CommandError:
        return {"records": [], "links": []}
    return json.loads(out.getvalue())


def _titled(sample: str, titles: set[str]) -> bool:
    """A sample title cut short by its reader ("Documen[t ...]") matches by its start."""
    wanted = re.sub(r"\s+", " ", sample.split("[", 1)[0]).strip().casefold()
    return any(re.sub(r"\s+", " ", title).strip().casefold().startswith(wanted) for title in titles)


def test_the_real_listing_pages_give_their_adverts_with_no_options():
    assert FOLDER is not None
    results = []
    for label in sorted(FOLDER.glob("*.json")):
        facts = json.loads(label.read_text())
        if facts.get("kind") != "listing":
            continue
        page = label.with_suffix(".html")
        printed = _extract(page, facts["url"])
        adverts = [link for link in printed["links"] if link["rel"] == "advert"]
        urls = {link["url"] for link in adverts} | {
            record["url"] for record in printed["records"] if record.get("url")
        }
        titles = {link["title"] for link in adverts} | {r["title"] for r in printed["records"]}
        want = facts["expected"]["adverts"]
        samples = sum(
            1 for sample in facts["expected"]["sample"] if _titled(sample["title"], titles)
        )
        soup = soup_from_html(page.read_text(errors="replace"))
        page_names = {inline_text(tag) for tag in soup.find_all(["title", "h1"])} - {""}
        named_after_page = [r["title"] for r in printed["records"] if r["title"] in page_names]
        good = 0.9 * want <= len(urls) <= 1.1 * want and samples >= 2 and not named_after_page
        results.append((label.stem, want, len(urls), samples, named_after_page, good))
    assert len(results) == 8
    assert sum(1 for result in results if result[-1]) >= 7, results
    assert not any(result[4] for result in results), results
