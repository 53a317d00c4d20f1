"""Record a bounce or complaint by hand: `manage.py alerts_suppress ADDRESS [--reason ...]`.
The address is never written to again; only its mask is printed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alerts.models import Suppression, address_hash, mask_address
from alerts.sending import suppress


class Command(BaseCommand):
    help = "Suppress an address (bounce, complaint or unsubscribed): never write to it again."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("address", help="The e-mail address (or its 64-hex SHA-256 key).")
        parser.add_argument(
            "--reason",
            choices=[choice for choice, _ in Suppression.Reason.choices],
            default=Suppression.Reason.BOUNCE,
        )
        parser.add_argument("--detail", default="", help="A note kept with the suppression.")

    def handle(self, *args: Any, **options: Any) -> None:
        address: str = options["address"].strip()
        if "@" in address:
            key, shown = address_hash(address), mask_address(address)
        elif len(address) == 64 and all(c in "0123456789abcdef" for c in address.lower()):
            key, shown = address.lower(), address[:12] + "…"
        else:
            raise CommandError("Give an e-mail address or its 64-character hex key.")
        suppress(key, options["reason"], options["detail"] or "manage.py alerts_suppress")
        self.stdout.write(f"Suppressed {shown} ({options['reason']}).")
