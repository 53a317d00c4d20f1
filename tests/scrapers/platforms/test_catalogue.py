"""The shipped catalogue of real sources and `manage.py sources_catalogue`."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scrapers import get_adapter
from scrapers.catalogue import CatalogueError, load
from scrapers.models import Source
from scrapers.platforms import detect

pytestmark = pytest.mark.django_db


def test_the_catalogue_has_40_real_endpoints_in_8_countries_on_the_platforms():
    entries = load()
    assert len(entries) >= 40
    assert len({entry.country for entry in entries}) >= 8
    for entry in entries:
        get_adapter(entry.adapter)  # a registered adapter
        assert not urlsplit(entry.start_url).hostname.endswith(".example"), entry.key
    # Every platform is represented, and an entry's URL names its own platform where the
    # platform has its own hosts (a university page embedding Varbi data does not).
    assert {entry.adapter for entry in entries} >= {
        "varbi", "reachmee", "successfactors", "workday", "jobbnorge", "euraxess",
        "jobs_ac_uk", "findaphd", "academictransfer", "academicpositions",
    }  # fmt: skip
    for entry in entries:
        assert detect(entry.start_url) in (entry.adapter, None), entry.key


def test_nothing_in_the_catalogue_is_a_source_until_enabled():
    call_command("sources_catalogue", verbosity=0)
    assert not Source.objects.exists()


def test_listing_shows_every_entry_and_its_state(capsys):
    call_command("sources_catalogue", "--country", "se", "--platform", "varbi")
    out = capsys.readouterr().out
    assert "varbi-kth " in out and "not registered" in out
    assert "reachmee-chalmers" not in out and "workday-uq" not in out


def test_enable_registers_chosen_entries_and_disable_keeps_them(capsys):
    call_command("sources_catalogue", "--enable", "varbi-kth", "workday-uq")
    kth = Source.objects.get(start_url="https://kth.varbi.com/en/")
    uq = Source.objects.get(adapter="workday")
    assert kth.enabled and kth.adapter == "varbi"
    assert uq.options == {"search_text": "PhD"}
    call_command("sources_catalogue", "--enable", "varbi-kth")  # again: nothing new
    assert Source.objects.count() == 2
    call_command("sources_catalogue", "--disable", "varbi-kth")
    kth.refresh_from_db()
    assert not kth.enabled
    capsys.readouterr()
    call_command("sources_catalogue", "--json", "--platform", "varbi")
    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["varbi-kth"]["state"] == "disabled"
    assert rows["varbi-su"]["state"] == "not registered"


def test_register_adds_the_chosen_entries_disabled():
    call_command("sources_catalogue", "--register", "--country", "NO", verbosity=0)
    assert list(Source.objects.values_list("adapter", "enabled")) == [("jobbnorge", False)]


def test_an_unknown_key_is_a_clear_error_and_changes_nothing():
    with pytest.raises(CommandError, match="no catalogue entry 'nope'"):
        call_command("sources_catalogue", "--enable", "varbi-kth", "nope")
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "cannot read"),
        ('{"sources": {}}', "no list of sources"),
        ('{"sources": [{"key": "a"}]}', "lacks name"),
        (
            '{"sources": [{"key": "a", "name": "A", "country": "SE", "adapter": "nope",'
            ' "start_url": "https://a.se/"}]}',
            "unknown adapter",
        ),
        (
            '{"sources": [{"key": "a", "name": "A", "country": "SE", "adapter": "varbi",'
            ' "start_url": "http://a.se/"}]}',
            "https://",
        ),
    ],
)
def test_a_broken_catalogue_says_what_is_wrong(tmp_path, document, message):
    path = tmp_path / "sources.json"
    path.write_text(document)
    with pytest.raises(CatalogueError, match=message):
        load(path)
