"""`manage.py readiness` (and `./dev status`): the checks /readyz answers, one line each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from positions.health import readiness


class Command(BaseCommand):
    help = "Check Postgres, Redis, the broker and beat's last tick, as /readyz does."

    def handle(self, *args: Any, **options: Any) -> None:
        report = readiness()
        for name, result in report["checks"].items():
            state = "ok" if result["ok"] else "FAILED"
            detail = result.get("error") or result.get("last_tick") or ""
            age = f" ({result['age_seconds']} s ago)" if "age_seconds" in result else ""
            self.stdout.write(
                f"{name:9} {state:6} {result['latency_ms']:7.1f} ms  {detail}{age}".rstrip()
            )
        self.stdout.write(f"status: {report['status']}")
        if not report["ready"]:
            raise CommandError("not ready: the database is unavailable")
