"""The facts of a position that scrapes write and admins correct, named in one place.

The core upsert (positions/services.py) and the curation services (positions/curation.py)
both read these: which fields a record sets, which an admin's edit locks, what counts as
"not stated", and the JSON form in which a value is compared and kept in the history.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

# Position fields a record sets, in the order the change history lists them.
RECORD_FIELDS: tuple[str, ...] = (
    "title",
    "institution_name",
    "department",
    "country",
    "city",
    "region",
    "deadline",
    "deadline_time",
    "deadline_timezone",
    "deadline_kind",
    "start_date",
    "start_text",
    "duration_months",
    "funding",
    "contract",
    "eligibility",
    "open_to",
    "stipend_amount",
    "stipend_amount_max",
    "stipend_currency",
    "stipend_period",
    "stipend_text",
    "pay_scale",
    "fte_percent",
    "stipend_eur_year",
    "stipend_rate_date",
    "schedule",
    "programme",
    "researcher_level",
    "fees_covered",
    "teaching_duty",
    "supervisors",
    "contact_emails",
    "tags",
    "degree_level",
    "description_html",
    "description_text",
    "url",
    "apply_url",
)
# The funding values under which a position is funded for anyone (issue 22): a self-funded
# position, or one whose funding is not stated, is funded for nobody.
FUNDED: frozenset[str] = frozenset({"full", "partial"})


def funded_for(funding: Any, groups: list[str]) -> list[str]:
    """The groups a position's funding is for: none unless it is (fully or partly) funded."""
    return list(groups) if funding in FUNDED else []


# The facts a scrape writes and an admin may correct. Editing one of these in the admin
# locks it: later scrapes keep the admin's value and note what the source says instead.
# Besides the record's fields: the institution it resolves to, its topics, and the status
# (an admin's close is kept).
LOCKABLE_FIELDS: tuple[str, ...] = (*RECORD_FIELDS, "institution", "topics", "status")
# Moderation is the admin's alone (no scrape writes it): it is recorded, never locked.
MODERATION_FIELDS: tuple[str, ...] = ("moderation", "featured", "possibly_filled")


def is_empty(value: Any) -> bool:
    """Whether a value states nothing, so that another source's value may fill it."""
    return value in (None, "", [], {}, "unknown", "not_stated")


def json_value(value: Any) -> Any:
    """A value as the history and Position.source_values store it: dates as ISO strings,
    decimals as strings, a related manager (topics) as its sorted names, a model instance
    (institution) as its name."""
    if hasattr(value, "all") and callable(value.all):
        value = sorted(str(item) for item in value.all())
    elif hasattr(value, "_meta"):
        value = str(value)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
