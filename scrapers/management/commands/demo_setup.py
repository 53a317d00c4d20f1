"""Register the demo sources (recorded pages in demo/) and a demo superuser. Idempotent."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from scrapers.models import Source

DEMO_SOURCES = Path(settings.BASE_DIR) / "demo" / "sources.json"


class Command(BaseCommand):
    help = "Load the topic taxonomy, register the demo sources and create the demo admin."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_taxonomy", verbosity=0)
        for spec in json.loads(DEMO_SOURCES.read_text()):
            source, created = Source.objects.update_or_create(
                name=spec["name"],
                defaults={
                    "start_url": spec["start_url"],
                    "adapter": spec["adapter"],
                    "options": spec.get("options", {}),
                    "min_delay_seconds": spec.get("min_delay_seconds", 0.0),
                },
            )
            self.stdout.write(f"{'Registered' if created else 'Kept'} source: {source.name}")
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("admin", "admin@localhost", password)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo superuser 'admin' with password: {password}\n"
                    "  (shown once; change it with: manage.py changepassword admin)"
                )
            )
