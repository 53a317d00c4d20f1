"""Template helpers for the public pages. Nothing here marks text safe itself: the two
filters that pass scraped HTML on delegate to positions.sanitize, and the facet option
lists escape every value they put in markup."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from positions import sanitize, stipends
from positions.models import Position
from positions.selectors import FacetOption, country_name
from positions.serializers import is_closed, stipend_text

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME


@register.filter
def advert_html(position: Position) -> SafeString:
    """The advert's own text, sanitised (positions.sanitize)."""
    return sanitize.description_html(position.description_html, position.description_text)


@register.filter
def json_ld(data: dict[str, Any] | None) -> SafeString | str:
    return sanitize.json_ld_script(data) if data else ""


@register.filter
def safe_href(url: str | None) -> str:
    """http(s)/mailto URLs only; anything else (javascript:, data:) becomes ""."""
    return sanitize.safe_url(url)


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def stipend(position: Position) -> str:
    return stipend_text(position)


@register.filter
def stipend_of_record(data: Any) -> str:
    """A record's stipend dict ({"amount", "currency", "period", ...}) as one line."""
    if not isinstance(data, dict):
        return ""
    try:
        return stipends.stipend_line(
            data.get("amount"),
            data.get("currency"),
            data.get("period"),
            amount_max=data.get("amount_max"),
            pay_scale=data.get("pay_scale"),
            fte_percent=data.get("fte_percent"),
        )
    except (TypeError, ValueError, ArithmeticError):
        return ""


@register.filter
def closed(position: Position) -> bool:
    return is_closed(position)


@register.filter
def deadline_text(position: Position) -> str:
    """ "Closes 9 Jan 2026 (12 days left)", "Open until filled", "Closed 3 Jan 2026"."""
    today = timezone.localdate()
    if position.deadline:
        when = f"{position.deadline:%-d %b %Y}"
        if is_closed(position, today):
            return f"Closed {when}" if position.deadline < today else "Closed"
        days = (position.deadline - today).days
        if position.deadline_kind == Position.DeadlineKind.ROLLING:
            return f"Reviewed from {when}, open until filled"
        if days == 0:
            return f"Closes today, {when}"
        if days == 1:
            return f"Closes tomorrow, {when}"
        return f"Closes {when} ({days} days left)"
    if position.status == Position.Status.CLOSED:
        return "Closed"
    if position.deadline_kind == Position.DeadlineKind.ROLLING:
        return "Open until filled"
    return "Deadline not stated"


@register.filter
def urgency(position: Position) -> str:
    """A CSS modifier: soon (7 days or less), closed, or nothing."""
    if is_closed(position):
        return "closed"
    if position.deadline and (position.deadline - timezone.localdate()).days <= 7:
        return "soon"
    return ""


@register.filter
def funding_label(position: Position) -> str:
    return Position.Funding(position.funding).label


@register.filter
def eligibility_labels(position: Position) -> str:
    labels = dict(Position.Eligibility.choices)
    return ", ".join(labels.get(value, value) for value in position.eligibility)


@register.filter
def funded_for_text(position: Position) -> str:
    """Whom the funding is for, said plainly: a position that is not funded is for nobody."""
    if position.funding == Position.Funding.SELF:
        return "Nobody: the applicant funds the studies"
    if position.funding == Position.Funding.UNKNOWN:
        return "Not stated (the advert does not say it is funded)"
    return eligibility_labels(position) or "Not stated"


@register.filter
def open_to_text(position: Position) -> str:
    """Who may apply: "Applicants from any country" when every group may."""
    groups = list(position.open_to)
    if set(groups) >= set(Position.Eligibility.values):
        return "Applicants from any country"
    labels = dict(Position.Eligibility.choices)
    return ", ".join(labels.get(value, value) for value in groups)


@register.filter
def other_sources(position: Position) -> list[str]:
    """Names of the sources listing this position (prefetched listings), once each."""
    names: list[str] = []
    for listing in position.listings.all():
        if listing.source.name not in names:
            names.append(listing.source.name)
    return names


@register.simple_tag(takes_context=True)
def url_with(context: dict[str, Any], **changes: Any) -> str:
    """The search URL with some parameters replaced (None removes one); page resets."""
    request = context["request"]
    params: QueryDict = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value not in (None, ""):
            params[name] = str(value)
    query = params.urlencode()
    return reverse("position_search") + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    params: QueryDict = context["request"].GET.copy()
    params["page"] = str(page)
    return reverse("position_search") + f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def feed_url(context: dict[str, Any], name: str) -> str:
    params: QueryDict = context["request"].GET.copy()
    for key in ("page", "per_page"):
        params.pop(key, None)
    query = params.urlencode()
    return reverse(name) + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def without_value(context: dict[str, Any], name: str, value: Any) -> str:
    """The search URL with one value of a (repeatable) parameter removed."""
    params: QueryDict = context["request"].GET.copy()
    params.pop("page", None)
    kept = [item for item in params.getlist(name) if str(item).lower() != str(value).lower()]
    params.setlist(name, kept)
    query = params.urlencode()
    return reverse("position_search") + (f"?{query}" if query else "")


@register.filter
def quarter_end(value: str) -> str:
    start = dt.date.fromisoformat(value)
    month = start.month + 3
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return (dt.date(year, month, 1) - dt.timedelta(days=1)).isoformat()


# A facet panel holds a few hundred options (80 countries, 30 institutions, the topic
# tree...). Rendered by a template loop they were a third of an uncached search page's
# time (issue 7); built here they cost a fraction of that. The markup is the same, and
# every value is escaped (html.escape, as django.utils.html.escape does, without its
# per-call lazy-string checks).


def _option_item(option: FacetOption, name: str, dom_id: str, extra_class: str = "") -> str:
    checked = " checked" if option.selected else ""
    about = "\u2248" if option.estimated else ""
    return (
        f'<li class="facet__option{extra_class}">'
        f'<input type="checkbox" id="{escape(dom_id)}" name="{escape(name)}"'
        f' value="{escape(str(option.value))}"{checked}>'
        f'<label for="{escape(dom_id)}">{escape(str(option.label))}</label>'
        f'<span class="count" data-count="{int(option.count)}">'
        f"{about}{int(option.count):,}</span>"
    )


@register.simple_tag
def facet_checkbox_items(name: str, options: list[FacetOption]) -> SafeString:
    """A facet's options as checkbox list items (_facet_checkboxes.html)."""
    return mark_safe(  # noqa: S308 (every value is escaped)
        "".join(
            _option_item(option, name, f"f-{name}-{number}") + "</li>"
            for number, option in enumerate(options, start=1)
        )
    )


@register.simple_tag
def topic_tree_items(options: list[FacetOption]) -> SafeString:
    """The topic facet: fields, each with its subfields in a nested list."""
    items = []
    for option in options:
        item = _option_item(option, "topic", f"f-topic-{option.value}", " facet__option--parent")
        if option.children:
            children = "".join(
                _option_item(child, "topic", f"f-topic-{child.value}") + "</li>"
                for child in option.children
            )
            item += f'<ul class="facet__children">{children}</ul>'
        items.append(item + "</li>")
    return mark_safe("".join(items))  # noqa: S308 (every value is escaped)


@register.simple_tag
def active_filters(facets: dict[str, list[FacetOption]]) -> list[tuple[str, FacetOption]]:
    """The selected facet options (and selected subfields), as (facet, option), for the
    chips that remove them; the start quarter and deadline window have chips of their own."""
    chips = []
    for key, options in facets.items():
        for option in options:
            if option.selected and key not in {"start", "deadline_within"}:
                chips.append((key, option))
            chips.extend((key, child) for child in option.children if child.selected)
    return chips
