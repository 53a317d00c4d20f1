"""What a result card and a detail page say of the kind of post (issue 22): working time,
programme or project, researcher level, region, the stipend in euros a year."""

from __future__ import annotations

from django import template

from positions.facet_kinds import region_label
from positions.models import Position

register = template.Library()

_LEVEL_SHORT = {
    "r1": "R1 first stage",
    "r2": "R2 recognised",
    "r3": "R3 established",
    "r4": "R4 leading",
}


@register.filter
def kind_facts(position: Position) -> list[str]:
    """The kind-of-post facts the position states, short, in a fixed order."""
    facts = []
    if position.schedule:
        facts.append(Position.Schedule(position.schedule).label)
    if position.programme:
        facts.append(Position.Programme(position.programme).label)
    if position.researcher_level:
        facts.append(_LEVEL_SHORT.get(position.researcher_level, position.researcher_level))
    return facts


@register.filter
def region_name(code: str | None) -> str:
    return region_label(code) if code else ""


@register.filter
def stipend_eur(position: Position) -> str:
    """ "≈ €24,900 a year" when the stipend is in another currency (or monthly), else ""."""
    yearly = position.stipend_eur_year
    if yearly is None:
        return ""
    if position.stipend_currency == "EUR" and position.stipend_period == "year":
        return ""
    return f"\u2248 \u20ac{yearly:,} a year"


@register.filter
def stipend_rate_note(position: Position) -> str:
    if position.stipend_eur_year is None or position.stipend_rate_date is None:
        return ""
    return f"at the ECB reference rate of {position.stipend_rate_date:%-d %B %Y}"
