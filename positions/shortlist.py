"""The shortlist without an account: starred positions and notes kept in the browser.

State lives in two signed cookies (no table, no session): `shortlist` holds the starred ids
in the order they were added (at most MAX_POSITIONS), `shortlist_notes` the personal notes
(at most NOTE_LENGTH characters each). Both are `django.core.signing` values with a
timestamp, so a tampered, truncated, garbage or expired cookie reads as an empty shortlist.

A shortlist is sent as a link whose token is
`signing.dumps(sorted_ids, salt=SHARE_SALT, compress=True)`: the alerts app reads the same
token, so that contract must not change.

Pages stay cacheable. Templates never read the cookie: every star renders in its neutral
"add" state and the header's count empty, so the page cache (positions/cache.py) keeps one
body per URL for everybody. `personalise` rewrites a finished body for one request
(`positions.shortlist_middleware`), after the page cache, and those answers are private.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape

from .models import Position
from .serializers import is_closed

COOKIE = "shortlist"
NOTES_COOKIE = "shortlist_notes"
COOKIE_SALT = "positions.shortlist.cookie"
SHARE_SALT = "positions.shortlist"  # shared with the alerts app: do not change
MAX_POSITIONS = 100
NOTE_LENGTH = 500
COMPARE_MAX = 4
COOKIE_MAX_AGE = 400 * 24 * 3600  # what browsers allow at most
# A cookie (name, value, attributes) must fit in 4,096 bytes.
COOKIE_VALUE_BUDGET = 3_900
TOKEN_MAX_LENGTH = 4_000
_MAX_ID = 2**63 - 1
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


class NotesFull(Exception):
    """The notes no longer fit in their cookie."""


# --- reading and writing the cookies -------------------------------------------------------


def _valid_id(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 < number <= _MAX_ID else None


def clean_ids(values: Iterable[Any], *, limit: int = MAX_POSITIONS) -> list[int]:
    """Positive ids, each once, in order, at most `limit`; anything else is dropped."""
    ids: list[int] = []
    for value in values:
        number = _valid_id(value)
        if number is not None and number not in ids:
            ids.append(number)
            if len(ids) >= limit:
                break
    return ids


def _load(value: str | None) -> Any:
    if not value or len(value) > COOKIE_VALUE_BUDGET + 200:
        return None
    try:
        return signing.loads(value, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (signing.BadSignature, ValueError, UnicodeError, OverflowError):
        return None


def read_ids(request: HttpRequest) -> list[int]:
    data = _load(request.COOKIES.get(COOKIE))
    return clean_ids(data) if isinstance(data, list) else []


def clean_note(text: str) -> str:
    """A note as stored: normalised, without control or direction characters, capped."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text[:NOTE_LENGTH]


def read_notes(request: HttpRequest) -> dict[int, str]:
    data = _load(request.COOKIES.get(NOTES_COOKIE))
    notes: dict[int, str] = {}
    if isinstance(data, dict):
        for key, text in data.items():
            number = _valid_id(key)
            if number is not None and isinstance(text, str) and clean_note(text):
                notes[number] = clean_note(text)
    return notes


@dataclass
class Shortlist:
    ids: list[int] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, request: HttpRequest) -> Shortlist:
        ids = read_ids(request)
        notes = {key: text for key, text in read_notes(request).items() if key in ids}
        return cls(ids=ids, notes=notes)

    @property
    def full(self) -> bool:
        return len(self.ids) >= MAX_POSITIONS

    def add(self, position_id: int) -> bool:
        """True when the position is on the list afterwards (False: the list is full)."""
        if position_id in self.ids:
            return True
        if self.full:
            return False
        self.ids.append(position_id)
        return True

    def remove(self, position_id: int) -> None:
        if position_id in self.ids:
            self.ids.remove(position_id)
        self.notes.pop(position_id, None)

    def keep_only(self, existing: Iterable[int]) -> int:
        """Forget positions that no longer exist; how many were forgotten."""
        keep = set(existing)
        gone = [pk for pk in self.ids if pk not in keep]
        for pk in gone:
            self.remove(pk)
        return len(gone)

    def set_note(self, position_id: int, text: str) -> None:
        """Raises NotesFull (and changes nothing) when the notes would not fit."""
        text = clean_note(text)
        notes = dict(self.notes)
        if text:
            notes[position_id] = text
        else:
            notes.pop(position_id, None)
        if len(_dump({str(key): value for key, value in notes.items()})) > COOKIE_VALUE_BUDGET:
            raise NotesFull
        self.notes = notes

    def save(self, response: HttpResponse) -> None:
        for name, value in (
            (COOKIE, self.ids),
            (NOTES_COOKIE, {str(key): text for key, text in self.notes.items() if key in self.ids}),
        ):
            if value:
                response.set_cookie(
                    name,
                    _dump(value),
                    max_age=COOKIE_MAX_AGE,
                    secure=settings.SECURE_HTTPS,
                    httponly=True,
                    samesite="Lax",
                )
            else:
                response.delete_cookie(name, samesite="Lax")


def _dump(value: Any) -> str:
    return signing.dumps(value, salt=COOKIE_SALT, compress=True)


# --- the link to send oneself ---------------------------------------------------------------


def share_token(ids: Iterable[int]) -> str:
    return signing.dumps(sorted(ids), salt=SHARE_SALT, compress=True)


def read_share_token(token: str) -> list[int] | None:
    """The ids a share token carries, or None when it is not one of ours (or expired, when
    settings.SHORTLIST_LINK_MAX_AGE is set; links do not expire by default, so a calendar
    subscribed to one keeps working)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        data = signing.loads(
            token, salt=SHARE_SALT, max_age=getattr(settings, "SHORTLIST_LINK_MAX_AGE", None)
        )
    except (signing.BadSignature, ValueError, UnicodeError, OverflowError):
        return None
    if not isinstance(data, list):
        return None
    return clean_ids(data)


# --- the positions, as the shortlist shows them ----------------------------------------------

SHORTLIST_DEFER = ("search_vector", "source_values", "description_html", "description_text")


def positions_by_ids(ids: list[int]) -> dict[int, Position]:
    """Published positions among `ids` (open or closed), with their institution; one query."""
    if not ids:
        return {}
    found = (
        Position.objects.published()
        .filter(id__in=ids)
        .select_related("institution")
        .defer(*SHORTLIST_DEFER)
    )
    return {position.pk: position for position in found}


@dataclass
class Entry:
    position: Position
    note: str
    closed: bool
    days_left: int | None

    @property
    def days_text(self) -> str:
        if self.closed:
            return "Closed" if self.position.status == Position.Status.CLOSED else "Deadline passed"
        if self.days_left is None:
            if self.position.deadline_kind == Position.DeadlineKind.ROLLING:
                return "Open until filled"
            return "No deadline stated"
        if self.days_left == 0:
            return "Closes today"
        if self.days_left == 1:
            return "1 day left"
        return f"{self.days_left} days left"


def entries(
    ids: list[int],
    positions: dict[int, Position],
    notes: dict[int, str],
    today: dt.date | None = None,
) -> list[Entry]:
    """By closing date: open positions with a deadline first (soonest first), then open
    until filled or not stated, then closed ones (most recently closed first)."""
    today = today or timezone.localdate()
    made = []
    for pk in ids:
        position = positions.get(pk)
        if position is None:
            continue
        closed = is_closed(position, today)
        dated = position.deadline is not None and position.deadline_kind != "rolling"
        days = (position.deadline - today).days if dated and position.deadline else None
        made.append(Entry(position, notes.get(pk, ""), closed, None if closed else days))

    def order(entry: Entry) -> tuple[int, int, int]:
        if entry.closed:
            deadline = entry.position.deadline
            return (2, -(deadline.toordinal() if deadline else 0), entry.position.pk)
        if entry.days_left is not None:
            return (0, entry.days_left, entry.position.pk)
        return (1, 0, entry.position.pk)

    return sorted(made, key=order)


# --- stars in cached pages ------------------------------------------------------------------

_ICON = {False: "☆", True: "★"}
_LABEL = {False: "Add to shortlist", True: "Remove from shortlist"}


STAR_FORM_ID = "star-form"


def star_button(position_id: int, starred: bool) -> str:
    """The star's button; its markup is a function of these two values only, so a cached
    page's neutral stars can be found and turned on for one visitor. It submits the page's
    one star form (`star_form`, in base.html) by its `form` attribute: the search results
    sit inside the search form, and forms cannot nest."""
    action = "remove" if starred else "add"
    return (
        f'<button type="submit" form="{STAR_FORM_ID}" class="star" name="{action}" '
        f'value="{position_id}" data-star="{position_id}" '
        f'aria-pressed="{"true" if starred else "false"}">'
        f'<span class="star__icon" aria-hidden="true">{_ICON[starred]}</span> '
        f'<span class="star__label">{_LABEL[starred]}</span></button>'
    )


def star_place(position_id: int) -> str:
    """Where a position's star sits on a page (also the anchor to come back to)."""
    return (
        f'<span class="star-place" id="star-{position_id}">{star_button(position_id, False)}</span>'
    )


def star_form(action: str, next_url: str) -> str:
    return (
        f'<form id="{STAR_FORM_ID}" method="post" action="{escape(action)}" data-star-form hidden>'
        f'<input type="hidden" name="next" value="{escape(next_url)}"></form>'
    )


_NEUTRAL_STAR = re.compile(
    re.escape(star_button(987654321, False)).replace("987654321", r"(\d{1,19})").encode()
)
COUNT_MARK = b'<span class="shortlist-count" data-shortlist-count></span>'


def count_html(count: int) -> bytes:
    if not count:
        return COUNT_MARK
    return (
        f'<span class="shortlist-count" data-shortlist-count>{count}'
        f'<span class="visually-hidden"> position{"s" if count != 1 else ""}</span></span>'
    ).encode()


def personalise(body: bytes, ids: list[int]) -> bytes:
    """The page as this visitor sees it: their stars on, their count in the header."""
    starred = {str(pk).encode() for pk in ids}

    def star(match: re.Match[bytes]) -> bytes:
        if match.group(1) in starred:
            return star_button(int(match.group(1)), True).encode()
        return match.group(0)

    if starred and b'data-star="' in body:
        body = _NEUTRAL_STAR.sub(star, body)
    return body.replace(COUNT_MARK, count_html(len(ids)), 1)


# --- requests that change the shortlist ------------------------------------------------------


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: HttpRequest) -> bool:
    """Whether a POST comes from our own pages. The star is on cached pages, which cannot
    carry a per-visitor CSRF token; browsers say where a request comes from instead
    (Sec-Fetch-Site, else Origin, else Referer). A request with none of them is no browser's
    cross-site form (the cookie is SameSite=Lax besides)."""
    own = f"{request.scheme}://{request.get_host()}".lower()
    trusted = {own, *(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)}
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.lower() in trusted
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) in trusted
    return True
