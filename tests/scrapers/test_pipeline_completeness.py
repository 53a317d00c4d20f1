"""Auto-publish trusts a source, not a thin advert: through the whole pipeline, a new
position below the completeness threshold (the source's, else the site's) goes to review."""

from __future__ import annotations

import pytest

from positions.curation import position_review_reasons, review_queue_condition
from positions.models import Position
from scrapers import pipeline
from tests.scrapers.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _scrape(site, **source_fields) -> list[Position]:
    source = SourceFactory(start_url=site.start_url, auto_publish=True, **source_fields)
    pipeline.scrape_source(source.pk, trigger="manual")
    return list(Position.objects.filter(listings__source=source).order_by("title"))


def _only_published_if_complete(positions: list[Position], threshold: int) -> None:
    for position in positions:
        complete = position.completeness >= threshold
        assert position.moderation == ("published" if complete else "pending"), position


def test_a_thin_advert_from_an_auto_publishing_source_waits_for_review(site, settings):
    settings.AUTO_PUBLISH_MIN_COMPLETENESS = 90

    positions = _scrape(site)

    assert len(positions) == 3
    for position in positions:
        assert position.completeness < 90
        assert position.moderation == Position.Moderation.PENDING
        assert Position.objects.filter(review_queue_condition(), pk=position.pk).exists()
        reasons = position_review_reasons(position)
        assert reasons[0] == f"incomplete ({position.completeness}% < 90% to auto-publish)"
    assert not Position.objects.filter(moderation="published").exists()


def test_the_sources_own_threshold_wins_over_the_sites(site, settings):
    settings.AUTO_PUBLISH_MIN_COMPLETENESS = 90

    positions = _scrape(site, review_below_completeness=0)

    assert {position.moderation for position in positions} == {"published"}
    assert not Position.objects.filter(review_queue_condition()).exists()


def test_a_threshold_between_the_adverts_sorts_them(site, settings):
    site.adverts[2].deadline = "rolling, until filled"
    site.add(4, deadline="no date given")
    settings.AUTO_PUBLISH_MIN_COMPLETENESS = 0
    first = _scrape(site, name="lenient")
    cut = max(position.completeness for position in first)
    assert cut > 0

    Position.objects.all().delete()
    positions = _scrape(site, name="strict", review_below_completeness=cut)

    _only_published_if_complete(positions, cut)
    assert {position.moderation for position in positions} == {"published", "pending"}


def test_a_source_that_does_not_auto_publish_queues_everything_whatever_the_threshold(site):
    source = SourceFactory(
        start_url=site.start_url, auto_publish=False, review_below_completeness=0
    )
    pipeline.scrape_source(source.pk, trigger="manual")

    assert set(Position.objects.values_list("moderation", flat=True)) == {"pending"}
