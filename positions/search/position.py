"""One position with what its page shows, its similar positions, and the sitemap's."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ..models import Position
from .page import _load_page


def position_get(*, position_id: int) -> Position | None:
    """A published position (open or closed) with what its page shows, or None."""
    if not 0 < position_id <= 2**63 - 1:
        return None
    found = _load_page(
        Position.objects.filter(moderation=Position.Moderation.PUBLISHED, id=position_id),
        with_description=True,
    )
    return found[0] if found else None


# Similar positions are looked for among the newest positions of each of its topics: a
# bounded candidate set (an index range per topic), not every position of a large field.
SIMILAR_CANDIDATES_PER_TOPIC = 100
SIMILAR_TOPICS = 5
SIMILAR_FIELDS = (
    "id",
    "title",
    "institution_name",
    "country",
    "deadline",
    "deadline_kind",
    "status",
)


def position_similar(*, position: Position, limit: int = 5) -> list[Position]:
    """Open positions sharing the most topics with this one; title similarity breaks ties
    and stands in when the position has no topics."""
    topic_ids = [topic.id for topic in position.topics.all()][:SIMILAR_TOPICS]
    queryset = (
        Position.objects.visible()
        .exclude(id=position.id)
        .filter(~Q(deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=timezone.localdate()))
    )
    if topic_ids:
        through = Position.topics.through
        windows = [
            through.objects.filter(topic_id=topic_id)
            .order_by("-position_id")
            .values("position_id")[:SIMILAR_CANDIDATES_PER_TOPIC]
            for topic_id in topic_ids
        ]
        candidates = windows[0].union(*windows[1:], all=True) if len(windows) > 1 else windows[0]
        queryset = (
            queryset.filter(id__in=candidates)
            .annotate(shared=Count("topics", filter=Q(topics__in=topic_ids)))
            .order_by("-shared", F("deadline").asc(nulls_last=True), "id")
        )
    else:
        # The first few hundred similar titles the trigram index yields, then ranked.
        similar_titles = Position.objects.filter(title__trigram_similar=position.title)
        queryset = (
            queryset.filter(id__in=similar_titles.values("id")[:SIMILAR_CANDIDATES_PER_TOPIC])
            .annotate(similarity=TrigramWordSimilarity(position.title, "title"))
            .order_by("-similarity", "id")
        )
    # What the list of similar positions shows, and no more.
    return list(queryset.only(*SIMILAR_FIELDS)[:limit])


def positions_for_sitemap() -> QuerySet[Position]:
    today = timezone.localdate()
    return (
        Position.objects.visible()
        .filter(~Q(deadline_kind=Position.DeadlineKind.FIXED, deadline__lt=today))
        .order_by("id")
        .only("id", "title", "updated_at")
    )
