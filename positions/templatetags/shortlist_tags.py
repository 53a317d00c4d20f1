"""`{% star position %}`: the shortlist star, always in its neutral state (the visitor's own
stars are turned on after the page cache, by positions.shortlist_middleware)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from positions.shortlist import COUNT_MARK, star_form

register = template.Library()


@register.simple_tag(takes_context=True)
def star(context: dict[str, Any], position: Any) -> SafeString:
    request = context.get("request")
    here = request.get_full_path() if request is not None else reverse("position_search")
    # star_form escapes its values; ids are integers.
    return mark_safe(star_form(int(position.pk), reverse("shortlist_star"), here))  # noqa: S308


@register.simple_tag
def shortlist_count() -> SafeString:
    return mark_safe(COUNT_MARK.decode())  # noqa: S308
