"""Golden files: every recorded page extracts to the record a careful reader would write.

Each case is tests/fixtures/expected/<case>.json next to a page tests/fixtures/pages/<case>.*
(or the page named by its "page" key, e.g. one of the demo's recorded pages). The expected
file holds the page's URL and, optionally, "adapter", "options", "today" and
"content_type"; "records" lists the expected records in page order, each with the fields a
careful reader fills (keys left out are not compared); "evidence" names the fields that
must carry evidence; "follow" (optional) lists the URLs the adapter must queue.

Lists of names compare as sets; "topics" must include the expected paths (the normaliser
may add more); amounts compare to the cent. A failure lists every wrong field at once.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from scrapers.adapters import parse_page
from scrapers.extract import extract_records, page_from_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))
SET_FIELDS = {"supervisors", "contact_emails", "eligibility", "open_to"}
SUBSET_FIELDS = {"topics", "tags"}
# Cases the normaliser is known to get wrong: case -> reason. Empty: every case passes.
KNOWN_WRONG: dict[str, str] = {}


def _page_path(case: Path, spec: dict[str, Any]) -> Path:
    if spec.get("page"):
        return ROOT / spec["page"]
    matches = [p for p in (FIXTURES / "pages").glob(f"{case.stem}.*") if p.is_file()]
    assert len(matches) == 1, f"{case.stem}: expected exactly one page, found {matches}"
    return matches[0]


def _load(case: Path) -> tuple[dict[str, Any], str]:
    spec = json.loads(case.read_text("utf-8"))
    return spec, _page_path(case, spec).read_text("utf-8")


def _differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    problems = []
    for key, want in expected.items():
        if key == "evidence":
            continue
        got = actual.get(key)
        if key in SET_FIELDS:
            ok = sorted(want) == sorted(got or [])
        elif key in SUBSET_FIELDS:
            ok = set(want) <= set(got or [])
        elif key == "stipend" and want is not None and got is not None:
            ok = all(
                abs(float(got.get(k) or 0) - float(v)) < 0.01
                if k in ("amount", "amount_max") and v is not None
                else got.get(k) == v
                for k, v in want.items()
            )
        else:
            ok = got == want
        if not ok:
            problems.append(f"  {key}: expected {want!r}, got {got!r}")
    for name in expected.get("evidence", []):
        item = (actual.get("evidence") or {}).get(name)
        if not item or not item.get("snippet") or not item.get("rule"):
            problems.append(f"  evidence[{name}]: missing (got {item!r})")
    return problems


def _params() -> list[Any]:
    params = []
    for case in EXPECTED:
        marks = []
        if case.stem in KNOWN_WRONG:
            marks.append(pytest.mark.xfail(reason=KNOWN_WRONG[case.stem], strict=False))
        params.append(pytest.param(case, id=case.stem, marks=marks))
    return params


def test_the_corpus_holds_at_least_thirty_adverts():
    adverts = sum(len(json.loads(case.read_text("utf-8"))["records"]) for case in EXPECTED)
    assert adverts >= 30


@pytest.mark.parametrize("case", _params())
def test_page_extracts_to_its_golden_record(case: Path):
    spec, text = _load(case)
    today = dt.date.fromisoformat(spec["today"]) if spec.get("today") else None
    records = extract_records(
        text,
        spec["url"],
        adapter=spec.get("adapter"),
        today=today,
        options=spec.get("options"),
        content_type=spec.get("content_type"),
    )
    actual = [record.to_json() for record in records]
    expected = spec["records"]
    problems = []
    if len(actual) != len(expected):
        titles = [record["title"] for record in actual]
        problems.append(f"  expected {len(expected)} records, got {len(actual)}: {titles}")
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        found = _differences(want, got)
        if found:
            problems.append(f" record {index} ({got.get('title')!r}):")
            problems.extend(found)
    assert not problems, f"{case.stem} differs from its golden file:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "case", [c for c in _params() if "follow" in json.loads(c.values[0].read_text("utf-8"))]
)
def test_page_queues_the_pages_its_golden_file_lists(case: Path):
    spec, text = _load(case)
    page = page_from_text(text, spec["url"], spec.get("content_type"))
    result = parse_page(page, adapter=spec.get("adapter"), options=spec.get("options"))
    assert result.follow == spec["follow"]
