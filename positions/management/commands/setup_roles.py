"""Create the "curator" group and its permissions (also done after every migrate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from positions.curation import CURATOR_PERMISSIONS, roles_setup


class Command(BaseCommand):
    help = "Create or update the curator group: moderates positions, duplicates and reports."

    def handle(self, *args: Any, **options: Any) -> None:
        group = roles_setup()
        self.stdout.write(
            f"Group {group.name!r} has {len(CURATOR_PERMISSIONS)} permissions. "
            "Add a user: in the admin, Users > (user) > Groups, and tick 'Staff status'."
        )
