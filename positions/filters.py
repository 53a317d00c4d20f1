"""The one query-string language of the search page, the API and the feeds.

Parameters: q, funding, deadline_kind, deadline_within, deadline_after, deadline_before,
eligibility, topic, country, institution, start, start_after, start_before, contract, sort,
page, per_page, include_closed. Facet parameters may repeat: values of one facet combine
with OR, facets with AND. `start` is a start facet's value sent back: a date, selecting the
calendar quarter that holds it ("2026-10-01" is October to December 2026).

The FilterSet validates the query string (its form is the one parser) and turns it into
SQL conditions grouped by facet. Facet counts need each facet's condition apart from the
others (a facet's counts reflect the OTHER active filters), so `conditions()` returns
them by group rather than one filtered queryset; `filter_queryset` ANDs them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import django_filters
import pycountry
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from .filters_kinds import CLEAN as KIND_CLEAN
from .filters_kinds import KIND_GROUPS, KIND_PARAMETERS, STIPEND_SORT, kind_conditions
from .models import Position, Topic
from .search import build_search_query, clean_query_text

MAX_DEADLINE_WITHIN_DAYS = 3650
MAX_PER_PAGE = 100
# Deep pages cost an OFFSET scan each; nobody reads page 10,000 of a search.
MAX_PAGE = 10_000
DEFAULT_PER_PAGE = 20
MAX_BIGINT = 2**63 - 1
# Beyond this many values a facet parameter is an attack or a mistake, not a search.
MAX_VALUES_PER_FACET = 50

COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)

SORT_CHOICES = [
    ("deadline", "Closing soonest"),
    ("newest", "Newest"),
    ("relevance", "Relevance"),
    STIPEND_SORT,
]

# The groups whose conditions are left out of their own facet's counts.
FACET_GROUPS = (
    "funding",
    "deadline",
    "eligibility",
    "topic",
    "country",
    "institution",
    "start",
    "contract",
    *KIND_GROUPS,
)


# The parameters the page, the API and the feeds read (others are ignored), and which
# of them may repeat.
PARAMETERS = (
    "q",
    "funding",
    "deadline_kind",
    "deadline_within",
    "deadline_after",
    "deadline_before",
    "eligibility",
    "topic",
    "country",
    "institution",
    "start",
    "start_after",
    "start_before",
    "contract",
    *KIND_PARAMETERS,
    "sort",
    "page",
    "per_page",
    "include_closed",
)
REPEATABLE = frozenset(
    {
        "funding",
        "deadline_kind",
        "eligibility",
        "topic",
        "country",
        "institution",
        "contract",
        "start",
        *KIND_PARAMETERS,
    }
)


def clean_params(params: Mapping[str, Any] | QueryDict) -> QueryDict:
    """The known parameters only, NUL bytes removed (Postgres refuses them in text)."""
    cleaned = QueryDict(mutable=True)
    for name in PARAMETERS:
        if isinstance(params, QueryDict):
            raw_values = params.getlist(name)
        else:
            raw = params.get(name)
            raw_values = (
                [] if raw is None else list(raw) if isinstance(raw, list | tuple) else [raw]
            )
        raw_values = [str(value).replace("\x00", "") for value in raw_values]
        if name not in REPEATABLE:
            raw_values = raw_values[:1]
        if raw_values:
            cleaned.setlist(name, raw_values)
    return cleaned


# A condition no row meets (ids are never null), which Postgres folds away when planning.
NOTHING = Q(id__isnull=True)


class MultipleValueField(forms.Field):
    """A repeated parameter: each value cleaned by `clean_value`, duplicates dropped."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, clean_value: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.clean_value = clean_value

    def to_python(self, value: Any) -> list[Any]:
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        values = [item for item in values if item not in (None, "")]
        if len(values) > MAX_VALUES_PER_FACET:
            raise ValidationError(f"At most {MAX_VALUES_PER_FACET} values.")
        cleaned: list[Any] = []
        for item in values:
            item_value = self.clean_value(str(item))
            if item_value not in cleaned:
                cleaned.append(item_value)
        return cleaned


class MultipleValueFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter ships no type hints
    field_class = MultipleValueField

    def filter(self, qs: QuerySet[Position], value: Any) -> QuerySet[Position]:
        # Applied through PositionFilter.conditions(); see the module docstring.
        return qs


def _choice(choices: Any) -> Any:
    allowed = {value for value, _label in choices}

    def clean(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValidationError(f"Unknown value {raw[:40]!r}.")
        return value

    return clean


def _country(raw: str) -> str:
    value = raw.strip().upper()
    if value not in COUNTRY_CODES:
        raise ValidationError(f"Not an ISO 3166-1 alpha-2 country code: {raw[:40]!r}.")
    return value


def _identifier(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError as error:
        raise ValidationError(f"Not an identifier: {raw[:40]!r}.") from error
    if not 0 < value <= MAX_BIGINT:
        raise ValidationError(f"Not an identifier: {raw[:40]!r}.")
    return value


def _quarter(raw: str) -> dt.date:
    """The first day of the calendar quarter holding an ISO date (a start facet's value)."""
    try:
        day = dt.date.fromisoformat(raw.strip()[:10])
    except ValueError as error:
        raise ValidationError(f"Not a date (YYYY-MM-DD): {raw[:40]!r}.") from error
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(start: dt.date) -> dt.date:
    """The last day of the quarter that begins on `start`."""
    month = start.month + 3
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def _slug(raw: str) -> str:
    value = raw.strip().lower()
    if not value or len(value) > 200 or not all(c.isalnum() or c in "-_" for c in value):
        raise ValidationError(f"Not a topic: {raw[:40]!r}.")
    return value


class ClampedIntegerField(forms.IntegerField):
    """Integers beyond the range are clamped into it, not refused."""

    def __init__(self, *, lowest: int, highest: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lowest, self.highest = lowest, highest

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and len(value.strip()) > 30:
            # A number this long is out of range anyway; don't make int() parse it.
            stripped = value.strip()
            if stripped.lstrip("+-").isdigit():
                return self.lowest if stripped.startswith("-") else self.highest
        number = super().to_python(value)
        if number is None:
            return None
        return max(self.lowest, min(self.highest, number))


class ClampedIntegerFilter(django_filters.NumberFilter):  # type: ignore[misc]  # django-filter ships no type hints
    field_class = ClampedIntegerField

    def filter(self, qs: QuerySet[Position], value: Any) -> QuerySet[Position]:
        return qs


class FlagField(forms.Field):
    """A checkbox-like flag: 1/true/on/yes is set, anything else (or nothing) is not."""

    def to_python(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().lower() in {"1", "true", "on", "yes"}


class FlagFilter(django_filters.Filter):  # type: ignore[misc]  # django-filter ships no type hints
    field_class = FlagField


class PlainDateFilter(django_filters.DateFilter):  # type: ignore[misc]  # django-filter ships no type hints
    def filter(self, qs: QuerySet[Position], value: Any) -> QuerySet[Position]:
        return qs


class PositionFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no type hints
    q = django_filters.CharFilter(method="_applied_by_conditions", max_length=20_000)
    funding = MultipleValueFilter(clean_value=_choice(Position.Funding.choices))
    deadline_kind = MultipleValueFilter(clean_value=_choice(Position.DeadlineKind.choices))
    deadline_within = ClampedIntegerFilter(lowest=0, highest=MAX_DEADLINE_WITHIN_DAYS)
    deadline_after = PlainDateFilter()
    deadline_before = PlainDateFilter()
    eligibility = MultipleValueFilter(clean_value=_choice(Position.Eligibility.choices))
    topic = MultipleValueFilter(clean_value=_slug)
    country = MultipleValueFilter(clean_value=_country)
    institution = MultipleValueFilter(clean_value=_identifier)
    start = MultipleValueFilter(clean_value=_quarter)
    start_after = PlainDateFilter()
    start_before = PlainDateFilter()
    contract = MultipleValueFilter(clean_value=_choice(Position.Contract.choices))
    # The kind-of-post facets (filters_kinds).
    schedule = MultipleValueFilter(clean_value=KIND_CLEAN["schedule"])
    programme = MultipleValueFilter(clean_value=KIND_CLEAN["programme"])
    level = MultipleValueFilter(clean_value=KIND_CLEAN["level"])
    region = MultipleValueFilter(clean_value=KIND_CLEAN["region"])
    city = MultipleValueFilter(clean_value=KIND_CLEAN["city"])
    stipend = MultipleValueFilter(clean_value=KIND_CLEAN["stipend"])
    include_closed = FlagFilter(method="_applied_by_conditions")
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="_applied_by_conditions")
    page = ClampedIntegerFilter(lowest=1, highest=MAX_PAGE)
    per_page = ClampedIntegerFilter(lowest=1, highest=MAX_PER_PAGE)

    class Meta:
        model = Position
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.today: dt.date = kwargs.pop("today", None) or timezone.localdate()
        super().__init__(data, *args, **kwargs)

    def get_form_class(self) -> type[forms.Form]:
        """The form class, built once for the filter set's class. django-filter builds a new
        class, and a field for every filter, on each request: ~0.6 ms of every search
        (issue 7). Sharing it is safe: no filter's field depends on the request, and a form
        works on its own deep copy of its class's fields. A filter whose field depended on the
        request or the database (a ModelChoiceFilter's queryset) would be frozen here."""
        cls = type(self)
        form_class: type[forms.Form] | None = cls.__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            cls._form_class = form_class
        return form_class

    def _applied_by_conditions(
        self, qs: QuerySet[Position], name: str, value: Any
    ) -> QuerySet[Position]:
        return qs

    # -- the parsed query -----------------------------------------------------------------
    @cached_property
    def values(self) -> dict[str, Any]:
        """The valid parameters only: an invalid one is dropped, the others still apply."""
        self.is_valid()
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", [])
        }

    @cached_property
    def query_text(self) -> str:
        return clean_query_text(self.values.get("q"))

    # -- SQL ------------------------------------------------------------------------------
    def base_condition(self) -> Q:
        """What every count and every result shares: visibility, text, deadline range."""
        values = self.values
        condition = Q(moderation=Position.Moderation.PUBLISHED)
        if not values.get("include_closed"):
            condition &= Q(status=Position.Status.OPEN) & ~Q(
                deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=self.today
            )
        if values.get("deadline_after"):
            condition &= Q(deadline__gte=values["deadline_after"])
        if values.get("deadline_before"):
            condition &= Q(deadline__lte=values["deadline_before"])
        return condition

    def text_condition(
        self, *, similar_institutions: list[int] | None = None, corrected_text: str | None = None
    ) -> Q | None:
        """Full-text match; with `similar_institutions` (typo tolerance, resolved by the
        selector) also titles whose every word is like one of the query's words, and
        positions at those institutions. Plain conditions on indexed columns, so Postgres
        can OR the GIN and B-tree index scans together."""
        text = self.query_text
        if not text:
            return None
        condition = Q(search_vector=build_search_query(text))
        if corrected_text:
            # The query with its misspelt words corrected from the corpus's vocabulary
            # (positions.words): "machin lerning" also finds "machine learning" adverts.
            condition |= Q(search_vector=build_search_query(corrected_text))
        if similar_institutions is not None:
            # Word by word for titles: a query with two typos is too unlike the whole
            # title, while each misspelt word is still like one of its words. Short words
            # ("the", "of") are like too many titles to tell anything.
            words = [word for word in re.findall(r"\w+", text) if len(word) >= 4][:6]
            if similar_institutions:
                condition |= Q(institution_id__in=similar_institutions)
            if words:
                title_condition = Q()
                for word in words:
                    title_condition &= Q(title__trigram_word_similar=word)
                condition |= title_condition
        return condition

    def topic_ids(self, slugs: list[str]) -> list[int]:
        """The ids of these topics and of their children (one small query, once)."""
        if not hasattr(self, "_topic_ids"):
            self._topic_ids = list(
                Topic.objects.filter(Q(slug__in=slugs) | Q(parent__slug__in=slugs))
                .order_by()
                .values_list("id", flat=True)
            )
        return self._topic_ids

    def conditions(self) -> dict[str, Q]:
        """The active facet conditions by group (inactive groups are absent)."""
        values = self.values
        groups: dict[str, Q] = {}
        for name in ("funding", "country", "contract"):
            if values.get(name):
                groups[name] = Q(**{f"{name}__in": values[name]})
        if values.get("institution"):
            groups["institution"] = Q(institution_id__in=values["institution"])
        if values.get("eligibility"):
            groups["eligibility"] = Q(eligibility__overlap=values["eligibility"])
        if values.get("topic"):
            # The topics (and their children) are looked up first: with their ids Postgres
            # can estimate how rare they are, and a slug that names no topic costs nothing
            # instead of a scan of every open position for matches that cannot exist.
            topic_ids = self.topic_ids(values["topic"])
            tagged = Position.topics.through.objects.filter(topic_id__in=topic_ids)
            groups["topic"] = Q(id__in=tagged.values("position_id")) if topic_ids else NOTHING
        # "Closing within N days" and "rolling" are one facet: a student wants either.
        deadline_parts: list[Q] = []
        if values.get("deadline_within") is not None:
            deadline_parts.append(
                Q(
                    deadline__gte=self.today,
                    deadline__lte=self.today + dt.timedelta(days=values["deadline_within"]),
                )
            )
        if values.get("deadline_kind"):
            deadline_parts.append(Q(deadline_kind__in=values["deadline_kind"]))
        if deadline_parts:
            condition = deadline_parts[0]
            for part in deadline_parts[1:]:
                condition |= part
            groups["deadline"] = condition
        start_condition = Q()
        if values.get("start"):
            quarters = Q()
            for quarter in values["start"]:
                quarters |= Q(start_date__gte=quarter, start_date__lte=quarter_end(quarter))
            start_condition &= quarters
        if values.get("start_after"):
            start_condition &= Q(start_date__gte=values["start_after"])
        if values.get("start_before"):
            start_condition &= Q(start_date__lte=values["start_before"])
        if start_condition:
            groups["start"] = start_condition
        groups.update(kind_conditions(values))
        return groups

    def filter_queryset(self, queryset: QuerySet[Position]) -> QuerySet[Position]:
        queryset = queryset.filter(self.base_condition())
        text = self.text_condition()
        if text is not None:
            queryset = queryset.filter(text)
        for condition in self.conditions().values():
            queryset = queryset.filter(condition)
        return queryset


__all__ = [
    "DEFAULT_PER_PAGE",
    "FACET_GROUPS",
    "MAX_PER_PAGE",
    "PARAMETERS",
    "REPEATABLE",
    "SORT_CHOICES",
    "PositionFilter",
    "clean_params",
    "quarter_end",
]
