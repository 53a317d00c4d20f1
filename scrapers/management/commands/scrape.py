"""Scrape sources now, in this process, with a progress bar and a summary table.

    manage.py scrape "Source name" 12 --trigger command
    manage.py scrape --all --replay demo/recorded

Exits non-zero when a run failed (or a source could not be found or was busy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from scrapers import pipeline
from scrapers.models import ScrapeRun, Source
from scrapers.tasks import after_positions_changed


class Command(BaseCommand):
    help = "Scrape the given sources (names or ids), or --all enabled sources, synchronously."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="*", help="Source names or ids")
        parser.add_argument("--all", action="store_true", help="Every enabled source")
        parser.add_argument(
            "--replay",
            metavar="DIR",
            help="Serve every request from recorded pages in DIR (no network)",
        )
        parser.add_argument(
            "--trigger",
            choices=ScrapeRun.Trigger.values,
            default=ScrapeRun.Trigger.COMMAND,
            help="What the runs record as their trigger (default: command)",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Parse every page again, even pages that did not change",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["replay"]:
            if not (Path(options["replay"]) / "index.json").is_file():
                raise CommandError(f"{options['replay']} has no index.json of recorded pages")
            settings.SCRAPER_REPLAY_DIR = options["replay"]
        sources = self._sources(options["sources"], options["all"])
        console = Console(file=self.stdout)  # type: ignore[arg-type]  # a text stream
        if not console.is_terminal:
            console.width = 160  # logs and pipes: keep each source on one line
        outcomes: list[tuple[Source, ScrapeRun | None, str]] = []
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[url]}", style="dim"),
            console=console,
            transient=True,
        ) as progress:
            for source in sources:
                task = progress.add_task(source.name, total=None, url="")

                def on_progress(event: pipeline.Progress, task: Any = task) -> None:
                    progress.update(
                        task,
                        completed=event.pages_done,
                        total=event.pages_done + event.pages_queued,
                        url=event.url[-60:],
                    )

                try:
                    run = pipeline.scrape_source(
                        source.pk,
                        trigger=options["trigger"],
                        full=options["full"],
                        on_progress=on_progress,
                    )
                    outcomes.append((source, run, ""))
                except pipeline.SourceBusy as busy:
                    outcomes.append((source, None, str(busy)))
                progress.remove_task(task)
        console.print(_summary(outcomes))
        if any(run and (run.created or run.updated or run.closed) for _s, run, _n in outcomes):
            after_positions_changed()
        failed = [s.name for s, run, note in outcomes if run is None or run.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} source(s) failed: {', '.join(failed)}")

    def _sources(self, names: list[str], everything: bool) -> list[Source]:
        if everything:
            found = list(Source.objects.filter(enabled=True).order_by("name"))
            if not found:
                raise CommandError("no enabled sources: add one in the admin or run demo_setup")
            return found
        if not names:
            raise CommandError("name at least one source (name or id), or pass --all")
        sources = []
        for name in names:
            query = Source.objects.filter(pk=int(name)) if name.isdigit() else None
            source = (query.first() if query is not None else None) or Source.objects.filter(
                name__iexact=name
            ).first()
            if source is None:
                known = ", ".join(Source.objects.values_list("name", flat=True)[:20])
                raise CommandError(f"no source named {name!r}; known sources: {known}")
            sources.append(source)
        return sources


def _summary(outcomes: list[tuple[Source, ScrapeRun | None, str]]) -> Table:
    table = Table(title="Scrape runs")
    for column in ("source", "status", "pages", "found", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column in {"source", "status"} else "right")
    table.add_column("failed", justify="right")
    table.add_column("closed", justify="right")
    table.add_column("first error / note")
    styles = {"succeeded": "green", "partial": "yellow", "failed": "red"}
    for source, run, note in outcomes:
        if run is None:
            table.add_row(source.name, "[red]busy", *[""] * 7, note)
            continue
        first_error = run.errors.order_by("id").first()
        detail = (
            f"{first_error.stage}: {first_error.message[:80]}" if first_error else run.message[:80]
        )
        table.add_row(
            source.name,
            f"[{styles.get(run.status, 'white')}]{run.status}",
            *(
                str(getattr(run, name))
                for name in (
                    "pages_fetched",
                    "found",
                    "created",
                    "updated",
                    "unchanged",
                    "failed",
                    "closed",
                )
            ),
            detail,
        )
    return table
