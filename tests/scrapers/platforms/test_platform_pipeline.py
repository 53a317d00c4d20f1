"""Every platform adapter through the whole pipeline: its golden pages served from
127.0.0.1 (results page or API answer, the next page, advert pages), parsed, normalised,
stored, and found by the site's search."""

from __future__ import annotations

import json

import pytest

from positions.models import Listing, Position
from scrapers.models import ScrapeRun
from scrapers.pipeline import scrape_source
from tests.factories import SourceFactory
from tests.scrapers.platforms.golden import EXPECTED, SOURCES, ServedPlatform

pytestmark = pytest.mark.django_db

PLATFORMS = {source["adapter"] for source in SOURCES}


def test_every_platform_adapter_has_golden_pages_and_a_pipeline_case():
    from scrapers.platforms import platform_names

    assert set(platform_names()) <= PLATFORMS


@pytest.mark.parametrize("spec", SOURCES, ids=lambda spec: spec["name"])
def test_a_platform_source_is_fetched_parsed_normalised_stored_and_found(spec, server, client):
    served = ServedPlatform.serve(server, spec)
    source = SourceFactory(
        name=spec["name"],
        start_url=served.start_url,
        adapter=spec["adapter"],
        options=spec.get("options", {}),
    )
    run = scrape_source(source.pk)
    expected = EXPECTED[spec["name"]]
    assert run.status == ScrapeRun.Status.SUCCEEDED, (run.message, list(run.errors.values()))
    assert Listing.objects.filter(source=source).count() == expected["count"]
    assert run.failed == 0
    for sample in expected["samples"]:
        position = Position.objects.get(listings__source=source, title=sample["title"])
        assert position.deadline is not None
        assert position.deadline.isoformat() == sample["deadline"], sample["title"]
        assert position.institution, sample["title"]
        # Found by search, as a person would look for it.
        word = sample["title"].split(" in ", 1)[-1].split(" (")[0]
        page = client.get("/", {"q": word, "include_closed": "1"}).content.decode()
        assert sample["title"] in page, word
    if spec["adapter"] == "workday":
        # The careers-site list was asked for by POST, with the offset of each page.
        bodies = [json.loads(posted) for path, posted in server.posted]
        assert [body["offset"] for body in bodies] == sorted({body["offset"] for body in bodies})
        assert len(bodies) >= 2 and all(body["searchText"] == "PhD" for body in bodies)


def test_a_second_run_of_a_platform_source_changes_nothing(server):
    spec = next(s for s in SOURCES if s["adapter"] == "successfactors")
    served = ServedPlatform.serve(server, spec)
    source = SourceFactory(start_url=served.start_url, adapter=spec["adapter"])
    first = scrape_source(source.pk)
    second = scrape_source(source.pk)
    assert first.created == EXPECTED[spec["name"]]["count"]
    assert (second.created, second.updated, second.status) == (0, 0, "succeeded")
