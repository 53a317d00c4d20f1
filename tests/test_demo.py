"""The quick start's demo, end to end: recorded pages -> fetch -> parse -> normalise -> store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from positions.models import Listing, Position
from scrapers.models import ScrapeRun, Source

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "demo" / "recorded"


@pytest.fixture
def demo(settings):
    settings.SCRAPER_MIN_HOST_DELAY = 0
    call_command("demo_setup", verbosity=0)
    call_command("scrape", "--all", "--replay", str(DEMO), verbosity=0)


def seed(title_part: str) -> Position:
    return Position.objects.get(title__icontains=title_part)


def test_the_demo_stores_the_three_sample_adverts_with_their_normalised_facts(demo):
    southampton = seed("Deep Bilevel Learning")
    assert (southampton.deadline.isoformat(), southampton.deadline_kind) == ("2026-01-09", "fixed")
    assert (southampton.funding, southampton.country) == ("full", "GB")
    assert (southampton.stipend_amount, southampton.stipend_currency) == (20780, "GBP")
    assert southampton.duration_months == 48
    assert "international" in southampton.eligibility
    assert southampton.contradictions, "'Expired' next to a real date is recorded"

    kth = seed("theory of deep learning")
    assert (kth.deadline.isoformat(), kth.funding, kth.country) == ("2020-03-08", "full", "SE")
    assert kth.duration_months == 60 and kth.contract == "employment"

    wias = seed("Optimization and machine learning")  # the place preamble shortened (issue 22)
    assert (wias.deadline, wias.deadline_kind, wias.country) == (None, "rolling", "DE")
    assert wias.teaching_duty is False

    assert all(position.evidence for position in (southampton, kth, wias))


def test_the_demo_aggregator_advert_is_stored_from_its_own_text_not_the_sites_summary(demo):
    southampton = seed("Deep Bilevel Learning")
    assert southampton.description_text.startswith(
        "About this position\n\nThis fully funded PhD position at the University of Southampton"
    )
    assert southampton.description_html.startswith("<h2>About this position</h2>")
    for summary in ("Degree Level", "Field of study", "Top university", "Alain Zemkoho</a>"):
        assert summary not in southampton.description_html


DEMO_SOURCES = json.loads((Path(settings.BASE_DIR) / "demo" / "sources.json").read_text())


def test_the_demo_runs_leave_a_successful_scrape_run_per_source(demo):
    # The three seed sources, and one or more for every platform adapter.
    assert Source.objects.count() == len(DEMO_SOURCES) >= 13
    assert set(ScrapeRun.objects.values_list("status", flat=True)) == {"succeeded"}


def test_the_demo_looks_alive_every_platform_many_positions_most_of_them_open(demo):
    from scrapers.platforms import platform_names

    assert set(platform_names()) <= set(Source.objects.values_list("adapter", flat=True))
    with_positions = Source.objects.filter(listings__isnull=False).distinct().count()
    assert with_positions >= 10
    total = Position.objects.count()
    still_open = Position.objects.filter(deadline__gte=timezone.localdate()).count()
    assert total >= 150
    assert still_open > total / 2, (still_open, total)


def test_the_replayed_demo_moves_recorded_deadlines_with_the_calendar(demo):
    """Pages recorded on a day state deadlines after that day; replayed, they lie ahead of
    today by as much as they lay ahead of the recording day."""
    index = json.loads((DEMO / "index.json").read_text())
    recorded = {entry["recorded_on"] for entry in index.values() if entry.get("recorded_on")}
    assert len(recorded) == 1
    elapsed = (timezone.localdate() - dt.date.fromisoformat(recorded.pop())).days
    nordvik = Source.objects.get(name__startswith="Nordvik University")
    page = (DEMO / index[nordvik.start_url]["file"]).read_text()
    position = Position.objects.filter(listings__source=nordvik).order_by("id").first()
    assert position is not None and position.deadline is not None
    as_recorded = (position.deadline - dt.timedelta(days=elapsed)).isoformat()
    assert as_recorded in unquote(page)


def test_running_the_demo_again_changes_nothing(demo):
    positions, listings = Position.objects.count(), Listing.objects.count()
    call_command("demo_setup", verbosity=0)
    call_command("scrape", "--all", "--replay", str(DEMO), verbosity=0)
    assert (Position.objects.count(), Listing.objects.count()) == (positions, listings)
    assert get_user_model().objects.filter(username="admin").count() == 1
    last_runs = ScrapeRun.objects.order_by("-id")[: len(DEMO_SOURCES)]
    assert [(run.created, run.updated) for run in last_runs] == [(0, 0)] * len(DEMO_SOURCES)


def test_the_site_lists_the_sample_positions(demo, client):
    # With every platform's positions the seeds are no longer all on the first page.
    for title in ("Deep Bilevel Learning", "theory of deep learning", "Weierstrass"):
        page = client.get("/", {"q": title, "include_closed": "1"}).content.decode()
        assert title in page
    assert "Weierstrass" in client.get("/", {"q": "Weierstrass"}).content.decode()


def test_a_sources_adapter_options_reach_its_adapter(settings):
    """The demo aggregator finds its adverts through the CSS selectors in its options."""
    settings.SCRAPER_MIN_HOST_DELAY = 0
    call_command("demo_setup", verbosity=0)
    source = Source.objects.get(adapter="aggregator")
    source.options = {**source.options, "result_link_selector": "a.no-such-link"}
    source.save()
    call_command("scrape", str(source.pk), "--replay", str(DEMO), verbosity=0)
    # Without its result links the adapter follows no advert page.
    assert not source.listings.filter(url__contains="/phd/university-").exists()
