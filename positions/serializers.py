"""Positions as plain data: the API's records, the JSON-LD and the feeds read these.

`position_record` has the keys of the normaliser's record (scrapers.records.PositionRecord
.to_json) so a client of the API and a reader of `manage.py extract` see one shape, plus
`id`, `detail_url` (our page), `api_url` (this record) and `sources`. `url` stays what it
is in the normaliser's record: the advert's own page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from .models import Listing, Position, Topic
from .sanitize import clean_html, safe_url
from .stipends import stipend_line


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


_MARKER = 987_654_321_987


@lru_cache(maxsize=16)
def _path_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, args=[_MARKER]).replace(str(_MARKER), "{}")


def object_path(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an integer id, without
    resolving the pattern again for every result of a page (a fifth of an API page's
    Python time, issue 7)."""
    return _path_pattern(name, get_script_prefix()).format(int(pk))


def topic_path(topic: Topic) -> str:
    return f"{topic.parent.name} > {topic.name}" if topic.parent_id and topic.parent else topic.name


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def stipend_record(position: Position) -> dict[str, Any] | None:
    if position.stipend_amount is None and not position.pay_scale:
        return None
    data: dict[str, Any] = {
        "amount": _number(position.stipend_amount),
        "currency": position.stipend_currency or None,
        "period": position.stipend_period or None,
    }
    if position.stipend_amount_max is not None:
        data["amount_max"] = _number(position.stipend_amount_max)
    if position.pay_scale:
        data["pay_scale"] = position.pay_scale
    if position.fte_percent is not None:
        data["fte_percent"] = position.fte_percent
    if position.stipend_eur_year is not None:
        data["yearly_eur"] = position.stipend_eur_year
        data["rate_date"] = _date(position.stipend_rate_date)
    return data


def listing_record(listing: Listing) -> dict[str, Any]:
    return {
        "name": listing.source.name,
        "url": safe_url(listing.url) or None,
        "last_checked": listing.last_seen.isoformat() if listing.last_seen else None,
        "state": listing.state,
    }


def position_record(position: Position, *, with_description: bool = False) -> dict[str, Any]:
    """One position in the API's shape; topics and listings should be prefetched."""
    detail_path = object_path("position_detail", position.pk)
    data: dict[str, Any] = {
        "id": position.pk,
        "title": position.title,
        "institution": position.institution_name
        or (position.institution.name if position.institution else None),
        "country": position.country or None,
        "city": position.city or None,
        "deadline": _date(position.deadline),
        "deadline_kind": position.deadline_kind,
        "start_date": _date(position.start_date),
        "duration_months": position.duration_months,
        "funding": position.funding,
        "eligibility": list(position.eligibility),
        "open_to": list(position.open_to),
        "stipend": stipend_record(position),
        "supervisors": list(position.supervisors),
        "contact_emails": list(position.contact_emails),
        "topics": [topic_path(topic) for topic in position.topics.all()],
        "degree": position.degree_level or None,
        "apply_url": safe_url(position.apply_url) or None,
        "url": safe_url(position.url) or None,
        "department": position.department or None,
        "deadline_time": position.deadline_time.strftime("%H:%M")
        if position.deadline_time
        else None,
        "deadline_timezone": position.deadline_timezone or None,
        "start_text": position.start_text or None,
        "contract": position.contract,
        "fees_covered": position.fees_covered,
        "teaching_duty": position.teaching_duty,
        "tags": list(position.tags),
        "region": position.region or None,
        "schedule": position.schedule or None,
        "programme": position.programme or None,
        "researcher_level": position.researcher_level or None,
        "contradictions": position.contradictions or [],
        "evidence": position.evidence or {},
        "status": position.status,
        "days_left": position.days_left,
        "first_seen": position.first_seen.isoformat() if position.first_seen else None,
        "detail_url": absolute_url(detail_path),
        "api_url": absolute_url(object_path("api:position", position.pk)),
        "sources": [listing_record(listing) for listing in position.listings.all()],
    }
    if with_description:
        data["description_html"] = clean_html(position.description_html)
        data["description_text"] = position.description_text
    return data


def is_closed(position: Position, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if position.status == Position.Status.CLOSED:
        return True
    return bool(
        position.deadline_kind == Position.DeadlineKind.FIXED
        and position.deadline
        and position.deadline < today
    )


def stipend_text(position: Position) -> str:
    """ "£20,780 a year", "€2,400-2,800 a month", "TV-L E13, 65% FTE": one short line."""
    return stipend_line(
        position.stipend_amount,
        position.stipend_currency,
        position.stipend_period,
        amount_max=position.stipend_amount_max,
        pay_scale=position.pay_scale,
        fte_percent=position.fte_percent,
    )


def job_posting(position: Position) -> dict[str, Any]:
    """schema.org JobPosting for an open position (Google's required fields first)."""
    description = (
        clean_html(position.description_html) or position.description_text or position.title
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": position.title,
        "description": description,
        "datePosted": position.first_seen.date().isoformat() if position.first_seen else None,
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": position.institution_name
            or (position.institution.name if position.institution else ""),
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": position.city or None,
                "addressCountry": position.country or None,
            },
        },
        "url": absolute_url(reverse("position_detail", args=[position.pk])),
    }
    if position.deadline:
        data["validThrough"] = position.deadline.isoformat()
    if position.institution and position.institution.website:
        data["hiringOrganization"]["sameAs"] = safe_url(position.institution.website) or None
    if position.stipend_amount is not None and position.stipend_currency:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": position.stipend_currency,
            "value": {
                "@type": "QuantitativeValue",
                "value": _number(position.stipend_amount),
                "unitText": {"year": "YEAR", "month": "MONTH"}.get(position.stipend_period, "YEAR"),
            },
        }
    return data
