"""Feeds for any search: Atom (`/feeds/positions.atom`) and iCalendar deadlines
(`/feeds/deadlines.ics`), with the search page's query string. No account needed: a
student subscribes a calendar to "funded ML positions in the EU".

Scraped text in a feed is text, never markup: Atom titles are text constructs and
summaries are escaped HTML of plain text; iCalendar values are escaped per RFC 5545 and
control characters are dropped, so no value can start a property or an event of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import Position
from .selectors import SearchResult, position_search
from .serializers import absolute_url, is_closed, stipend_text

FEED_SIZE = 50
CALENDAR_SIZE = 500
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _describe(position: Position) -> str:
    parts = [position.institution_name, position.country]
    funding = Position.Funding(position.funding).label
    stipend = stipend_text(position)
    parts.append(f"{funding}{': ' + stipend if stipend else ''}")
    if position.deadline:
        parts.append(f"Deadline {position.deadline:%-d %b %Y}")
    elif position.deadline_kind == Position.DeadlineKind.ROLLING:
        parts.append("Open until filled")
    return " · ".join(part for part in parts if part)


def _search_title(result: SearchResult) -> str:
    title = "PhD positions"
    if result.query_text:
        title += f" matching “{result.query_text}”"
    return title


class PositionsAtomFeed(Feed[Position, SearchResult]):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SearchResult:
        params = request.GET.copy()
        params.setdefault("per_page", str(FEED_SIZE))
        if "sort" not in params:
            params["sort"] = "newest"
        self._query = request.GET.urlencode()
        return position_search(params, with_facets=False)

    def title(self, result: SearchResult) -> str:
        return f"{settings.SITE_NAME}: {_search_title(result)}"

    def link(self, result: SearchResult) -> str:
        return reverse("position_search") + (f"?{self._query}" if self._query else "")

    def subtitle(self, result: SearchResult) -> str:
        return "New PhD positions for this search."

    def items(self, result: SearchResult) -> list[Position]:
        return result.positions

    def item_title(self, item: Position) -> str:
        return _CONTROL.sub(" ", item.title)

    def item_description(self, item: Position) -> str:
        # Atom summaries are HTML: escaping the plain text keeps scraped markup inert.
        return escape(_CONTROL.sub(" ", _describe(item)))

    def item_link(self, item: Position) -> str:
        return reverse("position_detail", args=[item.pk])

    def item_guid(self, item: Position) -> str:
        return absolute_url(reverse("position_detail", args=[item.pk]))

    def item_pubdate(self, item: Position) -> dt.datetime:
        return item.first_seen

    def item_updateddate(self, item: Position) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Position) -> list[str]:
        return [_CONTROL.sub(" ", topic.name) for topic in item.topics.all()]


positions_atom = cache_control(public=True, max_age=600)(PositionsAtomFeed())


# --- iCalendar --------------------------------------------------------------------------


def ical_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 §3.3.11, without control characters."""
    value = _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    pieces: list[str] = []
    current = ""
    limit = 75
    for character in line:
        if len((current + character).encode()) > limit:
            pieces.append(current)
            current = character
            limit = 74  # continuation lines start with a space
        else:
            current += character
    pieces.append(current)
    return "\r\n ".join(pieces)


def _event(position: Position, stamp: str) -> list[str]:
    assert position.deadline is not None
    detail = absolute_url(reverse("position_detail", args=[position.pk]))
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    description = f"{_describe(position)}\n{detail}"
    advert = position.url if position.url.lower().startswith(("https://", "http://")) else ""
    if advert:
        description += f"\nThe advert: {advert}"
    return [
        "BEGIN:VEVENT",
        f"UID:position-{position.pk}-deadline@{ical_text(host)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{position.deadline:%Y%m%d}",
        f"DTEND;VALUE=DATE:{position.deadline + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ical_text('Deadline: ' + position.title)}",
        f"DESCRIPTION:{ical_text(description)}",
        f"URL:{ical_text(detail)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{ical_text('PhD application deadline in a week: ' + position.title)}",
        "TRIGGER:-P7D",
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar_text(positions: Iterable[Position], *, calendar_name: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ical_text(settings.SITE_NAME)}//PhD deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_text(calendar_name)}",
    ]
    for position in positions:
        if position.deadline is not None:
            lines.extend(_event(position, stamp))
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def calendar_response(
    positions: Iterable[Position], *, filename: str, calendar_name: str
) -> HttpResponse:
    response = HttpResponse(
        calendar_text(positions, calendar_name=calendar_name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@cache_control(public=True, max_age=600)
def deadlines_ics(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params["sort"] = "deadline"
    params["page"] = "1"
    result = position_search(params, with_facets=False, per_page=CALENDAR_SIZE)
    upcoming = [position for position in result.positions if not is_closed(position)]
    return calendar_response(
        upcoming,
        filename="phd-deadlines.ics",
        calendar_name=f"{settings.SITE_NAME}: {_search_title(result)}",
    )
