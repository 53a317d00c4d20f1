"""Curation services: the writes an admin or a curator makes, and the checks a run ends with.

Kept apart from the core upsert (positions/services.py) so the two grow without stepping on
each other; positions.services re-exports every public name here, so callers import from
`positions.services` only. Same rules as the rest of the services: keyword-only, typed,
atomic, `full_clean()` before `save()`.

Where the scrape pipeline calls in (scrapers/pipeline.py, positions/services.py):
- `position_detect_duplicates(position=...)` after the upsert created a position;
- `position_mark_possibly_filled(position=..., run=...)` before the closer closes a position
  no source lists any more.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .documents import position_refresh_search_vector
from .facts import LOCKABLE_FIELDS, MODERATION_FIELDS, json_value
from .models import (
    Listing,
    Position,
    PositionChange,
    Report,
)
from .records import RunRow
from .signals import rescrape_requested
from .values import position_completeness

logger = logging.getLogger(__name__)


def _record_change(
    *,
    position: Position,
    field_name: str,
    old: Any,
    new: Any,
    actor: str,
    user: Any = None,
    run: RunRow | None = None,
    note: str = "",
) -> PositionChange:
    return PositionChange.objects.create(
        position=position,
        actor=actor,
        user=user if user is not None and user.is_authenticated else None,
        run=run,
        field=field_name,
        old_value=json_value(old),
        new_value=json_value(new),
        note=note[:300],
    )


def _clean(position: Position, *, edited: Iterable[str] = ()) -> None:
    """full_clean() as the core upsert does it: a scraped URL or institution that Django's
    validators dislike does not block an unrelated edit; a field the admin typed is checked."""
    unchecked = {"url", "apply_url", "institution"} - set(edited)
    position.full_clean(exclude=sorted(unchecked))


def _refresh_search_vector(position_ids: Sequence[int]) -> None:
    position_refresh_search_vector(position_ids=list(position_ids))


# --- Completeness --------------------------------------------------------------------------


def _completeness(position: Position) -> int:
    return position_completeness(position)


# --- Review queue ----------------------------------------------------------------------------


def review_queue_condition() -> Q:
    """Why a position waits for a curator; the admin's queue and its tests use this one rule.

    New positions (never reviewed and pending, low-confidence or contradictory), positions a
    scrape changed since they were last reviewed, positions with open visitor reports, and
    whatever the pipeline flagged (`needs_review`).
    """
    threshold = settings.SCRAPER_REVIEW_CONFIDENCE
    changed_since_review = PositionChange.objects.filter(
        position=OuterRef("pk"),
        actor=PositionChange.Actor.SCRAPE,
        changed_at__gt=OuterRef("reviewed_at"),
    )
    open_reports = Report.objects.filter(position=OuterRef("pk"), resolved=False)
    never_reviewed = Q(reviewed_at__isnull=True)
    return (
        Q(needs_review=True)
        | (
            never_reviewed
            & (
                Q(moderation=Position.Moderation.PENDING)
                | Q(confidence__lt=threshold)
                | ~Q(contradictions=[])
            )
        )
        | (Q(reviewed_at__isnull=False) & Exists(changed_since_review))
        | Exists(open_reports)
    )


def position_review_reasons(
    position: Position,
    *,
    changed_since_review: bool | None = None,
    open_reports: int | None = None,
) -> list[str]:
    """The same rule as `review_queue_condition`, spelt out for one row (shown in the queue).

    A list page passes what it annotated (`changed_since_review`, `open_reports`) so that
    no row costs a query; left out, they are looked up.
    """
    reasons = list(position.review_reasons)
    if position.reviewed_at is None:
        if position.moderation == Position.Moderation.PENDING:
            reasons.append("new")
        if position.confidence < settings.SCRAPER_REVIEW_CONFIDENCE:
            reasons.append(f"low confidence ({position.confidence:.2f})")
        if position.contradictions:
            reasons.append("contradictions")
    else:
        if changed_since_review is None:
            changed_since_review = position.changes.filter(
                actor=PositionChange.Actor.SCRAPE, changed_at__gt=position.reviewed_at
            ).exists()
        if changed_since_review:
            reasons.append("changed since last review")
    if open_reports is None:
        open_reports = position.reports.filter(resolved=False).count()
    if open_reports:
        reasons.append(f"{open_reports} visitor report(s)")
    if position.possibly_filled and "possibly filled" not in " ".join(reasons):
        reasons.append("possibly filled")
    return merge_reasons(reasons)


# Reasons are written in two places (the pipeline stores "low confidence: deadline", the
# rule above adds "low confidence (0.30)"): one reason of a kind is shown once.
_REASON = re.compile(r"^(?P<kind>.+?)(?:\s+\((?P<paren>[^)]*)\))?(?:\s*:\s*(?P<rest>.*))?$")
_SAME_KIND = {"new position": "new", "contradictions": "contradiction"}


def merge_reasons(reasons: Iterable[str]) -> list[str]:
    """Each kind of reason once, its details united: "low confidence (0.30): deadline"."""
    groups: dict[str, dict[str, str]] = {}
    for reason in reasons:
        match = _REASON.match(reason.strip())
        if match is None:
            groups.setdefault(reason, {"kind": reason, "paren": "", "rest": ""})
            continue
        kind = match["kind"].strip()
        key = _SAME_KIND.get(kind.lower(), kind.lower())
        group = groups.setdefault(key, {"kind": kind, "paren": "", "rest": ""})
        if len(kind) > len(group["kind"]):
            group["kind"] = kind
        group["paren"] = group["paren"] or (match["paren"] or "")
        group["rest"] = group["rest"] or (match["rest"] or "")
    return [
        group["kind"]
        + (f" ({group['paren']})" if group["paren"] else "")
        + (f": {group['rest']}" if group["rest"] else "")
        for group in groups.values()
    ]


def _flag_for_review(position: Position, reason: str) -> None:
    position.needs_review = True
    if reason not in position.review_reasons:
        position.review_reasons = [*position.review_reasons, reason][-10:]


@transaction.atomic
def position_mark_reviewed(*, position: Position, user: Any) -> Position:
    """A curator looked at it: it leaves the queue until a scrape or a visitor brings it back."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    position.needs_review = False
    position.review_reasons = []
    position.reviewed_at = timezone.now()
    _clean(position)
    position.save(update_fields=["needs_review", "review_reasons", "reviewed_at", "updated_at"])
    position.reports.filter(resolved=False).update(resolved=True)
    _record_change(
        position=position,
        field_name="reviewed_at",
        old=None,
        new=position.reviewed_at,
        actor=PositionChange.Actor.ADMIN,
        user=user,
        note="reviewed",
    )
    return position


# --- Admin edits and locks ----------------------------------------------------------------------


@transaction.atomic
def position_update_by_admin(
    *, position: Position, user: Any, data: dict[str, Any], topics: Iterable[Any] | None = None
) -> Position:
    """Apply an admin's edit: every fact changed is locked and recorded in the history.

    `data` maps field names to new values (the admin form's changed fields); `topics`, when
    given, replaces the position's topics (a many-to-many, so it is set after saving).
    """
    current = Position.objects.select_for_update().get(pk=position.pk)
    changed: list[tuple[str, Any, Any]] = []
    for name, new in data.items():
        if name not in LOCKABLE_FIELDS and name not in MODERATION_FIELDS:
            raise ValueError(f"{name!r} is not a field an admin edits")
        old = getattr(current, name)
        if json_value(old) != json_value(new):
            setattr(current, name, new)
            changed.append((name, old, new))
    old_topics = sorted(str(topic) for topic in current.topics.all())
    new_topics = sorted(str(topic) for topic in topics) if topics is not None else old_topics
    if new_topics != old_topics:
        changed.append(("topics", old_topics, new_topics))
    changed_names = {name for name, _old, _new in changed}
    if "deadline" in changed_names and "deadline_kind" not in changed_names:
        # A date typed in means a fixed deadline; clearing it means none is known.
        implied: str
        if current.deadline is not None:
            implied = Position.DeadlineKind.FIXED
        elif current.deadline_kind == Position.DeadlineKind.FIXED:
            implied = Position.DeadlineKind.UNKNOWN
        else:
            implied = current.deadline_kind
        if implied != current.deadline_kind:
            changed.append(("deadline_kind", current.deadline_kind, implied))
            current.deadline_kind = implied
    locked = list(current.locked_fields)
    for name, _old, _new in changed:
        if name in LOCKABLE_FIELDS and name not in locked:
            locked.append(name)
    current.locked_fields = locked
    if "moderation" in changed_names and current.moderation == Position.Moderation.PUBLISHED:
        # Publishing is a review, whether from the form or the bulk action.
        current.needs_review = False
        current.review_reasons = []
        current.reviewed_at = timezone.now()
        current.reports.filter(resolved=False).update(resolved=True)
    if current.status == Position.Status.CLOSED and current.closed_at is None:
        current.closed_at = timezone.now()
    current.completeness = _completeness(current)
    _clean(current, edited=changed_names)
    current.save()
    if topics is not None:
        current.topics.set(list(topics))
    for name, old, new in changed:
        _record_change(
            position=current,
            field_name=name,
            old=old,
            new=new,
            actor=PositionChange.Actor.ADMIN,
            user=user,
            note="edited in the admin; locked" if name in LOCKABLE_FIELDS else "",
        )
    _refresh_search_vector([current.pk])
    position.refresh_from_db()
    return current


@transaction.atomic
def position_unlock_fields(*, position: Position, fields: Iterable[str], user: Any) -> Position:
    """Hand fields back to the scrapers. The next scrape rewrites them from the source."""
    current = Position.objects.select_for_update().get(pk=position.pk)
    fields = [name for name in fields if name in current.locked_fields]
    if not fields:
        return current
    current.locked_fields = [name for name in current.locked_fields if name not in fields]
    current.source_values = {
        name: value for name, value in (current.source_values or {}).items() if name not in fields
    }
    _clean(current)
    current.save(update_fields=["locked_fields", "source_values", "updated_at"])
    # An unchanged page would be skipped by its content hash; forget the hashes so the next
    # run writes the source's values into the unlocked fields.
    Listing.objects.filter(position=current).update(content_hash="")
    for name in fields:
        _record_change(
            position=current,
            field_name=name,
            old="locked",
            new="unlocked",
            actor=PositionChange.Actor.ADMIN,
            user=user,
            note="unlocked: the next scrape may change it",
        )
    return current


def position_source_disagreements(position: Position) -> dict[str, Any]:
    """For each locked field, what the sources now say when it differs from the admin's value."""
    disagreements: dict[str, Any] = {}
    for name, said in (position.source_values or {}).items():
        if name not in position.locked_fields:
            continue
        value = said.get("value", said) if isinstance(said, dict) else said
        current = getattr(position, name, None)
        if name == "topics":
            current = sorted(str(topic) for topic in position.topics.all())
        if json_value(current) != json_value(value):
            disagreements[name] = said
    return disagreements


# --- Moderation -----------------------------------------------------------------------------------


@transaction.atomic
def position_set_moderation(*, positions: Iterable[Position], moderation: str, user: Any) -> int:
    """Publish, hide or queue positions; publishing counts as a review."""
    if moderation not in Position.Moderation.values:
        raise ValueError(f"unknown moderation state {moderation!r}")
    count = 0
    now = timezone.now()
    for position in Position.objects.select_for_update().filter(
        pk__in=[item.pk for item in positions]
    ):
        old = position.moderation
        position.moderation = moderation
        if moderation == Position.Moderation.PUBLISHED:
            position.needs_review = False
            position.review_reasons = []
            position.reviewed_at = now
            position.reports.filter(resolved=False).update(resolved=True)
        _clean(position)
        position.save()
        if old != moderation:
            _record_change(
                position=position,
                field_name="moderation",
                old=old,
                new=moderation,
                actor=PositionChange.Actor.ADMIN,
                user=user,
            )
        count += 1
    return count


@transaction.atomic
def position_close(*, positions: Iterable[Position], user: Any, note: str = "") -> int:
    count = 0
    for position in Position.objects.select_for_update().filter(
        pk__in=[item.pk for item in positions]
    ):
        if position.status == Position.Status.CLOSED:
            continue
        position.status = Position.Status.CLOSED
        position.closed_at = timezone.now()
        # An admin's close is a decision a later scrape must keep, like any admin edit.
        if "status" not in position.locked_fields:
            position.locked_fields = [*position.locked_fields, "status"]
        _clean(position)
        position.save()
        _record_change(
            position=position,
            field_name="status",
            old=Position.Status.OPEN,
            new=Position.Status.CLOSED,
            actor=PositionChange.Actor.ADMIN,
            user=user,
            note=note,
        )
        count += 1
    return count


@transaction.atomic
def position_set_featured(*, positions: Iterable[Position], featured: bool, user: Any) -> int:
    count = 0
    for position in Position.objects.select_for_update().filter(
        pk__in=[item.pk for item in positions]
    ):
        if position.featured == featured:
            continue
        position.featured = featured
        position.save(update_fields=["featured", "updated_at"])
        _record_change(
            position=position,
            field_name="featured",
            old=not featured,
            new=featured,
            actor=PositionChange.Actor.ADMIN,
            user=user,
        )
        count += 1
    return count


@transaction.atomic
def position_rescrape(*, positions: Iterable[Position]) -> list[int]:
    """Scrape the sources of these positions again now; their pages are re-read even if unchanged."""
    position_ids = [item.pk for item in positions]
    listings = Listing.objects.filter(position_id__in=position_ids)
    source_ids = sorted(set(listings.values_list("source_id", flat=True)))
    listings.update(content_hash="")
    # Scraping queues the runs (scrapers/apps.py connects it) once this commits.
    rescrape_requested.send(sender=Position, source_ids=source_ids)
    return source_ids


# --- Liveness --------------------------------------------------------------------------------------


@transaction.atomic
def position_mark_possibly_filled(*, position: Position, run: RunRow | None = None) -> bool:
    """A position vanished from its source: before its deadline that suggests it was filled.

    Returns whether it was marked. A position still listed on another source, already closed,
    or past its deadline (it simply expired: the closer closes it) is left alone.
    """
    current = Position.objects.select_for_update().get(pk=position.pk)
    if current.status != Position.Status.OPEN or current.possibly_filled:
        return False
    if current.listings.filter(state=Listing.State.ACTIVE).exists():
        return False
    expired = current.deadline is not None and current.deadline < timezone.localdate()
    if current.deadline_kind == Position.DeadlineKind.FIXED and expired:
        return False
    current.possibly_filled = True
    _flag_for_review(current, "possibly filled: vanished from its source before the deadline")
    _clean(current)
    current.save(update_fields=["possibly_filled", "needs_review", "review_reasons", "updated_at"])
    _record_change(
        position=current,
        field_name="possibly_filled",
        old=False,
        new=True,
        actor=PositionChange.Actor.SCRAPE if run is not None else PositionChange.Actor.SYSTEM,
        run=run,
        note="vanished from its source before the deadline",
    )
    position.possibly_filled = True
    return True


# --- Visitor reports ---------------------------------------------------------------------------------


def client_hash(address: str) -> str:
    """An address is kept only as a salted hash: enough to rate-limit, not to identify."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:report:{address}".encode()).hexdigest()


@transaction.atomic
def report_create(
    *, position: Position, reason: str, message: str = "", client_address: str = ""
) -> Report:
    report = Report(
        position=position,
        reason=reason,
        message=message.strip()[:2000],
        client_hash=client_hash(client_address) if client_address else "",
    )
    report.full_clean()
    report.save()
    current = Position.objects.select_for_update().get(pk=position.pk)
    _flag_for_review(current, f"visitor report: {report.get_reason_display()}")
    current.save(update_fields=["needs_review", "review_reasons", "updated_at"])
    return report


@transaction.atomic
def report_resolve(*, reports: Iterable[Report], user: Any) -> int:
    return Report.objects.filter(pk__in=[report.pk for report in reports], resolved=False).update(
        resolved=True
    )


# --- Access ------------------------------------------------------------------------------------

CURATOR_GROUP = "curator"
# What a curator may do: moderate positions (and the review queue), duplicates and reports.
# Sources, runs, users and the schedule stay with the admins (superusers).
CURATOR_PERMISSIONS: tuple[str, ...] = (
    "positions.view_position",
    "positions.change_position",
    "positions.view_reviewqueueposition",
    "positions.change_reviewqueueposition",
    "positions.view_duplicatecandidate",
    "positions.change_duplicatecandidate",
    "positions.view_report",
    "positions.change_report",
    "positions.view_listing",
    "positions.view_positionchange",
    "positions.view_institution",
    "positions.change_institution",
    "positions.view_topic",
)


@transaction.atomic
def roles_setup() -> Any:
    """Create the curator group with exactly its permissions. Idempotent."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions appear after migrate's post_migrate; make sure they exist right now.
    for config in (apps.get_app_config("positions"),):
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    group, _created = Group.objects.get_or_create(name=CURATOR_GROUP)
    wanted = []
    for dotted in CURATOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    group.permissions.set(wanted)
    return group
