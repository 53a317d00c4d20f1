"""The admin's "Add from a URL": detect, preview, then create in one click; nothing is written
before the click, and a private address, an unreachable page or a page with nothing on it is
said on the page (never a 500)."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry

from scrapers.models import Source
from tests.factories import UserFactory, make_superuser
from tests.scrapers.onboarding_sites import serving_sites

pytestmark = pytest.mark.django_db
URL = "/admin/scrapers/source/add-from-url/"


@pytest.fixture
def site(settings):
    yield from serving_sites(settings)


@pytest.fixture
def admin(client):
    client.force_login(make_superuser())
    return client


def test_the_sources_list_links_to_it_and_it_asks_for_a_url(admin):
    assert URL in admin.get("/admin/scrapers/source/").content.decode()
    page = admin.get(URL)
    assert page.status_code == 200
    assert 'name="url"' in page.content.decode()


def test_detect_fills_the_source_and_previews_it_writing_nothing(admin, site):
    response = admin.post(URL, {"action": "detect", "url": site.url("/vacancies")})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["adapter"] == "generic"
    assert form.initial["start_url"] == site.url("/vacancies")
    assert form.initial["enabled"] is False
    preview = response.context["preview"]
    assert preview.summary == (
        "results page: 6 advert links (4 followed), next page "
        f"{site.url('/vacancies?page=2')}; 4 records"
    )
    deadlines = sorted(record.data["deadline"] for record in preview.records)
    assert deadlines == ["2031-03-15", "2031-04-01", "2031-04-20", "2031-05-10"]
    assert Source.objects.count() == 0


def test_create_saves_the_values_shown_disabled_or_enabled_as_chosen(admin, site):
    values = {
        "url": site.url("/careers"),
        "name": "Northmoor University (Workday)",
        "start_url": site.url("/External"),
        "adapter": "workday",
        "options": json.dumps({"search_text": "PhD", "tenant": "northmoor"}),
        "auto_publish": "on",
    }
    response = admin.post(URL, {**values, "action": "create"})

    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/scrapers/source/{source.pk}/change/"
    assert (source.adapter, source.start_url, source.enabled) == (
        "workday",
        values["start_url"],
        False,
    )
    assert source.options == {"search_text": "PhD", "tenant": "northmoor"}
    assert LogEntry.objects.filter(object_id=str(source.pk)).exists()

    admin.post(URL, {**values, "name": "Northmoor (enabled)", "enabled": "on", "action": "create"})
    assert Source.objects.get(name="Northmoor (enabled)").enabled is True


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://10.1.2.3/jobs", "Refused"),
        ("http://169.254.169.254/latest/meta-data/", "Refused"),
        ("https://no-such-host.invalid/jobs", "cannot be reached"),
        ("javascript:alert(1)", "http"),
    ],
)
def test_a_refused_or_unreachable_address_is_said_and_offers_nothing_to_create(
    admin, site, url, said
):
    response = admin.post(URL, {"action": "detect", "url": url})

    assert response.status_code == 200
    assert said in " ".join(response.context["suggestion"].errors)
    assert response.context["form"] is None
    assert 'id="detect-errors"' in response.content.decode()


def test_a_page_that_cannot_be_fetched_or_holds_nothing_says_so(admin, site):
    site.page("/broken", "server error", status=500)
    broken = admin.post(URL, {"action": "detect", "url": site.url("/broken")})
    assert broken.status_code == 200
    assert "could not be fetched" in broken.content.decode()

    empty = admin.post(URL, {"action": "detect", "url": site.url("/about")})
    assert empty.status_code == 200
    assert "Nothing found" in " ".join(empty.context["preview"].errors)


def test_edited_values_are_previewed_again_and_bad_ones_refused_without_saving(admin, site):
    base = {"url": site.url("/vacancies"), "name": "Northmoor", "adapter": "generic"}
    again = admin.post(
        URL,
        {
            **base,
            "start_url": site.url("/vacancies"),
            "options": '{"doctoral_only": false}',
            "action": "preview",
        },
    )
    assert again.status_code == 200
    assert again.context["preview"].summary.startswith("results page: 6 advert links (6 followed)")

    bad_json = admin.post(
        URL, {**base, "start_url": site.url("/vacancies"), "options": "{nope", "action": "preview"}
    )
    assert bad_json.status_code == 200
    assert "not valid JSON" in bad_json.context["preview"].errors[0]

    for options, start_url in (("[1, 2]", site.url("/vacancies")), ("{}", "http://10.0.0.1/")):
        refused = admin.post(
            URL, {**base, "start_url": start_url, "options": options, "action": "create"}
        )
        assert refused.status_code == 200
        assert refused.context["form"].errors
    assert Source.objects.count() == 0


def test_only_those_who_may_add_sources_reach_it(client):
    client.force_login(UserFactory(username="viewer", is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "create", "name": "x"}).status_code == 403
    assert Source.objects.count() == 0
