"""The terminal commands: scrape (progress, summary, exit code), record (fixtures that
replay offline), setup_schedules (idempotent)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from positions.models import Listing, Position
from positions.services import positions_clean_search_indexes
from scrapers.models import ScrapeRun
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_scrape_all_prints_a_summary_table(site, capsys):
    SourceFactory(name="Local jobs", start_url=site.start_url)
    positions_clean_search_indexes()

    call_command("scrape", "--all")

    output = capsys.readouterr().out
    assert "Scrape runs" in output and "Local jobs" in output and "succeeded" in output
    assert ScrapeRun.objects.get().trigger == "command"
    # The new positions' entries are merged into the search indexes, as the task does.
    assert Position.objects.count() == 3
    assert positions_clean_search_indexes() == 0


def test_scrape_exits_non_zero_when_a_run_fails(site):
    site.list_status = 500
    SourceFactory(name="Broken jobs", start_url=site.start_url)

    with pytest.raises(CommandError, match="1 source\\(s\\) failed: Broken jobs"):
        call_command("scrape", "Broken jobs", "--trigger", "manual")

    assert ScrapeRun.objects.get().trigger == "manual"


def test_scrape_names_the_known_sources_when_one_is_unknown():
    SourceFactory(name="Real source")

    with pytest.raises(CommandError, match="no source named 'Nope'; known sources: Real source"):
        call_command("scrape", "Nope")


def test_a_recorded_source_scrapes_the_same_offline(site, server, tmp_path, settings):
    source = SourceFactory(name="Recorded jobs", start_url=site.start_url)

    call_command("record", "Recorded jobs", "--out", str(tmp_path))
    index = json.loads((tmp_path / "index.json").read_text())
    assert set(index) == {site.start_url, *(site.advert_url(n) for n in (1, 2, 3))}
    server.stop()  # from now on the site is unreachable

    call_command("scrape", str(source.pk), "--replay", str(tmp_path))

    assert ScrapeRun.objects.get().status == "succeeded"
    assert Position.objects.count() == 3
    assert Listing.objects.filter(source=source).count() == 3


def test_record_a_single_url(server, tmp_path):
    server.page("/phd/1", "<html><h1>One advert</h1></html>")

    call_command("record", server.url("/phd/1"), "--out", str(tmp_path))

    entry = json.loads((tmp_path / "index.json").read_text())[server.url("/phd/1")]
    assert entry["status"] == 200 and entry["content_type"].startswith("text/html")
    assert "One advert" in (tmp_path / entry["file"]).read_text()


def test_setup_schedules_declares_the_periodic_jobs_once():
    call_command("setup_schedules")
    call_command("setup_schedules")

    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert tasks["Start the sources that are due"] == "scrapers.tasks.start_due_sources"
    assert tasks["Close expired and unlisted positions"] == "scrapers.tasks.close_expired_positions"
    assert PeriodicTask.objects.filter(name__in=list(tasks)).count() == len(tasks)


def test_scrape_refuses_a_replay_folder_without_an_index(tmp_path):
    SourceFactory()

    with pytest.raises(CommandError, match=r"has no index\.json"):
        call_command("scrape", "--all", "--replay", str(tmp_path))
