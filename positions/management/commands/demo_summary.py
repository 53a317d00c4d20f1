"""Print what the demo scrape stored: one line per position with its normalised facts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from positions.models import Position


class Command(BaseCommand):
    help = "List the stored positions with deadline, funding, country and status."

    def handle(self, *args: Any, **options: Any) -> None:
        positions = Position.objects.order_by("status", "deadline", "id")[:50]
        self.stdout.write(f"\n  {Position.objects.count()} positions stored:\n")
        for position in positions:
            deadline = (
                position.deadline.isoformat()
                if position.deadline
                else position.get_deadline_kind_display()
            )
            self.stdout.write(
                f"  - [{position.status}] {position.title[:70]}\n"
                f"      deadline {deadline} · {position.get_funding_display()} · "
                f"{position.country or 'country not stated'} · "
                f"{settings.SITE_URL}{reverse('position_detail', args=[position.pk])}"
            )
        if Position.objects.closed().exists():
            self.stdout.write(
                f"\n  Closed positions (deadline passed) are hidden by default: "
                f"{settings.SITE_URL}/?include_closed=1 shows them all."
            )
