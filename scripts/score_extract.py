#!/usr/bin/env python
"""Score `manage.py extract` against a folder of labelled adverts, field by field.

    .venv/bin/python scripts/score_extract.py [DIR ...] [--half even|odd] [--by GROUP]
                                              [--verbose] [--json]

Besides the per-field table it prints the same table per half (even/odd advert numbers: tune
on one, measure on the other), per page kind (repository post or web page, and its format),
per detected language and, with several folders, per folder; and it lists the facts invented
where the label says the advert says nothing (null institution, place, dates, duration or
stipend). Each DIR (default ../shared/adverts next to the repository) holds NNN.json files with `labels`,
`acceptable_alternatives` and `raw_file` (NNN.md or NNN.html). Each raw file goes through
scrapers.extract.extract_records - the same code path as `manage.py extract FILE` - and the
record is compared with the labels. A fact counts when its label is not null; it is right
when the extracted value equals the label or one of its acceptable alternatives.

How labels map onto the record (documented in docs/normaliser.md too):
- funding_status fully_funded/partially_funded/self_funded/unknown -> funding full/partial/self/unknown
- country_code -> country; duration_years * 12 -> duration_months
- deadline_kind: "soft" (full consideration by a date) -> fixed, the date is the deadline;
  "month_only" ("the deadline is in January") -> fixed or unknown
- eligibility: uk*/home*/domestic* -> home, eu* -> eu, international* -> international; compared
  as sets with the record's `open_to` (who may apply), both closed upwards (open to
  international applicants means open to home and EU ones too). The labels state who is eligible whatever the
  funding; the record's `eligibility` (funded for) equals `open_to` on a funded position and
  is empty on a self-funded or unknown-funding one (issue 22)
- start_date "YYYY" or "YYYY-MM" is compared at that precision
- stipend: amount (within 1 %), currency and period are three facts; pay_scale and
  fte_percent count when labelled; a pay scale is right when both sides name the same scale
  of data/pay_scales.csv (by its name or an alias) with the same grade where both give one
  (a label that is only a grade, "P", matches the record's grade); a part's alternatives are those listed under
  "stipend.<part>" and the parts of an alternative stipend (a null stipend: no value)
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

from scrapers.normalize.institution_table import canonical_institution  # noqa: E402
from scrapers.normalize.pay_scales import find_scale  # noqa: E402
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


@dataclass(frozen=True)
class Fact:
    """One labelled fact's outcome, with what the breakdowns group it by."""

    advert: str
    fact: str
    right: bool
    folder: str
    kind: str
    language: str
    half: str


@dataclass
class Score:
    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    # (advert, fact, value): a value extracted where the label says the advert says nothing.
    invented: list[tuple[str, str, Any]] = field(default_factory=list)
    adverts: int = 0

    @property
    def overall(self) -> float:
        total = sum(self.total.values())
        return 100.0 * sum(self.right.values()) / total if total else 0.0

    def add(self, other: Score) -> None:
        for name, count in other.right.items():
            self.right[name] += count
        for name, count in other.total.items():
            self.total[name] += count
        self.misses += other.misses
        self.errors += other.errors
        self.facts += other.facts
        self.invented += other.invented
        self.adverts += other.adverts

    def breakdown(self, by: str) -> dict[str, dict[str, tuple[int, int]]]:
        """group -> fact -> (right, total); the fact "overall" sums the group."""
        table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for fact in self.facts:
            group = str(getattr(fact, by))
            for name in (fact.fact, "overall"):
                table[group][name][0] += int(fact.right)
                table[group][name][1] += 1
        return {
            group: {name: (counts[0], counts[1]) for name, counts in facts.items()}
            for group, facts in sorted(table.items())
        }


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
    return _open_to_closure(out)


def _open_to_closure(groups: Iterable[str]) -> set[str]:
    """Who may apply, as a set closed upwards: an advert open to international applicants is
    open to home and EU ones too, so a reader's "international" (or "domestic, international")
    and the record's "home, eu, international" say the same; "home, eu" stays narrower."""
    out = set(groups)
    if "international" in out:
        out |= {"home", "eu"}
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
        "eligibility": sorted(_open_to_closure(record.open_to)),
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
                facts[f"stipend.{part}"] = [
                    stipend[part],
                    *_stipend_alternatives(alternatives, part),
                ]
    return facts


def _stipend_alternatives(alternatives: dict[str, Any], part: str) -> list[Any]:
    """A stipend part's acceptable alternatives: listed under "stipend.<part>", or the part of
    an alternative stipend ("stipend": [null] accepts no stipend, so no value for the part)."""
    values: list[Any] = list(alternatives.get(f"stipend.{part}") or [])
    for other in alternatives.get("stipend") or []:
        values.append(other.get(part) if isinstance(other, dict) else None if other is None else [])
    return [value for value in values if value != []]


def _right(field_name: str, option: Any, record: PositionRecord) -> bool:
    got = _got(field_name, record)
    if option is None and field_name.startswith("stipend."):
        # An alternative of null: the advert may be read as not stating this part.
        return got is None
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
        return got is not None and _pay_scale_equal(option, got)
    if field_name == "supervisors":
        return {_name_key(n) for n in option or []} == {_name_key(n) for n in got}
    if field_name == "contact_email":
        return got is not None and option is not None and got.lower() == str(option).lower()
    if field_name == "topics":
        return _topic_overlap(list(option or []), record)
    if field_name == "apply_url":
        return got is not None and option is not None and _url_key(got) == _url_key(option)
    return bool(got == option)


_GRADE = re.compile(r"^[A-Z]?\s?\d{1,2}[a-z]?(?:\s?[-\u2013]\s?\d{1,2})?$|^[A-Z]$")


def _scale_key(text: str) -> tuple[str | None, str | None]:
    """(scale, grade): the scale of data/pay_scales.csv the text names (by its name or any
    of its aliases), and the grade it gives - read by the scale's grade pattern ("job
    requirement levels 2-4") or written after the name ("YPJ (...) 2-4"). A text naming no
    scale of the table is a grade alone when it looks like one ("P", "E13")."""
    found = find_scale(text)
    if found is None:
        bare = text.strip()
        return None, _grade_key(bare) if _GRADE.match(bare) else None
    grade = found.label[len(found.scale.name) :].strip()
    if not grade:
        if found.scale.name in text:
            rest = text.replace(found.scale.name, " ")
        else:
            rest = text[: found.start] + " " + text[found.end :]
        rest = re.sub(r"^[\W_]+|[\W_]+$", "", rest)
        grade = rest if _GRADE.match(rest) else ""
    return found.scale.name, _grade_key(grade) if grade else None


def _grade_key(grade: str) -> str:
    return re.sub(r"\s", "", grade).replace("\u2013", "-").upper()


def _pay_scale_equal(label: Any, got: Any) -> bool:
    """The same scale, and the same grade when both sides give one; a label that is a grade
    alone ("P") matches the grade the record gives. A scale outside the table (Germany's
    TV-L, read by money.py) is compared as text."""
    if _text(got).replace(" ", "") == _text(label).replace(" ", ""):
        return True
    label_scale, label_grade = _scale_key(str(label))
    got_scale, got_grade = _scale_key(str(got))
    if label_scale is None:
        return label_grade is not None and label_grade == got_grade
    if label_scale != got_scale:
        return False
    return label_grade is None or got_grade is None or label_grade == got_grade


def _pick_record(records: list[PositionRecord], title: Any) -> PositionRecord | None:
    if not records:
        return None
    if len(records) == 1 or not title:
        return records[0]
    return max(records, key=lambda r: fuzz.token_set_ratio(_text(title), _text(r.title)))


# Facts whose null label means "the advert does not say": a value there is invented.
INVENTED_CHECKED = (
    "institution",
    "country",
    "city",
    "deadline",
    "start_date",
    "duration",
    "stipend.amount",
)


def _page_url(data: dict[str, Any], raw_path: Path) -> str:
    """The page's own address when the labels give one (the host is evidence the extractor
    reads in production); a file URI for pages taken from a repository."""
    source = str(data.get("source") or "")
    if re.match(r"https?://[^\s/]+", source):
        return source
    return raw_path.resolve().as_uri()


def _half(stem: str) -> str:
    digits = re.sub(r"\D", "", stem)
    if not digits:
        return "-"
    return "even" if int(digits) % 2 == 0 else "odd"


def _kind(data: dict[str, Any], raw_path: Path) -> str:
    """The page's kind: where it was published and as what (md post, html page, text excerpt)."""
    source = str(data.get("source") or "")
    origin = "repository" if source.startswith("github:") else "web"
    return f"{origin}/{data.get('format') or raw_path.suffix.lstrip('.')}"


def _invented(
    labels: dict[str, Any], alternatives: dict[str, Any], record: PositionRecord
) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    label_keys = {
        "institution": "institution",
        "country": "country_code",
        "city": "city",
        "deadline": "deadline",
        "start_date": "start_date",
        "duration": "duration_years",
        "stipend.amount": "stipend",
    }
    for fact in INVENTED_CHECKED:
        key = label_keys[fact]
        if key not in labels or labels[key] is not None:
            continue
        got = _got(fact, record)
        if got in (None, "", []):
            continue
        options = [v for v in alternatives.get(key, []) if v is not None]
        if fact == "duration":
            options = [round(float(v) * 12) for v in options]
        if fact == "stipend.amount" or not any(_right(fact, o, record) for o in options):
            if fact == "stipend.amount" and options:
                continue
            found.append((fact, got))
    return found


def score_folder(
    folder: Path,
    *,
    extract: Callable[[str, str], list[PositionRecord]] | None = None,
    half: str | None = None,
) -> Score:
    """Score every labelled advert in the folder (only the even or odd numbers with `half`)."""
    if extract is None:
        from scrapers.extract import extract_records

        def extract(text: str, url: str) -> list[PositionRecord]:
            return extract_records(text, url)

    from scrapers.normalize.language import detect_language

    score = Score()
    for label_file in sorted(folder.glob("*.json")):
        if half and _half(label_file.stem) != half:
            continue
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
            records = extract(text, _page_url(data, raw_path))
        except Exception as error:
            score.errors.append((label_file.stem, f"{type(error).__name__}: {error}"))
            records = []
        record = _pick_record(records, labels.get("title")) or PositionRecord(url=raw_path.as_uri())
        score.adverts += 1
        meta = {
            "folder": folder.name,
            "kind": _kind(data, raw_path),
            "language": detect_language(text),
            "half": _half(label_file.stem),
        }
        for fact, options in _expected(labels, alternatives).items():
            if not options or options[0] is None or (fact == "topics" and not options[0]):
                continue
            score.total[fact] += 1
            right = any(_right(fact, option, record) for option in options)
            score.facts.append(Fact(label_file.stem, fact, right, **meta))
            if right:
                score.right[fact] += 1
            else:
                score.misses.append((label_file.stem, fact, options[0], _got(fact, record)))
        for fact, got in _invented(labels, alternatives, record):
            score.invented.append((label_file.stem, fact, got))
    return score


def default_folder() -> Path:
    """../shared/adverts beside the repository (a git worktree may sit one level deeper)."""
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared" / "adverts").is_dir():
            return base / "shared" / "adverts"
    return ROOT.parent / "shared" / "adverts"


def _resolve(folder: str) -> Path:
    """A relative folder that does not exist from here is tried from the repository's parent
    folders too (../shared/adverts from a worktree one level deeper)."""
    path = Path(folder)
    if path.is_dir() or path.is_absolute():
        return path
    for base in (ROOT, ROOT.parent):
        candidate = (base / folder).resolve()
        if candidate.is_dir():
            return candidate
    return path


def _percent(right: int, total: int) -> str:
    return f"{100.0 * right / total:5.1f}%" if total else "    -"


def _print_matrix(title: str, table: dict[str, dict[str, tuple[int, int]]]) -> None:
    groups = list(table)
    width = max([8, *(len(g) + 1 for g in groups)])
    print(f"\n{title:<22}" + "".join(f"{g:>{width}}" for g in groups))
    for fact in (*FIELDS, "overall"):
        cells = [table[g].get(fact, (0, 0)) for g in groups]
        if not any(total for _, total in cells):
            continue
        print(f"{fact:<22}" + "".join(f"{_percent(r, t):>{width}}" for r, t in cells))
    print(f"{'(facts)':<22}" + "".join(f"{table[g]['overall'][1]:>{width}}" for g in groups))


def _as_json(score: Score) -> dict[str, Any]:
    return {
        "overall_percent": round(score.overall, 1),
        "right": sum(score.right.values()),
        "total": sum(score.total.values()),
        "adverts": score.adverts,
        "fields": {
            f: {"right": score.right[f], "total": score.total[f]} for f in FIELDS if score.total[f]
        },
        "by": {
            by: {
                group: {"right": facts["overall"][0], "total": facts["overall"][1]}
                for group, facts in score.breakdown(by).items()
            }
            for by in ("half", "folder", "kind", "language")
        },
        "invented": [list(item) for item in score.invented],
        "errors": score.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("folders", nargs="*", default=[str(default_folder())], metavar="DIR")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss per advert")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--half",
        choices=("even", "odd"),
        help="score only the adverts with even (or odd) numbers: tune on one, measure the other",
    )
    parser.add_argument(
        "--by",
        action="append",
        choices=("half", "folder", "kind", "language"),
        help="per-field tables by these groups (default: half, kind and language)",
    )
    args = parser.parse_args(argv)
    score = Score()
    for name in args.folders:
        folder = _resolve(name)
        if not folder.is_dir():
            parser.error(f"not a folder: {name}")
        score.add(score_folder(folder, half=args.half))
    if args.json:
        print(json.dumps(_as_json(score), indent=2))
        return 0
    print(f"{'field':<22}{'right':>7}{'total':>7}{'%':>8}")
    for fact in FIELDS:
        if score.total[fact]:
            percent = 100.0 * score.right[fact] / score.total[fact]
            print(f"{fact:<22}{score.right[fact]:>7}{score.total[fact]:>7}{percent:>7.1f}%")
    right, total = sum(score.right.values()), sum(score.total.values())
    print(f"{'overall':<22}{right:>7}{total:>7}{score.overall:>7.1f}%")
    print(
        f"invented facts: {len(score.invented)} in {score.adverts} adverts"
        f" ({20.0 * len(score.invented) / max(score.adverts, 1):.2f} per 20)"
    )
    groups = args.by or ["half", "kind", "language"]
    if len(args.folders) > 1 and not args.by:
        groups = ["folder", *groups]
    for by in groups:
        _print_matrix(f"by {by}", score.breakdown(by))
    for name, error in score.errors:
        print(f"error {name}: {error}")
    if score.invented:
        print()
        for advert, fact, got in score.invented:
            print(f"invented {advert} {fact}: {got!r}")
    if args.verbose:
        print()
        for advert, fact, expected, got in score.misses:
            print(f"{advert} {fact}: expected {expected!r}, got {got!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
