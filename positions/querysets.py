"""Reusable filters as QuerySet methods: `Position.objects.open().published()`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone

if TYPE_CHECKING:
    # Named in the quoted base classes below (models.py imports this module).
    from .models import Listing, Position  # noqa: F401


class PositionQuerySet(models.QuerySet["Position"]):
    def open(self) -> PositionQuerySet:
        return self.filter(status="open")

    def closed(self) -> PositionQuerySet:
        return self.filter(status="closed")

    def published(self) -> PositionQuerySet:
        return self.filter(moderation="published")

    def visible(self) -> PositionQuerySet:
        """What visitors see by default: open and published."""
        return self.open().published()

    def past_deadline(self) -> PositionQuerySet:
        return self.filter(deadline_kind="fixed", deadline__lt=timezone.localdate())

    def review_queue(self) -> PositionQuerySet:
        return self.filter(needs_review=True)


class ListingQuerySet(models.QuerySet["Listing"]):
    def active(self) -> ListingQuerySet:
        return self.exclude(state="gone")
