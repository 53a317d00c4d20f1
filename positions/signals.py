"""What positions asks of other apps without importing them.

`rescrape_requested(sender=Position, source_ids=[...])`: an admin asked for these sources
to be scraped again now (the *Re-scrape now* action); scraping connects a receiver that
queues the runs once the transaction commits (scrapers/apps.py).
"""

from __future__ import annotations

from django.dispatch import Signal

rescrape_requested = Signal()


class BrokerUnavailable(Exception):
    """The task queue could not be reached: the scrapes of `missing` were not queued.
    Raised by scraping's receivers, caught by the admin actions to say so."""

    def __init__(self, *, queued: list[int], missing: list[int], error: BaseException):
        self.queued, self.missing = queued, missing
        super().__init__(f"the task queue is unavailable ({type(error).__name__}: {error})")
