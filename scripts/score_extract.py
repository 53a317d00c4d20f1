#!/usr/bin/env python
"""Score `manage.py extract` against a folder of labelled adverts, field by field.

    .venv/bin/python scripts/score_extract.py [DIR] [--verbose] [--json]

DIR (default ../shared/adverts next to the repository) holds NNN.json files with `labels`,
`acceptable_alternatives` and `raw_file` (NNN.md or NNN.html). Each raw file goes through
scrapers.extract.extract_records - the same code path as `manage.py extract FILE` - and the
record is compared with the labels. A fact counts when its label is not null; it is right
when the extracted value equals the label or one of its acceptable alternatives.

How labels map onto the record (documented in docs/normaliser.md too):
- funding_status fully_funded/partially_funded/self_funded/unknown -> funding full/partial/self/unknown
- country_code -> country; duration_years * 12 -> duration_months
- deadline_kind: "soft" (full consideration by a date) -> fixed, the date is the deadline;
  "month_only" ("the deadline is in January") -> fixed or unknown
- eligibility: uk*/home* -> home, eu* -> eu, international* -> international; compared as sets
- start_date "YYYY" or "YYYY-MM" is compared at that precision
- stipend: amount (within 1 %), currency and period are three facts; pay_scale and
  fte_percent count when labelled
- supervisors: compared as sets of names (accents, titles and case ignored); an empty list
  is a labelled fact ("no supervisor named")
- contact_email: the record's first contact e-mail; application_url -> apply_url (scheme,
  "www." and a trailing slash ignored)
- title: case, punctuation and the boilerplate prefix the normaliser removes by design
  ("PhD Position: X" matches X) are ignored; a fuzzy ratio of 92 counts as equal
- institution: compared after the alias table's canonicalisation ("DTU" = "Technical
  University of Denmark (DTU)"); city: accents and case ignored
- topics: lenient - right when any labelled topic overlaps any extracted topic path part or
  source tag (substring either way); the labels are free keywords, the record a taxonomy
- a page with several adverts is scored on the record whose title is closest to the label
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from scrapers.normalize.places import canonical_institution  # noqa: E402
from scrapers.normalize.text import fold  # noqa: E402
from scrapers.normalize.titles import clean_title  # noqa: E402
from scrapers.records import PositionRecord  # noqa: E402

FIELDS = (
    "title",
    "institution",
    "country",
    "city",
    "deadline",
    "deadline_kind",
    "start_date",
    "duration",
    "funding",
    "eligibility",
    "stipend.amount",
    "stipend.currency",
    "stipend.period",
    "stipend.pay_scale",
    "stipend.fte_percent",
    "supervisors",
    "contact_email",
    "topics",
    "degree",
    "apply_url",
)
FUNDING = {
    "fully_funded": "full",
    "partially_funded": "partial",
    "self_funded": "self",
    "unknown": "unknown",
}


@dataclass
class Score:
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def overall(self) -> float:
        total = sum(self.total.values())
        return 100.0 * sum(self.right.values()) / total if total else 0.0


def _text(value: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(value))).strip()


def _title_equal(label: Any, got: Any) -> bool:
    """Equal after case, punctuation and the boilerplate the normaliser removes by design
    ("PhD Position: X" is labelled either way; the issue asks for X)."""
    if not got:
        return False
    b = _text(got)
    for candidate in (str(label), clean_title(str(label))):
        a = _text(candidate)
        if a == b or fuzz.ratio(a, b) >= 92:
            return True
    return False


def _institution_key(name: Any) -> str:
    return _text(canonical_institution(str(name)))


def _name_key(name: str) -> str:
    name = re.sub(r"^(?:(?:prof(?:essor)?|dr|doctor)\.?\s+)+", "", str(name).strip(), flags=re.I)
    return _text(name)


def _url_key(url: Any) -> str:
    text = str(url).strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def _eligibility_set(values: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for value in values:
        value = value.lower()
        if value.startswith(("uk", "home", "domestic", "us_")):
            out.add("home")
        elif value.startswith("eu"):
            out.add("eu")
        elif value.startswith("international") or value == "worldwide":
            out.add("international")
    return out


def _topic_overlap(labels: list[str], record: PositionRecord) -> bool:
    ours: list[str] = []
    for path in record.topics:
        ours.extend(part.strip() for part in path.split(">"))
    ours.extend(record.tags)
    ours_text = [_text(o) for o in ours if o]
    for label in labels:
        text = _text(label)
        if any(text and o and (text in o or o in text) for o in ours_text):
            return True
    return False


def _start_equal(label: Any, got: str | None) -> bool:
    if label is None:
        return got is None
    if not got:
        return False
    label = str(label)
    return bool(got[: len(label)] == label)


def _got(field_name: str, record: PositionRecord) -> Any:
    stipend = record.stipend
    return {
        "title": record.title,
        "institution": record.institution,
        "country": record.country,
        "city": record.city,
        "deadline": record.deadline,
        "deadline_kind": record.deadline_kind,
        "start_date": record.start_date,
        "duration": record.duration_months,
        "funding": record.funding,
        "eligibility": sorted(record.eligibility),
        "stipend.amount": stipend.amount if stipend else None,
        "stipend.currency": stipend.currency if stipend else None,
        "stipend.period": stipend.period if stipend else None,
        "stipend.pay_scale": stipend.pay_scale if stipend else None,
        "stipend.fte_percent": stipend.fte_percent if stipend else None,
        "supervisors": list(record.supervisors),
        "contact_email": record.contact_emails[0] if record.contact_emails else None,
        "topics": list(record.topics) + [f"#{tag}" for tag in record.tags],
        "degree": record.degree,
        "apply_url": record.apply_url,
    }[field_name]


def _expected(labels: dict[str, Any], alternatives: dict[str, Any]) -> dict[str, list[Any]]:
    """Each scored fact as [label, *alternatives], in the record's terms."""

    def options(*keys: str, convert: Callable[[Any], Any] = lambda v: v) -> list[Any]:
        values: list[Any] = []
        for key in keys:
            if key in labels:
                values.append(convert(labels[key]) if labels[key] is not None else None)
                values.extend(
                    convert(v) if v is not None else None for v in alternatives.get(key, [])
                )
                break
        return values

    stipend = labels.get("stipend") or {}
    facts: dict[str, list[Any]] = {
        "title": options("title"),
        "institution": options("institution"),
        "country": options("country_code"),
        "city": options("city"),
        "deadline": options("deadline"),
        "deadline_kind": options("deadline_kind"),
        "start_date": options("start_date"),
        "duration": options("duration_years", convert=lambda v: round(float(v) * 12)),
        "funding": options("funding_status", convert=lambda v: FUNDING.get(v, v)),
        "eligibility": options("eligibility", convert=lambda v: sorted(_eligibility_set(v))),
        "supervisors": options("supervisors"),
        "contact_email": options("contact_email"),
        "topics": options("topics"),
        "degree": options("degree_level"),
        "apply_url": options("application_url"),
    }
    if isinstance(stipend, dict) and stipend:
        for part in ("amount", "currency", "period", "pay_scale", "fte_percent"):
            if stipend.get(part) is not None:
                facts[f"stipend.{part}"] = [stipend[part]]
    return facts


def _right(field_name: str, option: Any, record: PositionRecord) -> bool:
    got = _got(field_name, record)
    if field_name == "title":
        return option is not None and _title_equal(option, got)
    if field_name == "institution":
        return (
            option is not None
            and got is not None
            and _institution_key(option) == _institution_key(got)
        )
    if field_name == "city":
        return option is not None and got is not None and _text(option) == _text(got)
    if field_name == "deadline_kind":
        accepted = {"soft": {"fixed"}, "month_only": {"fixed", "unknown"}}.get(option, {option})
        return got in accepted
    if field_name == "start_date":
        return _start_equal(option, got)
    if field_name == "eligibility":
        return bool(sorted(option or []) == got)
    if field_name == "stipend.amount":
        return got is not None and abs(float(got) - float(option)) <= 0.01 * float(option)
    if field_name == "stipend.pay_scale":
        return got is not None and _text(got).replace(" ", "") == _text(option).replace(" ", "")
    if field_name == "supervisors":
        return {_name_key(n) for n in option or []} == {_name_key(n) for n in got}
    if field_name == "contact_email":
        return got is not None and option is not None and got.lower() == str(option).lower()
    if field_name == "topics":
        return _topic_overlap(list(option or []), record)
    if field_name == "apply_url":
        return got is not None and option is not None and _url_key(got) == _url_key(option)
    return bool(got == option)


def _pick_record(records: list[PositionRecord], title: Any) -> PositionRecord | None:
    if not records:
        return None
    if len(records) == 1 or not title:
        return records[0]
    return max(records, key=lambda r: fuzz.token_set_ratio(_text(title), _text(r.title)))


def score_folder(
    folder: Path, *, extract: Callable[[str, str], list[PositionRecord]] | None = None
) -> Score:
    if extract is None:
        from scrapers.extract import extract_records

        def extract(text: str, url: str) -> list[PositionRecord]:
            return extract_records(text, url)

    score = Score()
    for label_file in sorted(folder.glob("*.json")):
        try:
            data = json.loads(label_file.read_text(encoding="utf-8"))
        except ValueError as error:
            score.errors.append((label_file.name, f"unreadable labels: {error}"))
            continue
        if not isinstance(data, dict) or "labels" not in data:
            continue
        raw_name = data.get("raw_file") or next(
            (p.name for p in folder.glob(label_file.stem + ".*") if p.suffix != ".json"), None
        )
        if not raw_name or not (folder / raw_name).exists():
            score.errors.append((label_file.name, "no raw file"))
            continue
        raw_path = folder / raw_name
        text = raw_path.read_text(encoding="utf-8", errors="replace")
        labels: dict[str, Any] = data["labels"]
        alternatives: dict[str, Any] = data.get("acceptable_alternatives") or {}
        try:
            records = extract(text, raw_path.resolve().as_uri())
        except Exception as error:
            score.errors.append((label_file.stem, f"{type(error).__name__}: {error}"))
            records = []
        record = _pick_record(records, labels.get("title")) or PositionRecord(url=raw_path.as_uri())
        for fact, options in _expected(labels, alternatives).items():
            if not options or options[0] is None or (fact == "topics" and not options[0]):
                continue
            score.total[fact] += 1
            if any(_right(fact, option, record) for option in options):
                score.right[fact] += 1
            else:
                score.misses.append((label_file.stem, fact, options[0], _got(fact, record)))
    return score


def default_folder() -> Path:
    """../shared/adverts beside the repository (a git worktree may sit one level deeper)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "adverts").is_dir():
            return base / "shared" / "adverts"
    return ROOT.parent / "shared" / "adverts"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("folder", nargs="?", default=str(default_folder()))
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss per advert")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        parser.error(f"not a folder: {folder}")
    score = score_folder(folder)
    if args.json:
        print(
            json.dumps(
                {
                    "overall_percent": round(score.overall, 1),
                    "right": sum(score.right.values()),
                    "total": sum(score.total.values()),
                    "fields": {
                        f: {"right": score.right[f], "total": score.total[f]}
                        for f in FIELDS
                        if score.total[f]
                    },
                    "errors": score.errors,
                },
                indent=2,
            )
        )
        return 0
    print(f"{'field':<22}{'right':>7}{'total':>7}{'%':>8}")
    for fact in FIELDS:
        if score.total[fact]:
            percent = 100.0 * score.right[fact] / score.total[fact]
            print(f"{fact:<22}{score.right[fact]:>7}{score.total[fact]:>7}{percent:>7.1f}%")
    right, total = sum(score.right.values()), sum(score.total.values())
    print(f"{'overall':<22}{right:>7}{total:>7}{score.overall:>7.1f}%")
    for name, error in score.errors:
        print(f"error {name}: {error}")
    if args.verbose:
        print()
        for advert, fact, expected, got in score.misses:
            print(f"{advert} {fact}: expected {expected!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
