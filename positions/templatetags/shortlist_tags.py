"""`{% star position %}`: the shortlist star, always in its neutral state (the visitor's own
stars are turned on after the page cache, by positions.shortlist_middleware)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from positions.shortlist import COUNT_MARK, star_form, star_place

register = template.Library()


@register.simple_tag
def star(position: Any) -> SafeString:
    return mark_safe(star_place(int(position.pk)))  # noqa: S308 (an integer only)


@register.simple_tag(takes_context=True)
def star_form_tag(context: dict[str, Any]) -> SafeString:
    """The page's one star form, which every star submits (with where to come back to)."""
    request = context.get("request")
    here = request.get_full_path() if request is not None else reverse("position_search")
    # star_form escapes its values.
    return mark_safe(star_form(reverse("shortlist_star"), here))  # noqa: S308


@register.simple_tag
def shortlist_count() -> SafeString:
    return mark_safe(COUNT_MARK.decode())  # noqa: S308
