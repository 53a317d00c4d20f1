"""Run the alert mail now, as beat would: `manage.py send_alerts daily|weekly|reminders|retry`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alerts import digests, reminders
from alerts.sending import MailServerDown


class Command(BaseCommand):
    help = "Send the daily or weekly digests, the shortlist reminders, or the due retries."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("what", choices=["daily", "weekly", "reminders", "retry"])
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        what = options["what"]
        try:
            if what in {"daily", "weekly"}:
                result: Any = asdict(digests.send_digests(what, batch_size=options["batch_size"]))
            elif what == "reminders":
                result = reminders.send_reminders()
            else:
                result = {
                    "digests": digests.retry_digests().sent,
                    "reminders": reminders.retry_reminders(),
                }
        except MailServerDown as error:
            raise CommandError(f"The mail server is away ({error}); run again later.") from error
        self.stdout.write(str(result))
