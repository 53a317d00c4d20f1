"""List the catalogue of real sources, and register and enable chosen ones.

manage.py sources_catalogue                          # every entry and its state
manage.py sources_catalogue --country SE --platform varbi
manage.py sources_catalogue --enable varbi-kth reachmee-chalmers
manage.py sources_catalogue --register --country NO  # add as disabled, for the admin
manage.py sources_catalogue --disable varbi-kth
manage.py sources_catalogue --json                   # the listing as JSON
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from scrapers.catalogue import CatalogueError, Entry, load
from scrapers.models import Source


class Command(BaseCommand):
    help = "List the shipped catalogue of real sources; register or enable chosen ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", help="only entries of this country code (SE, EU...)")
        parser.add_argument("--platform", help="only entries read by this adapter (varbi...)")
        parser.add_argument("--enable", nargs="+", metavar="KEY", help="register and enable")
        parser.add_argument("--disable", nargs="+", metavar="KEY", help="disable (keeps data)")
        parser.add_argument(
            "--register", action="store_true", help="register the listed entries, disabled"
        )
        parser.add_argument("--json", action="store_true", help="print the listing as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            entries = load()
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        by_key = {entry.key: entry for entry in entries}
        for key in (options["enable"] or []) + (options["disable"] or []):
            if key not in by_key:
                raise CommandError(
                    f"no catalogue entry {key!r}; run `manage.py sources_catalogue` for the keys"
                )
        with transaction.atomic():
            for key in options["enable"] or []:
                source, created = self._register(by_key[key], enabled=True)
                verb = "Registered and enabled" if created else "Enabled"
                self.stdout.write(f"{verb}: {source.name} ({source.start_url})")
            for key in options["disable"] or []:
                count = Source.objects.filter(name=by_key[key].name).update(enabled=False)
                self.stdout.write(f"{'Disabled' if count else 'Not registered'}: {key}")
        chosen = [
            entry
            for entry in entries
            if (not options["country"] or entry.country == options["country"].upper())
            and (not options["platform"] or entry.adapter == options["platform"])
        ]
        if options["register"]:
            with transaction.atomic():
                added = sum(self._register(entry, enabled=None)[1] for entry in chosen)
            self.stdout.write(f"Registered {added} new source(s), disabled until enabled.")
        if options["enable"] or options["disable"]:
            return
        self._list(chosen, as_json=options["json"])

    def _register(self, entry: Entry, *, enabled: bool | None) -> tuple[Source, bool]:
        """Create the entry's Source (disabled unless `enabled`), or enable the existing one."""
        source = Source.objects.filter(name=entry.name).first()
        if source is None:
            source = Source.objects.create(
                name=entry.name,
                start_url=entry.start_url,
                adapter=entry.adapter,
                options=entry.options,
                enabled=bool(enabled),
            )
            return source, True
        if enabled is not None and source.enabled != enabled:
            source.enabled = enabled
            source.save(update_fields=["enabled"])
        return source, False

    def _list(self, entries: list[Entry], *, as_json: bool) -> None:
        states = dict(
            Source.objects.filter(name__in=[e.name for e in entries]).values_list("name", "enabled")
        )
        rows = [
            {
                "key": entry.key,
                "platform": entry.adapter,
                "country": entry.country,
                "name": entry.name,
                "start_url": entry.start_url,
                "state": (
                    "enabled" if states.get(entry.name) else
                    "disabled" if entry.name in states else "not registered"
                ),
            }
            for entry in entries
        ]  # fmt: skip
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        width = max((len(row["key"]) for row in rows), default=3)
        for row in rows:
            self.stdout.write(
                f"{row['key']:<{width}}  {row['platform']:<17} {row['country']:<3} "
                f"{row['state']:<15} {row['name']}"
            )
        countries = len({row["country"] for row in rows})
        self.stdout.write(f"{len(rows)} catalogue source(s) in {countries} countries.")
