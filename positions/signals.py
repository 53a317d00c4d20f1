"""What positions asks of other apps without importing them.

`rescrape_requested(sender=Position, source_ids=[...])`: an admin asked for these sources
to be scraped again now (the *Re-scrape now* action); scraping connects a receiver that
queues the runs once the transaction commits (scrapers/apps.py).
"""

from __future__ import annotations

from django.dispatch import Signal

rescrape_requested = Signal()
