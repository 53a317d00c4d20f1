"""The typed records that flow through the pipeline.

fetch -> adapter.parse(page) -> ParseResult(records=[RawRecord], follow=[url])
      -> normalize.normalize(raw) -> PositionRecord -> positions.services (store)

Adapters are pure: they only see a Page (text already decoded by scrapers.fetch) and return raw
records; every string becomes a date, an amount or a country only in scrapers/normalize/.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DeadlineKind = Literal["fixed", "rolling", "unknown"]
Funding = Literal["full", "partial", "self", "unknown"]
EligibilityValue = Literal["home", "eu", "international"]
Contract = Literal["stipend", "employment", "unknown"]
Period = Literal["year", "month"]
Fees = Literal["home", "international", "not_covered", "not_stated"]
Schedule = Literal["full_time", "part_time", "either"]
Programme = Literal["programme", "project"]
ResearcherLevel = Literal["r1", "r2", "r3", "r4"]


@dataclass(frozen=True)
class Page:
    """A fetched page, decoded. `content_type` is the media type without parameters."""

    url: str
    text: str
    content_type: str = "text/html"
    status: int = 200


@dataclass
class RawRecord:
    """What an adapter saw of one advert, before any interpretation.

    `fields` holds labelled values as the page labels them ("Deadline" -> "January 9,
    2026"); `text` is the advert's plain text (the normaliser reads sentences from it);
    `html` is the advert's own HTML fragment for the description; `description_text` is its
    plain text when that differs from `text` (an aggregator's summary block, kept in `text`
    for the facts, left out), empty otherwise; `meta` holds structured data (front matter,
    JSON-LD properties, feed entry fields) verbatim.
    """

    url: str
    title: str = ""
    text: str = ""
    html: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)  # (anchor text, absolute href)
    source_item_id: str = ""
    adapter: str = ""
    description_text: str = ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(json.dumps(asdict(self), default=str))
        return data


@dataclass
class Link:
    """A link a results page leads to: an advert (`rel` "advert") or the next results page
    ("next"). `kept` says whether the crawl follows it and `reason` why (or why not)."""

    url: str
    rel: Literal["advert", "next"]
    title: str = ""
    kept: bool = True
    reason: str = ""
    # What the results page's entry says of the advert ("Deadline": "1 March 2031"), by label.
    facts: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"url": self.url, "rel": self.rel, "title": self.title}
        if self.rel == "advert":
            data["kept"] = self.kept
            data["reason"] = self.reason
        return data


@dataclass
class ParseResult:
    records: list[RawRecord] = field(default_factory=list)
    # Pages to fetch next with the same adapter: detail pages, the next results page.
    follow: list[str] = field(default_factory=list)
    # What a results page links to, each with its rel and decision (its kept links and its
    # next page are `follow`). Empty for pages that are not results pages.
    links: list[Link] = field(default_factory=list)


@dataclass
class Evidence:
    snippet: str
    rule: str
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {"snippet": self.snippet, "rule": self.rule, "confidence": self.confidence}


@dataclass
class Stipend:
    amount: float | None
    currency: str | None
    period: Period | None
    amount_max: float | None = None
    pay_scale: str | None = None
    fte_percent: int | None = None
    text: str = ""
    # The amount in euros a year at the ECB reference rate of rate_date (normalize/currency).
    yearly_eur: int | None = None
    rate_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "amount": self.amount,
            "currency": self.currency,
            "period": self.period,
        }
        if self.amount_max is not None:
            data["amount_max"] = self.amount_max
        if self.pay_scale:
            data["pay_scale"] = self.pay_scale
        if self.fte_percent is not None:
            data["fte_percent"] = self.fte_percent
        if self.yearly_eur is not None:
            data["yearly_eur"] = self.yearly_eur
            data["rate_date"] = self.rate_date
        return data


@dataclass
class PositionRecord:
    """A normalised advert: the shape `manage.py extract` prints and the store consumes."""

    url: str
    title: str = ""
    institution: str | None = None
    department: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    city: str | None = None
    region: str | None = None  # ISO 3166-2 first-level subdivision ("DE-BY")
    deadline: str | None = None  # YYYY-MM-DD
    deadline_time: str | None = None  # HH:MM
    deadline_timezone: str | None = None
    deadline_kind: DeadlineKind = "unknown"
    start_date: str | None = None  # YYYY-MM-DD (first of the month when only a month)
    start_text: str | None = None
    duration_months: int | None = None
    funding: Funding = "unknown"
    contract: Contract = "unknown"
    # Who the funding is for ("Funded for me"): empty unless the position is funded.
    eligibility: list[EligibilityValue] = field(default_factory=list)
    # Who may apply, funded or not ("applicants from any country are welcome").
    open_to: list[EligibilityValue] = field(default_factory=list)
    stipend: Stipend | None = None
    fees_covered: Fees = "not_stated"
    teaching_duty: bool | None = None
    schedule: Schedule | None = None
    programme: Programme | None = None
    researcher_level: ResearcherLevel | None = None
    supervisors: list[str] = field(default_factory=list)
    contact_emails: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # taxonomy paths "Mathematics > Probability"
    tags: list[str] = field(default_factory=list)  # the source's own keywords
    degree: str | None = "PhD"
    apply_url: str | None = None
    description_html: str = ""
    description_text: str = ""
    source_item_id: str = ""
    evidence: dict[str, Evidence] = field(default_factory=dict)
    contradictions: list[dict[str, str]] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        if not self.evidence:
            return 0.0
        return min(item.confidence for item in self.evidence.values())

    def to_json(self, *, with_description: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "institution": self.institution,
            "country": self.country,
            "city": self.city,
            "deadline": self.deadline,
            "deadline_kind": self.deadline_kind,
            "start_date": self.start_date,
            "duration_months": self.duration_months,
            "funding": self.funding,
            "eligibility": list(self.eligibility),
            "open_to": list(self.open_to),
            "stipend": self.stipend.to_json() if self.stipend else None,
            "supervisors": list(self.supervisors),
            "contact_emails": list(self.contact_emails),
            "topics": list(self.topics),
            "degree": self.degree,
            "apply_url": self.apply_url,
            "url": self.url,
            "department": self.department,
            "deadline_time": self.deadline_time,
            "deadline_timezone": self.deadline_timezone,
            "start_text": self.start_text,
            "contract": self.contract,
            "fees_covered": self.fees_covered,
            "teaching_duty": self.teaching_duty,
            "tags": list(self.tags),
            "region": self.region,
            "schedule": self.schedule,
            "programme": self.programme,
            "researcher_level": self.researcher_level,
            "contradictions": list(self.contradictions),
            "evidence": {name: item.to_json() for name, item in self.evidence.items()},
        }
        if with_description:
            data["description_html"] = self.description_html
            data["description_text"] = self.description_text
        return data

    def content_hash(self) -> str:
        """A stable hash of the extracted content: equal hashes mean nothing to write."""
        payload = json.dumps(self.to_json(with_description=True), sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()
