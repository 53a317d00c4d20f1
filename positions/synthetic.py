"""Synthetic PhD adverts for benchmarks: vocabulary, skewed distributions and a row generator.

Pure Python, no ORM: `manage.py generate_positions` turns the rows into COPY input and the
benchmark suite (bench/run.py) reads the same word lists to build its query mix. Everything is
drawn from one `random.Random(seed)`, so a seed always yields the same database.

The distributions are skewed on purpose (Zipf-like): a handful of countries, institutions and
topics hold most positions, as on real boards, so facet counts and term frequencies span
several orders of magnitude, from "research" (every advert) to a rare method name.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from positions.synthetic_words import (
    ACTIVITIES,
    ADJECTIVES,
    APPLY_SENTENCES,
    COUNTRIES,
    DEADLINE_FIXED,
    DEADLINE_ROLLING,
    DEPARTMENTS,
    ELIGIBILITY_SENTENCES,
    EU,
    FALLBACK_TAXONOMY,
    FIELD_WEIGHTS,
    FIRST_NAMES,
    FOUNDERS,
    INSTITUTION_PATTERNS,
    INTRO_SENTENCES,
    LAST_NAMES,
    OBJECTS,
    OFFER_FULL,
    OFFER_PARTIAL,
    OFFER_SELF,
    OFFER_UNKNOWN,
    PROJECT_SENTENCES,
    RARE_TERMS,
    REQUIREMENT_SENTENCES,
    SOURCE_WEIGHTS,
    TITLE_PATTERNS,
)

T = TypeVar("T")


class Zipf:
    """Draws an index in [0, n) with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, n: int, exponent: float = 1.0, weights: Sequence[float] | None = None):
        raw = list(weights) if weights is not None else [1 / (i + 1) ** exponent for i in range(n)]
        self.cumulative = list(itertools.accumulate(raw))
        self.total = self.cumulative[-1]

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_right(self.cumulative, rng.random() * self.total)


@dataclass(frozen=True)
class TopicChoice:
    id: int
    name: str
    field_name: str
    keywords: tuple[str, ...]
    parent_id: int | None = None


@dataclass(frozen=True)
class InstitutionChoice:
    id: int
    name: str
    country: str
    city: str
    domain: str


@dataclass
class SyntheticPosition:
    """One generated position with its listings (source index, url) and topic ids."""

    values: dict[str, Any]
    topic_ids: list[int]
    topic_text: str
    listings: list[tuple[int, str]] = field(default_factory=list)
    facet_topic_ids: list[int] = field(default_factory=list)


@dataclass
class _Draft:
    """The facts of one position as `PositionGenerator.make` draws them, step by step."""

    institution: InstitutionChoice
    field_name: str
    topics: list[TopicChoice]
    kw: str
    kw2: str
    supervisors: list[str]
    email: str
    department: str
    deadline: dt.date | None = None
    deadline_kind: str = "unknown"
    status: str = "open"
    first_seen: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    closed_at: dt.datetime | None = None
    moderation: str = "published"
    start_date: dt.date | None = None
    duration: int | None = None
    funding: str = "unknown"
    contract: str = "unknown"
    eligibility: list[str] = field(default_factory=list)
    open_to: list[str] = field(default_factory=list)
    currency: str = ""
    stipend_low: int = 0
    stipend_amount: float | None = None
    stipend_currency: str = ""
    stipend_period: str = ""
    stipend_text: str = ""
    fees: str = "not_stated"


def country_profile(code: str) -> tuple[str, tuple[int, int], str, list[str]]:
    for iso, _weight, currency, stipend, contract, cities in COUNTRIES:
        if iso == code:
            return currency, stipend, contract, cities
    return "EUR", (20000, 30000), "stipend", ["Capital"]


def synthetic_institutions(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """(name, country, city, domain) tuples, unique by name, countries Zipf-skewed."""
    country_zipf = Zipf(len(COUNTRIES), weights=[c[1] for c in COUNTRIES])
    fields = list(FALLBACK_TAXONOMY)
    seen: set[str] = set()
    out: list[tuple[str, str, str, str]] = []
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        # Every country gets at least one institution; the rest follow the countries' weights.
        index = len(out) if len(out) < len(COUNTRIES) else country_zipf.draw(rng)
        iso, _w, _cur, _st, _ct, cities = COUNTRIES[index]
        city = rng.choice(cities)
        name = rng.choice(INSTITUTION_PATTERNS).format(
            city=city, founder=rng.choice(FOUNDERS), field_name=rng.choice(fields)
        )
        if name in seen:
            continue
        seen.add(name)
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:40]
        out.append((name, iso, city, f"{slug}.example.org"))
    return out


class PositionGenerator:
    """Deterministic generator of synthetic positions over given institutions and topics."""

    def __init__(
        self,
        *,
        seed: int,
        institutions: Sequence[InstitutionChoice],
        topics: Sequence[TopicChoice],
        source_count: int,
        today: dt.date,
        current_share: float = 0.6,
        archive_days: int = 365,
    ):
        self.rng = random.Random(seed)
        self.today = today
        self.current_share = current_share
        self.archive_days = max(1, archive_days)
        self.now = dt.datetime.combine(today, dt.time(0), tzinfo=dt.UTC)
        # Countries first (their own weights), then an institution within the country
        # (Zipf, in a seeded order so the skew does not follow primary keys).
        by_country: dict[str, list[InstitutionChoice]] = {}
        for institution in institutions:
            by_country.setdefault(institution.country, []).append(institution)
        weights = {iso: weight for iso, weight, *_rest in COUNTRIES}
        self.countries = sorted(by_country, key=lambda iso: -weights.get(iso, 0.1))
        self.country_zipf = Zipf(
            len(self.countries), weights=[weights.get(iso, 0.1) for iso in self.countries]
        )
        shuffler = random.Random(seed + 1)
        self.country_institutions = []
        for iso in self.countries:
            members = sorted(by_country[iso], key=lambda item: item.id)
            shuffler.shuffle(members)
            self.country_institutions.append(members)
        self.institution_zipfs = [
            Zipf(len(members), exponent=0.8) for members in self.country_institutions
        ]
        self.topics = list(topics)
        by_field: dict[str, list[TopicChoice]] = {}
        for topic in self.topics:
            by_field.setdefault(topic.field_name, []).append(topic)
        self.fields = sorted(by_field, key=lambda name: -FIELD_WEIGHTS.get(name, 3))
        self.field_topics = [by_field[name] for name in self.fields]
        self.field_zipf = Zipf(
            len(self.fields), weights=[FIELD_WEIGHTS.get(n, 3) for n in self.fields]
        )
        self.topic_zipfs = [Zipf(len(items), exponent=0.8) for items in self.field_topics]
        self.rare_zipf = Zipf(len(RARE_TERMS), exponent=1.1)
        self.source_zipf = Zipf(source_count, weights=SOURCE_WEIGHTS[:source_count] or None)
        self.source_count = source_count
        self.names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]

    # A few helpers that keep the templates short.
    def _pick(self, items: Sequence[T]) -> T:
        return items[int(self.rng.random() * len(items))]

    def _keyword(self, topic: TopicChoice) -> str:
        if topic.keywords:
            return self._pick(topic.keywords)
        return topic.name.lower()

    def make(self, position_id: int) -> SyntheticPosition:
        """One position, drawn in a fixed order from the generator's seeded random stream."""
        draft = self._draw_subject()
        self._draw_dates(draft)
        self._draw_terms(draft)
        title, paragraphs = self._write_advert(draft, position_id)
        url = f"https://{draft.institution.domain}/vacancies/{position_id}"
        values = self._values(draft, position_id, title, paragraphs, url)
        topics = draft.topics
        topic_text = " ".join(f"{t.field_name} {t.name} {' '.join(t.keywords[:3])}" for t in topics)
        position = SyntheticPosition(
            values=values,
            topic_ids=[t.id for t in topics],
            topic_text=topic_text,
            # What the link triggers keep in positions_position.topic_ids (migration 0008).
            facet_topic_ids=sorted(
                {t.id for t in topics} | {t.parent_id for t in topics if t.parent_id}
            ),
        )
        self._add_listings(position, url)
        return position

    def _draw_subject(self) -> _Draft:
        """Where and what: institution, topics, keywords, supervisors, department."""
        rng = self.rng
        country_index = self.country_zipf.draw(rng)
        members = self.country_institutions[country_index]
        institution = members[self.institution_zipfs[country_index].draw(rng)]
        field_index = self.field_zipf.draw(rng)
        field_name = self.fields[field_index]
        leaves = self.field_topics[field_index]
        zipf = self.topic_zipfs[field_index]
        topic_list = [leaves[zipf.draw(rng)]]
        if rng.random() < 0.45:
            topic_list.append(leaves[zipf.draw(rng)])
        if rng.random() < 0.12:
            other = self.field_topics[self.field_zipf.draw(rng)]
            topic_list.append(other[int(rng.random() * len(other))])
        topics = list({t.id: t for t in topic_list}.values())
        main = topics[0]
        second = topics[-1]
        kw, kw2 = self._keyword(main), self._keyword(second)
        if kw2 == kw:
            kw2 = self._keyword(main)
        supervisor_count = 0 if rng.random() < 0.3 else (1 if rng.random() < 0.8 else 2)
        supervisors = [self._pick(self.names) for _ in range(supervisor_count)]
        email_user = (
            supervisors[0].split()[-1].lower().replace("'", "") if supervisors else "phd-office"
        )
        department = self._pick(DEPARTMENTS).format(field_name=field_name, leaf=main.name)
        return _Draft(
            institution=institution,
            field_name=field_name,
            topics=topics,
            kw=kw,
            kw2=kw2,
            supervisors=supervisors,
            email=f"{email_user}@{institution.domain}",
            department=department,
        )

    def _draw_dates(self, draft: _Draft) -> None:
        """Deadline, status, first seen, closed, moderation, start and duration.

        Deadline: fixed dates spread from a year ago to a year ahead, some rolling/unknown.
        Current adverts (future deadline, rolling or unknown) or the archive (closed, their
        deadline up to archive_days ago). The housekeeping task closes positions whose
        deadline passed, so an open position never has a past deadline here.
        """
        rng = self.rng
        deadline: dt.date | None
        roll = rng.random()
        if rng.random() < self.current_share:
            if roll < 0.70:
                deadline_kind = "fixed"
                deadline = self.today + dt.timedelta(days=int(rng.triangular(0, 365, 30)))
            elif roll < 0.85:
                deadline_kind, deadline = "rolling", None
            else:
                deadline_kind, deadline = "unknown", None
            status = "closed" if rng.random() < 0.08 else "open"  # filled early
        else:
            if roll < 0.8:
                deadline_kind = "fixed"
                deadline = self.today - dt.timedelta(days=rng.randint(1, self.archive_days))
            else:
                deadline_kind, deadline = ("rolling" if roll < 0.9 else "unknown"), None
            status = "closed"
        first_seen_days = (
            (self.today - deadline).days + int(rng.uniform(20, 120))
            if deadline
            else int(rng.uniform(0, 400 if status == "open" else self.archive_days))
        )
        first_seen_days = max(0, first_seen_days)
        draft.first_seen = dt.datetime.combine(
            self.today - dt.timedelta(days=first_seen_days),
            dt.time(rng.randrange(24), rng.randrange(60)),
            tzinfo=dt.UTC,
        )
        draft.closed_at = (
            dt.datetime.combine(deadline or self.today, dt.time(1), tzinfo=dt.UTC)
            if status == "closed"
            else None
        )
        moderation_roll = rng.random()
        draft.moderation = (
            "published"
            if moderation_roll < 0.965
            else ("pending" if moderation_roll < 0.99 else "hidden")
        )
        draft.deadline, draft.deadline_kind, draft.status = deadline, deadline_kind, status
        if rng.random() < 0.65:
            base = deadline or self.today
            month = base.month + rng.randint(2, 7)
            draft.start_date = dt.date(base.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        draft.duration = self._pick([36, 36, 36, 48, 48, 42, 60]) if rng.random() < 0.6 else None

    def _draw_terms(self, draft: _Draft) -> None:
        """Funding, contract, eligibility, stipend and fees, by the institution's country."""
        rng = self.rng
        country = draft.institution.country
        currency, (stipend_low, _stipend_high), contract_bias, _cities = country_profile(country)
        funding_roll = rng.random()
        funding = (
            "full"
            if funding_roll < 0.55
            else "partial"
            if funding_roll < 0.64
            else "self"
            if funding_roll < 0.69
            else "unknown"
        )
        contract_roll = rng.random()
        if funding in {"self", "unknown"} and contract_roll < 0.5:
            contract = "unknown"
        elif contract_roll < 0.75:
            contract = contract_bias
        else:
            contract = "employment" if contract_bias == "stipend" else "stipend"
        eligibility_roll = rng.random()
        if eligibility_roll < 0.4:
            eligibility: list[str] = []
        elif eligibility_roll < 0.55:
            eligibility = ["home"]
        elif eligibility_roll < 0.72:
            eligibility = ["home", "eu"] if country in EU or country == "GB" else ["home"]
        else:
            eligibility = (
                ["home", "eu", "international"] if country in EU else ["home", "international"]
            )
        # Who may apply; only a funded position is funded for anyone (issue 22).
        draft.open_to = eligibility
        if funding not in {"full", "partial"}:
            eligibility = []
        draft.funding, draft.contract, draft.eligibility = funding, contract, eligibility
        draft.currency, draft.stipend_low = currency, stipend_low
        self._draw_stipend(draft, country)
        if funding == "full":
            draft.fees = "international" if "international" in eligibility else "home"

    def _draw_stipend(self, draft: _Draft, country: str) -> None:
        rng = self.rng
        currency, (stipend_low, stipend_high), _bias, _cities = country_profile(country)
        if draft.funding in {"full", "partial"} and rng.random() < 0.7:
            yearly = round(rng.uniform(stipend_low, stipend_high), -2)
            if draft.contract == "employment" and rng.random() < 0.5:
                draft.stipend_amount, draft.stipend_period = round(yearly / 12, -1), "month"
            else:
                draft.stipend_amount, draft.stipend_period = yearly, "year"
            draft.stipend_currency = currency
            draft.stipend_text = (
                f"{currency} {draft.stipend_amount:,.0f} per {draft.stipend_period}"
            )

    def _write_advert(self, draft: _Draft, position_id: int) -> tuple[str, list[str]]:
        """The title and the paragraphs of the advert, from the drawn facts."""
        rng = self.rng
        start_date = draft.start_date
        fills = {
            "department": draft.department,
            "institution": draft.institution.name,
            "city": draft.institution.city,
            "field_name": draft.field_name,
            "leaf": draft.topics[0].name,
            "kw": draft.kw,
            "kw2": draft.kw2,
            "supervisor": draft.supervisors[0]
            if draft.supervisors
            else "the principal investigator",
            "email": draft.email,
            "ref": f"PHD-{position_id % 100000:05d}",
            "start": start_date.strftime("%B %Y") if start_date else "the autumn",
            "stipend": draft.stipend_text or f"{draft.currency} {draft.stipend_low:,}",
            "years": (draft.duration or 36) // 12,
        }
        kw = draft.kw
        title = self._pick(TITLE_PATTERNS).format(
            Kw=kw[:1].upper() + kw[1:],
            Adj=self._pick(ADJECTIVES).capitalize(),
            Act=self._pick(ACTIVITIES).capitalize(),
            obj=self._pick(OBJECTS),
            **fills,
        )
        paragraphs = [
            self._sentences(INTRO_SENTENCES, 2, 3, fills),
            self._sentences(PROJECT_SENTENCES, 4, 9, fills),
        ]
        if rng.random() < 0.35:
            rare = RARE_TERMS[self.rare_zipf.draw(rng)]
            paragraphs[1] += f" A particular focus will be {rare}, in the context of {kw}."
        paragraphs.append(self._sentences(REQUIREMENT_SENTENCES, 2, 4, fills))
        offer = {"full": OFFER_FULL, "partial": OFFER_PARTIAL, "self": OFFER_SELF}.get(
            draft.funding, OFFER_UNKNOWN
        )
        offer_paragraph = self._pick(offer).format(**fills)
        for group in draft.eligibility[-1:]:
            offer_paragraph += " " + ELIGIBILITY_SENTENCES[group]
        paragraphs.append(offer_paragraph)
        closing = self._sentences(APPLY_SENTENCES, 1, 3, fills)
        if draft.deadline_kind == "fixed" and draft.deadline is not None:
            closing += " " + self._pick(DEADLINE_FIXED).format(
                deadline=draft.deadline.strftime("%-d %B %Y")
            )
        elif draft.deadline_kind == "rolling":
            closing += " " + self._pick(DEADLINE_ROLLING)
        paragraphs.append(closing)
        return title, paragraphs

    def _values(
        self, draft: _Draft, position_id: int, title: str, paragraphs: list[str], url: str
    ) -> dict[str, Any]:
        """The Position row (the last draws: teaching, contacts, apply link, scores)."""
        rng = self.rng
        institution, kw, kw2 = draft.institution, draft.kw, draft.kw2
        first_seen = draft.first_seen
        return {
            "id": position_id,
            "title": title[:500],
            "institution_id": institution.id,
            "institution_name": institution.name,
            "department": draft.department[:300],
            "country": institution.country,
            "city": institution.city,
            "deadline": draft.deadline,
            "deadline_kind": draft.deadline_kind,
            "start_date": draft.start_date,
            "duration_months": draft.duration,
            "funding": draft.funding,
            "contract": draft.contract,
            "eligibility": draft.eligibility,
            "open_to": draft.open_to,
            "stipend_amount": draft.stipend_amount,
            "stipend_currency": draft.stipend_currency,
            "stipend_period": draft.stipend_period,
            "stipend_text": draft.stipend_text,
            "fees_covered": draft.fees,
            "teaching_duty": None if rng.random() < 0.7 else rng.random() < 0.5,
            "supervisors": draft.supervisors,
            "contact_emails": [draft.email] if rng.random() < 0.8 else [],
            "tags": [kw, kw2] if kw != kw2 else [kw],
            "description_html": "".join(f"<p>{p}</p>" for p in paragraphs),
            "description_text": "\n\n".join(paragraphs),
            "url": url,
            "apply_url": url + "/apply" if rng.random() < 0.6 else "",
            "status": draft.status,
            "moderation": draft.moderation,
            "confidence": round(rng.uniform(0.55, 1.0), 2),
            "completeness": rng.randint(30, 100),
            "dedup_key": f"{institution.id}:{title[:60].lower()}",
            "first_seen": first_seen,
            "last_seen": min(first_seen + dt.timedelta(days=rng.randint(0, 60)), self.now),
            "last_verified": first_seen,
            "closed_at": draft.closed_at,
            "updated_at": first_seen,
        }

    def _add_listings(self, position: SyntheticPosition, url: str) -> None:
        """Most positions are listed once; some appear on two or three boards."""
        rng = self.rng
        listing_roll = rng.random()
        listing_count = 1 if listing_roll < 0.78 else (2 if listing_roll < 0.95 else 3)
        used: set[int] = set()
        for _ in range(min(listing_count, self.source_count)):
            source_index = self.source_zipf.draw(rng)
            while source_index in used:
                source_index = (source_index + 1) % self.source_count
            used.add(source_index)
            position.listings.append((source_index, f"{url}?via={source_index}"))

    def _sentences(self, pool: Sequence[str], low: int, high: int, fills: dict[str, Any]) -> str:
        rng = self.rng
        count = rng.randint(low, high)
        chosen = rng.sample(range(len(pool)), min(count, len(pool)))
        out = []
        for index in chosen:
            template = pool[index]
            # Draw only the words this template uses: the generator's hot loop.
            words = {name: self._pick(_WORD_POOLS[name]) for name in _placeholders(template)}
            out.append(template.format(**words, **fills))
        return " ".join(out)


# fmt: off
_WORD_POOLS: dict[str, Sequence[str]] = {
    "adj": ADJECTIVES, "adj2": ADJECTIVES, "act": ACTIVITIES, "act2": ACTIVITIES, "obj": OBJECTS,
}
# fmt: on


@functools.cache
def _placeholders(template: str) -> tuple[str, ...]:
    return tuple(
        name
        for _text, name, _spec, _conv in string.Formatter().parse(template)
        if name in _WORD_POOLS
    )
