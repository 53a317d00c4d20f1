"""The one normaliser: raw records in, clean facts with their evidence out.

`normalize(raw)` reads an adapter's RawRecord - labelled fields, structured metadata (front
matter, JSON-LD), the title, the advert's text and its links - and fills a PositionRecord.
Every field it sets carries Evidence (the snippet it came from, the rule that fired, a
confidence); where the page says two different things the choice is recorded in
`contradictions`. Each concern lives in its own module of small pure functions: dates,
money, funding, eligibility, places, people, topics, titles.

`normalize` never raises: a field whose extractor fails is left unset, the failure is
logged with its traceback (a bug to fix, not a silence) and noted in the record's
contradictions as an extraction error, which sends it to review.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from scrapers.normalize import (
    apply,
    currency,
    dates,
    deadlines,
    durations,
    eligibility,
    fees,
    funding,
    money,
    people,
    places,
    posting,
    regions,
    starts,
    titles,
    topics,
)
from scrapers.normalize.text import (
    Doc,
    Found,
    advert_text,
    build_doc,
    complete_addresses,
    evidence,
)
from scrapers.records import EligibilityValue, Evidence, PositionRecord, RawRecord

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = ["normalize"]


def _safe(record: PositionRecord, name: str, function: Callable[[], T], default: T) -> T:
    try:
        return function()
    except Exception as error:
        log.exception("normaliser rule %s failed on %s", name, record.url)
        record.contradictions.append(
            {
                "field": name,
                "chosen": "",
                "other": "",
                "why": f"extraction error: {type(error).__name__}: {error}"[:300],
            }
        )
        record.evidence[f"{name}_error"] = Evidence(
            snippet="", rule="extraction_error", confidence=0.0
        )
        return default


def _set(
    record: PositionRecord, name: str, found: Found[Any] | None, attribute: str | None = None
) -> None:
    if found is None:
        return
    setattr(record, attribute or name, found.value)
    record.evidence[name] = found.evidence


def _build(raw: RawRecord) -> Doc:
    return build_doc(
        url=str(raw.url or ""),
        title=str(raw.title or ""),
        text=str(raw.text or ""),
        html_fragment=str(raw.html or ""),
        fields=raw.fields if isinstance(raw.fields, dict) else {},
        meta=raw.meta if isinstance(raw.meta, dict) else {},
        links=[
            link for link in (raw.links or []) if isinstance(link, tuple | list) and len(link) == 2
        ],
    )


def normalize(raw: RawRecord, *, today: date | None = None) -> PositionRecord:
    """A PositionRecord for one raw advert; never raises."""
    record = PositionRecord(url=str(getattr(raw, "url", "") or ""))
    # The date cache serves the rules of one advert; a fresh one per advert keeps memory flat.
    dates.clear_cache()
    topics.keyword_matches.cache_clear()
    try:
        doc = _build(raw)
    except Exception as error:
        log.exception("could not prepare the advert text of %s", record.url)
        record.contradictions.append(
            {"field": "text", "chosen": "", "other": "", "why": f"extraction error: {error}"[:300]}
        )
        return record
    record.source_item_id = str(getattr(raw, "source_item_id", "") or "")
    # An aggregator's summary block is read for the facts but not shown as the description.
    own_text = str(getattr(raw, "description_text", "") or "")
    record.description_text = (own_text.strip() and advert_text(own_text)) or doc.text
    record.description_html = str(getattr(raw, "html", "") or "")

    _read_people_and_places(record, doc)
    _read_dates(record, doc, today)
    _read_money(record, doc)
    _read_eligibility(record, doc)
    _read_supervisors_and_links(record, doc)
    _kind_of_post(record, doc)
    _read_topics_and_title(record, doc)
    return record


def _read_people_and_places(record: PositionRecord, doc: Doc) -> None:
    """E-mails first: their domains help to find the institution and the country."""
    emails = _safe(record, "contact_emails", lambda: people.extract_emails(doc), None)
    if emails is not None:
        emails = Found(complete_addresses(emails.value), emails.evidence)
    _set(record, "contact_emails", emails)
    email_list = emails.value if emails else []
    place = _safe(
        record, "institution", lambda: places.extract_places(doc, emails=email_list), None
    )
    if place is not None:
        _set(record, "institution", place.institution)
        _set(record, "department", place.department)
        _set(record, "city", place.city)
        _set(record, "country", place.country)
    _set(
        record,
        "region",
        _safe(record, "region", lambda: regions.find_region(record.city, record.country), None),
    )


def _read_dates(record: PositionRecord, doc: Doc, today: date | None) -> None:
    """Deadline, start and duration."""
    deadline = _safe(record, "deadline", lambda: deadlines.extract_deadline(doc, today=today), None)
    if deadline is not None:
        record.deadline = deadline.deadline
        record.deadline_time = deadline.time
        record.deadline_timezone = deadline.timezone
        record.deadline_kind = deadline.kind
        record.contradictions.extend(deadline.contradictions)
        if deadline.evidence is not None:
            record.evidence["deadline"] = deadline.evidence
            record.evidence["deadline_kind"] = deadline.evidence
    start = _safe(record, "start_date", lambda: starts.extract_start(doc, today=today), None)
    if start is not None and start.evidence is not None:
        record.start_date = start.start_date
        record.start_text = start.text
        record.evidence["start_date"] = start.evidence
    _set(
        record,
        "duration_months",
        _safe(record, "duration_months", lambda: durations.extract_duration(doc), None),
    )


def _read_money(record: PositionRecord, doc: Doc) -> None:
    """Stipend, contract, fees, teaching and the funding they imply."""
    country = record.country
    stipend = _safe(record, "stipend", lambda: money.extract_stipend(doc, country=country), None)
    if stipend is not None and fees.is_fee_sentence(stipend.evidence.snippet):
        stipend = None  # the amounts are fees the applicant pays, not pay
    _set(record, "stipend", stipend)
    _convert_stipend(record)
    contract = _safe(record, "contract", lambda: money.extract_contract(doc), None)
    _set(record, "contract", contract)
    if record.stipend is not None and record.stipend.pay_scale:
        record.contract = "employment"
    fees_found = _safe(record, "fees_covered", lambda: fees.extract_fees(doc), None)
    _set(record, "fees_covered", fees_found)
    _set(
        record,
        "teaching_duty",
        _safe(record, "teaching_duty", lambda: money.extract_teaching(doc), None),
    )
    funding_found = _safe(
        record,
        "funding",
        lambda: funding.extract_funding(doc, stipend=record.stipend, contract=record.contract),
        None,
    )
    _set(record, "funding", funding_found)


def _read_eligibility(record: PositionRecord, doc: Doc) -> None:
    """Who may apply, whom the funding is for, and what contradicts it."""
    no_eligibility: tuple[list[EligibilityValue], Evidence | None] = ([], None)
    eligible = _safe(
        record, "eligibility", lambda: eligibility.extract_eligibility(doc), no_eligibility
    )
    record.open_to = list(eligible[0])
    record.eligibility = eligibility.funded_for(record.funding, record.open_to)
    if eligible[1] is not None:
        record.evidence["open_to"] = eligible[1]
        if record.eligibility:
            record.evidence["eligibility"] = eligible[1]
    record.contradictions.extend(
        _safe(
            record,
            "eligibility_contradictions",
            lambda: eligibility.eligibility_contradictions(
                doc, record.eligibility, record.fees_covered
            ),
            [],
        )
    )


def _read_supervisors_and_links(record: PositionRecord, doc: Doc) -> None:
    """Supervisors (which fill e-mail templates) and the apply link."""
    _set(
        record,
        "supervisors",
        _safe(record, "supervisors", lambda: people.extract_supervisors(doc), None),
    )
    if any(people.is_email_template(e) for e in record.contact_emails):
        record.contact_emails = _safe(
            record,
            "contact_emails",
            lambda: people.resolve_email_templates(
                record.contact_emails, record.supervisors, doc.all_text
            ),
            record.contact_emails,
        )
    _set(
        record,
        "apply_url",
        _safe(record, "apply_url", lambda: apply.extract_apply_route(doc), None),
    )
    if not record.apply_url:
        how = _safe(record, "apply_how", lambda: apply.apply_instructions(doc), None)
        if how is not None:
            record.evidence["apply_how"] = how


def _read_topics_and_title(record: PositionRecord, doc: Doc) -> None:
    """Topics, tags, degree and the cleaned title."""
    no_topics: tuple[Found[list[str]] | None, list[str]] = (None, [])
    topic_found, tags = _safe(record, "topics", lambda: topics.extract_topics(doc), no_topics)
    _set(record, "topics", topic_found)
    record.tags = tags

    _set(record, "degree", _safe(record, "degree", lambda: titles.extract_degree(doc), None))
    raw_title = doc.title
    if raw_title:
        country_name = _country_name(record.country)
        cleaned = _safe(
            record,
            "title",
            lambda: titles.clean_title(
                raw_title,
                institution=record.institution,
                country_name=country_name,
                city=record.city,
            ),
            raw_title,
        )
        record.title = cleaned
        rule = "title_cleaned" if cleaned != raw_title else "title_as_given"
        record.evidence["title"] = evidence(raw_title, rule, 0.9)
    else:
        record.title = _first_heading(doc.text)
        if record.title:
            record.evidence["title"] = evidence(record.title, "first_line", 0.5)


def _convert_stipend(record: PositionRecord) -> None:
    """The stipend in euros a year at the shipped ECB rates (the display currency)."""
    stipend = record.stipend
    if stipend is None:
        return
    found = _safe(
        record,
        "stipend_eur",
        lambda: currency.yearly_eur(stipend.amount, stipend.currency, stipend.period),
        None,
    )
    if found is not None:
        stipend.yearly_eur = found.value
        stipend.rate_date = currency.shipped_rates().day.isoformat()
        record.evidence["stipend_eur"] = found.evidence


def _kind_of_post(record: PositionRecord, doc: Doc) -> None:
    """Working time, programme or single project, researcher level (normalize/posting)."""
    fte = record.stipend.fte_percent if record.stipend else None
    _set(
        record,
        "schedule",
        _safe(record, "schedule", lambda: posting.extract_schedule(doc, fte_percent=fte), None),
    )
    _set(
        record,
        "programme",
        _safe(record, "programme", lambda: posting.extract_programme(doc), None),
    )
    _set(
        record,
        "researcher_level",
        _safe(record, "researcher_level", lambda: posting.extract_level(doc), None),
    )


def _country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import pycountry

        found = pycountry.countries.get(alpha_2=code)
    except (LookupError, KeyError):
        return None
    return str(found.name) if found else None


def _first_heading(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if 8 <= len(line) <= 160 and not re.match(r"https?://", line):
            return line
    return ""
