"""The admin's home page: what needs attention, with links into the filtered lists; the
curation models first, the plumbing under "System" for superusers only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import (
    ListingFactory,
    PositionFactory,
    ScrapeRunFactory,
    SourceFactory,
    make_curator,
    make_superuser,
)

pytestmark = pytest.mark.django_db


def _figure(page: str, label: str) -> tuple[int, str]:
    match = re.search(
        r'<a href="([^"]+)"><span class="figure-count">(\d+)</span> <span class="figure-label">'
        + re.escape(label),
        page,
    )
    assert match, f"no figure {label!r}"
    return int(match[2]), match[1].replace("&amp;", "&")


def _old_source(**fields):
    source = SourceFactory(**fields)
    type(source).objects.filter(pk=source.pk).update(
        created_at=timezone.now() - dt.timedelta(days=60)
    )
    return source


def test_the_home_page_counts_what_needs_attention_and_links_to_each_list(client):
    today = timezone.localdate()
    PositionFactory.create_batch(2, moderation="pending", reviewed_at=None)
    closing = PositionFactory(
        moderation="published", reviewed_at=timezone.now(), deadline=today + dt.timedelta(3)
    )
    PositionFactory(  # closes later: not this week
        moderation="published", reviewed_at=timezone.now(), deadline=today + dt.timedelta(20)
    )
    failing = _old_source(name="Failing board", health="failing", consecutive_failures=4)
    ScrapeRunFactory(source=failing, status="failed")
    recovered = SourceFactory(name="Recovered board")
    ScrapeRunFactory(source=recovered, status="failed", started_at=timezone.now() - dt.timedelta(1))
    ScrapeRunFactory(source=recovered, status="succeeded")
    silent = _old_source(name="Silent board")
    ListingFactory(source=silent, position=closing, first_seen=timezone.now() - dt.timedelta(40))
    lively = _old_source(name="Lively board")
    ListingFactory(source=lively, position=closing)
    client.force_login(make_superuser())

    page = client.get("/admin/").content.decode()

    queue, queue_url = _figure(page, "waiting for review")
    assert queue == 2 and queue_url == "/admin/positions/reviewqueueposition/"
    week, week_url = _figure(page, "published positions closing this week")
    assert week == 1
    listed = client.get(week_url).content.decode()
    assert closing.title in listed and listed.count('class="field-title"') >= 1
    assert client.get(week_url).context["cl"].result_count == 1
    for label, expected in [
        ("sources failing", {"Failing board"}),
        ("sources whose last run failed", {"Failing board"}),
        ("sources silent", {"Failing board", "Silent board"}),
    ]:
        count, url = _figure(page, label)
        shown = {source.name for source in client.get(url).context["cl"].result_list}
        assert (count, shown) == (len(expected), expected), label
    assert "Sources in trouble" in page and "Recovered board" in page  # in the last runs
    assert 'href="/admin/scrapers/scraperun/?status__exact=failed"' in page


def test_curation_comes_first_and_the_plumbing_is_grouped_under_system(client):
    client.force_login(make_superuser())
    page = client.get("/admin/").content.decode()
    captions = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", page)
    assert captions[0] == "Positions" and captions[-1] == "System"
    system = page[page.index(">System<") :]
    for name in ("Access attempts", "TOTP devices", "Periodic tasks", "Solar events", "Clocked"):
        assert name in system, name
        assert name not in page[: page.index(">System<")], name
    positions = page[: page.index(">System<")]
    assert positions.index("Review queue") < positions.index("Sources")


def test_a_curator_sees_the_queue_but_no_system_group_and_cannot_open_it(client):
    PositionFactory(moderation="pending", reviewed_at=None)
    client.force_login(make_curator())
    page = client.get("/admin/").content.decode()
    assert _figure(page, "waiting for review")[0] == 1
    assert ">System<" not in page and "sources failing" not in page
    for url in (
        "/admin/axes/accessattempt/",
        "/admin/otp_totp/totpdevice/",
        "/admin/django_celery_beat/solarschedule/",
        "/admin/django_celery_beat/clockedschedule/",
    ):
        assert client.get(url).status_code == 403, url


def test_a_curator_given_a_plumbing_permission_still_cannot_open_it(client):
    from django.contrib.auth.models import Permission

    curator = make_curator("cleo")
    curator.user_permissions.add(Permission.objects.get(codename="view_accessattempt"))
    client.force_login(curator)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
