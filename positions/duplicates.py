"""Duplicates across sources: detected (canonical URL, institution, title similarity,
supervisors, deadline), merged at once above DUPLICATE_AUTO_MERGE_SCORE or queued for an
admin, merged or split by hand; decisions stick across scrapes (docs/curation.md).
Re-exported by positions.services, where callers import them from."""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.contrib.postgres.search import TrigramSimilarity
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from rapidfuzz import fuzz

from .curation import _clean, _completeness, _record_change, _refresh_search_vector
from .facts import LOCKABLE_FIELDS, is_empty, json_value
from .models import DuplicateCandidate, Listing, Position, PositionChange, listing_source_model
from .records import values_from_record
from .values import ADAPTER_SPECIFICITY

logger = logging.getLogger(__name__)


# Scores are 0..1. At or above AUTO the pair is merged at once; between REVIEW and AUTO it
# waits in the duplicate queue for an admin.
DUPLICATE_AUTO_MERGE_SCORE = 0.92
DUPLICATE_REVIEW_SCORE = 0.7

# Words every advert title shares: left out before comparing titles so that "PhD
# studentship in chemistry" and "PhD studentship in physics" do not look alike.
_TITLE_FILLER = frozenset(
    [
        "phd",
        "ph",
        "d",
        "doctoral",
        "doctorate",
        "dphil",
        "studentship",
        "studentships",
        "position",
        "positions",
        "project",
        "candidate",
        "candidates",
        "researcher",
        "student",
        "students",
        "fully",
        "funded",
        "funding",
        "opportunity",
        "vacancy",
        "in",
        "of",
        "on",
        "the",
        "and",
        "for",
        "a",
        "an",
        "to",
        "with",
        "at",
    ]
)
_TRACKING_PARAMS = re.compile(r"^(utm_|fbclid$|gclid$|mc_|ref$|source$)")


def canonical_url(url: str) -> str:
    """The URL with what differs between copies of the same link removed."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(key.lower())
        )
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def normalized_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    kept = [word for word in words if word not in _TITLE_FILLER]
    return " ".join(kept or words)


def _surnames(names: Iterable[str]) -> set[str]:
    surnames = set()
    for name in names:
        words = re.findall(r"[^\W\d_]+", unicodedata.normalize("NFKD", name).lower())
        words = [word for word in words if word not in {"dr", "prof", "professor", "mr", "ms"}]
        if words:
            surnames.add(words[-1])
    return surnames


def _urls_of(position: Position) -> set[str]:
    # listings.all() uses the prefetched listings when the caller prefetched them.
    urls = {canonical_url(position.url), canonical_url(position.apply_url)}
    if position.pk:
        urls.update(canonical_url(listing.url) for listing in position.listings.all())
    urls.discard("")
    return urls


def _same_institution(first: Position, second: Position) -> bool | None:
    if first.institution_id and second.institution_id:
        return first.institution_id == second.institution_id
    if first.institution_name and second.institution_name:
        return (
            fuzz.token_set_ratio(first.institution_name.lower(), second.institution_name.lower())
            >= 90
        )
    return None


@dataclass
class DuplicateMatch:
    position: Position
    score: float
    reasons: list[str] = field(default_factory=list)


def position_duplicate_score(
    first: Position, second: Position, *, first_urls: set[str] | None = None
) -> tuple[float, list[str]]:
    """How likely two positions are one advert, with the reasons; 0..1.

    Each signal has a weight and counts only when both sides know it: title (0.5),
    institution (0.2), supervisors (0.15), deadline (0.15). A shared canonical advert or
    application URL is decisive on its own; a different institution rules the pair out.
    """
    reasons: list[str] = []
    shared_urls = (first_urls if first_urls is not None else _urls_of(first)) & _urls_of(second)
    if shared_urls:
        return 0.99, [f"same URL {sorted(shared_urls)[0]}"]
    institution = _same_institution(first, second)
    if institution is False:
        return 0.0, ["different institutions"]
    weighted: list[tuple[float, float]] = []
    title_similarity = (
        fuzz.token_set_ratio(normalized_title(first.title), normalized_title(second.title)) / 100
    )
    weighted.append((0.5, title_similarity))
    reasons.append(f"title {title_similarity:.0%} alike")
    if institution:
        weighted.append((0.2, 1.0))
        reasons.append("same institution")
    first_names, second_names = _surnames(first.supervisors), _surnames(second.supervisors)
    if first_names and second_names:
        overlap = len(first_names & second_names) / min(len(first_names), len(second_names))
        weighted.append((0.15, overlap))
        reasons.append(f"supervisors {overlap:.0%} shared")
    if first.deadline and second.deadline:
        equal = first.deadline == second.deadline
        weighted.append((0.15, 1.0 if equal else 0.0))
        reasons.append("same deadline" if equal else "different deadlines")
    total_weight = sum(weight for weight, _ in weighted)
    score = sum(weight * value for weight, value in weighted) / total_weight
    if institution is None:
        # Without an institution to compare, a title alone cannot make a pair certain.
        score = min(score, DUPLICATE_AUTO_MERGE_SCORE - 0.01)
    return round(score, 4), reasons


def position_find_duplicates(*, position: Position, limit: int = 20) -> list[DuplicateMatch]:
    """Other positions that may be the same advert, best first, scored above the review band.

    Two small candidate pools, each served by an index: positions sharing an advert or
    application URL, and the positions with the most similar titles (pg_trgm) at the same
    institution (a different institution scores 0 anyway) or, without one, in the country.
    """
    # A pair an admin declared distinct (or split) is never proposed again.
    decided = DuplicateCandidate.objects.filter(
        Q(first=position, second=OuterRef("pk")) | Q(second=position, first=OuterRef("pk")),
        state=DuplicateCandidate.State.DISTINCT,
    )
    # One source lists each advert once: two positions on the same source are two adverts.
    own_listings = list(position.listings.values_list("source_id", "url"))
    shares_source = Listing.objects.filter(
        position=OuterRef("pk"), source_id__in=[source_id for source_id, _ in own_listings]
    )
    candidates = (
        Position.objects.exclude(pk=position.pk)
        .filter(status=Position.Status.OPEN)
        .exclude(Exists(decided))
        .exclude(Exists(shares_source))
    )
    # Other listings at the same URLs: served by the (source, url) unique index.
    urls = sorted({u for _, u in own_listings} | {u for u in (position.url,) if u})
    same_url = (
        candidates.filter(
            pk__in=Listing.objects.filter(
                source_id__in=listing_source_model()._default_manager.values("pk"), url__in=urls
            ).values("position_id")
        ).values_list("pk", flat=True)[:limit]
        if urls
        else []
    )
    similarity = TrigramSimilarity("title", position.title)
    if position.institution_id or position.institution_name:
        # One institution has a few hundred positions at most: score them all, which is
        # cheaper than the trigram index over every title.
        same_place = (
            Q(institution_id=position.institution_id)
            | Q(institution__isnull=True, institution_name__iexact=position.institution_name)
            if position.institution_id
            else Q(institution_name__iexact=position.institution_name)
        )
        similar = (
            candidates.filter(same_place)
            .annotate(similarity=similarity)
            .filter(similarity__gte=0.3)
        )
    else:
        alike = candidates.filter(title__trigram_similar=position.title)
        if position.country:
            alike = alike.filter(country=position.country)
        similar = alike.annotate(similarity=similarity)
    similar_ids = similar.order_by("-similarity", "pk").values_list("pk", flat=True)[:limit]
    pool = Position.objects.filter(pk__in={*same_url, *similar_ids}).prefetch_related("listings")
    own_urls = _urls_of(position)
    matches = []
    for other in pool:
        score, reasons = position_duplicate_score(position, other, first_urls=own_urls)
        if score >= DUPLICATE_REVIEW_SCORE:
            matches.append(DuplicateMatch(position=other, score=score, reasons=reasons))
    matches.sort(key=lambda match: (-match.score, match.position.pk))
    return matches


@dataclass
class DuplicateOutcome:
    merged_into: Position | None = None
    candidates: list[DuplicateCandidate] = field(default_factory=list)


def _ordered_pair(first: Position, second: Position) -> tuple[Position, Position]:
    return (first, second) if first.pk < second.pk else (second, first)


def position_detect_duplicates(*, position: Position) -> DuplicateOutcome:
    """Merge a certain duplicate at once; queue uncertain ones for an admin.

    The upsert calls this after it created a position. Returns where the position went.
    """
    outcome = DuplicateOutcome()
    matches = position_find_duplicates(position=position)
    if not matches:
        return outcome
    best = matches[0]
    if best.score >= DUPLICATE_AUTO_MERGE_SCORE:
        keep, merge = _ordered_pair(best.position, position)
        outcome.merged_into = position_merge(
            keep=keep,
            merge=merge,
            user=None,
            note=f"automatic ({best.score:.2f}: {', '.join(best.reasons)})",
        )
        return outcome
    for match in matches:
        first, second = _ordered_pair(position, match.position)
        candidate, _created = DuplicateCandidate.objects.get_or_create(
            first=first,
            second=second,
            defaults={"score": match.score, "reasons": match.reasons},
        )
        outcome.candidates.append(candidate)
    return outcome


# Reconciliation follows the rule of the core upsert (positions.services.reconcile_values,
# most specific source first), so the next scrape of any merged listing arrives at the
# values the merge chose instead of flipping them back and forth.


def _specificity(position: Position) -> tuple[int, int, int]:
    adapters = position.listings.values_list("source__adapter", flat=True)
    best_source = max((ADAPTER_SPECIFICITY.get(name, 30) for name in adapters), default=0)
    filled = sum(
        not is_empty(getattr(position, name)) for name in LOCKABLE_FIELDS if name != "topics"
    )
    # Older first on a tie: the position visitors may already have bookmarked.
    return best_source, filled, -position.pk


def position_reconcile(*, positions: Sequence[Position]) -> dict[str, tuple[Any, Position]]:
    """Each fact's value and the position it comes from, by the documented rule.

    1. A field an admin locked on any of the positions keeps the admin's value (the most
       recently reviewed position first when two admins locked the same field);
    2. otherwise the most specific position that states the field gives it: the one whose
       best source is most specific (a university or lab page over an aggregator), then the
       one with more fields filled, then the older one.
    The institution follows the institution name it was resolved from.
    """
    by_specificity = sorted(positions, key=_specificity, reverse=True)
    by_review = sorted(
        positions,
        key=lambda item: item.reviewed_at or dt.datetime.min.replace(tzinfo=dt.UTC),
        reverse=True,
    )
    chosen: dict[str, tuple[Any, Position]] = {}
    for name in LOCKABLE_FIELDS:
        if name in {"topics", "institution", "status"}:
            continue
        locker = next((item for item in by_review if name in item.locked_fields), None)
        if locker is not None:
            chosen[name] = (getattr(locker, name), locker)
            continue
        giver = next(
            (item for item in by_specificity if not is_empty(getattr(item, name))),
            by_specificity[0],
        )
        chosen[name] = (getattr(giver, name), giver)
    name_giver = chosen["institution_name"][1]
    chosen["institution"] = (name_giver.institution, name_giver)
    return chosen


@transaction.atomic
def position_merge(
    *, keep: Position, merge: Position, user: Any = None, note: str = ""
) -> Position:
    """Make `merge` part of `keep`: its listings, reports and history move over, facts are
    reconciled (see `position_reconcile`), and `merge` is deleted.

    The moved listings are pinned, so later scrapes update `keep` through them instead of
    splitting the advert off again.
    """
    if keep.pk == merge.pk:
        raise ValueError("a position cannot be merged into itself")
    locked = {
        item.pk: item
        for item in Position.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])
    }
    keep, merge = locked[keep.pk], locked[merge.pk]
    actor = PositionChange.Actor.ADMIN if user is not None else PositionChange.Actor.SYSTEM
    note = note or f"merged #{merge.pk} into #{keep.pk}"
    chosen = position_reconcile(positions=[keep, merge])
    changed: list[tuple[str, Any, Any]] = []
    for name, (value, giver) in chosen.items():
        old = getattr(keep, name)
        if json_value(old) != json_value(value):
            setattr(keep, name, value)
            changed.append((name, old, value))
            if giver.pk == merge.pk and name in merge.evidence:
                keep.evidence = {**keep.evidence, name: merge.evidence[name]}
    keep.locked_fields = list(dict.fromkeys([*keep.locked_fields, *merge.locked_fields]))
    keep.source_values = {**(merge.source_values or {}), **(keep.source_values or {})}
    keep.contradictions = [
        *keep.contradictions,
        *(c for c in merge.contradictions if c not in keep.contradictions),
    ]
    keep.confidence = max(keep.confidence, merge.confidence)
    keep.first_seen = min(keep.first_seen, merge.first_seen)
    keep.last_seen = max(keep.last_seen, merge.last_seen)
    if merge.last_verified and (
        keep.last_verified is None or merge.last_verified > keep.last_verified
    ):
        keep.last_verified = merge.last_verified
    keep.featured = keep.featured or merge.featured
    if merge.needs_review:
        keep.needs_review = True
        keep.review_reasons = list(dict.fromkeys([*keep.review_reasons, *merge.review_reasons]))
    if keep.deadline_kind == Position.DeadlineKind.FIXED and keep.deadline is None:
        keep.deadline_kind = Position.DeadlineKind.UNKNOWN
    keep.completeness = _completeness(keep)
    _clean(keep)
    keep.save()
    keep.topics.add(*merge.topics.all())

    merge.listings.update(position=keep, pinned=True)
    keep.listings.update(pinned=True)
    merge.reports.update(position=keep)
    merge.changes.update(position=keep)
    DuplicateCandidate.objects.filter(
        Q(first=keep, second=merge) | Q(first=merge, second=keep)
    ).update(state=DuplicateCandidate.State.MERGED, decided_at=timezone.now())
    for name, old, new in changed:
        _record_change(
            position=keep, field_name=name, old=old, new=new, actor=actor, user=user, note=note
        )
    _record_change(
        position=keep,
        field_name="merged",
        old={"id": merge.pk, "title": merge.title},
        new={"id": keep.pk},
        actor=actor,
        user=user,
        note=note,
    )
    merge.delete()
    _refresh_search_vector([keep.pk])
    return keep


@transaction.atomic
def listing_split(*, listing: Listing, user: Any) -> Position:
    """Make one listing its own position again: an admin said it is a different advert.

    The new position starts as a copy, takes what the listing's own record says, and the
    pair is remembered as distinct so duplicate detection never merges it back; the listing
    is pinned to its new position and its content hash forgotten so the next scrape
    rewrites the new position from its source.
    """
    listing = Listing.objects.select_for_update().select_related("position").get(pk=listing.pk)
    original = Position.objects.select_for_update().get(pk=listing.position_id)
    if original.listings.count() < 2:
        raise ValueError("a position with one listing has nothing to split off")
    new = Position.objects.get(pk=original.pk)
    new.pk = None
    new.id = None
    new.locked_fields = []
    new.source_values = {}
    new.featured = False
    new.url = listing.url
    new.search_vector = None
    # What the listing's own record states replaces the copy; what it leaves out stays.
    if listing.normalized:
        for name, value in values_from_record(listing.normalized).items():
            if not is_empty(value):
                setattr(new, name, value)
    new.url = listing.url
    if new.deadline_kind == Position.DeadlineKind.FIXED and not new.deadline:
        new.deadline_kind = Position.DeadlineKind.UNKNOWN
    _clean(new)
    new.first_seen = listing.first_seen
    new.completeness = _completeness(new)
    new.save()
    new.topics.set(original.topics.all())
    listing.position = new
    listing.pinned = True
    listing.content_hash = ""
    listing.save(update_fields=["position", "pinned", "content_hash"])
    first, second = _ordered_pair(original, new)
    DuplicateCandidate.objects.update_or_create(
        first=first,
        second=second,
        defaults={
            "score": 0.0,
            "reasons": ["split by an admin"],
            "state": DuplicateCandidate.State.DISTINCT,
            "decided_at": timezone.now(),
        },
    )
    for position, other in ((original, new), (new, original)):
        _record_change(
            position=position,
            field_name="split",
            old={"listing": listing.url},
            new={"id": new.pk} if position is original else {"from": original.pk},
            actor=PositionChange.Actor.ADMIN,
            user=user,
            note=f"listing {listing.url} split off into #{new.pk}"
            if position is original
            else f"split off #{other.pk}",
        )
    _refresh_search_vector([original.pk, new.pk])
    return new


@transaction.atomic
def duplicate_candidate_decide(
    *, candidate: DuplicateCandidate, merge: bool, user: Any, keep: Position | None = None
) -> DuplicateCandidate:
    """An admin's verdict on a queued pair: merge it, or remember that it is two adverts."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.state != DuplicateCandidate.State.PENDING:
        return candidate
    if merge:
        keep = keep or candidate.first
        other = candidate.second if keep.pk == candidate.first_id else candidate.first
        position_merge(keep=keep, merge=other, user=user)
        # The candidate row goes with the deleted position; report the verdict on a copy.
        candidate.state = DuplicateCandidate.State.MERGED
        candidate.decided_at = timezone.now()
        return candidate
    candidate.state = DuplicateCandidate.State.DISTINCT
    candidate.decided_at = timezone.now()
    candidate.full_clean()
    candidate.save(update_fields=["state", "decided_at"])
    return candidate
