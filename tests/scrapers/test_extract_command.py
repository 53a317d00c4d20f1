"""`manage.py extract` prints the normalised records of one page and never touches the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "recorded"
ISSUE_KEYS = {
    "title",
    "institution",
    "country",
    "city",
    "deadline",
    "deadline_kind",
    "start_date",
    "duration_months",
    "funding",
    "eligibility",
    "stipend",
    "supervisors",
    "contact_emails",
    "topics",
    "degree",
    "apply_url",
    "url",
    "evidence",
}


def extract(*args: str) -> list[dict]:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return json.loads(out.getvalue())


def test_a_local_html_page_prints_a_json_list_of_records_with_the_issue_keys():
    (record,) = extract(
        str(DEMO / "kth" / "phd-position.html"),
        "--base-url",
        "https://people.kth.example/~pierren/phd-position.html",
        "--today",
        "2020-01-20",
    )
    assert set(record) >= ISSUE_KEYS
    assert record["url"] == "https://people.kth.example/~pierren/phd-position.html"
    assert record["deadline"] == "2020-03-08"
    assert record["evidence"]["deadline"]["snippet"]


def test_the_kind_of_a_local_file_is_detected_from_its_content(tmp_path):
    markdown = tmp_path / "advert.txt"  # the extension says nothing: the content does
    markdown.write_text(
        "---\ntitle: PhD position in topology\n---\n\nThe position is open until filled.\n"
    )
    (record,) = extract(str(markdown), "--base-url", "https://lab.example/phd/")
    assert record["title"] == "PhD position in topology"
    assert record["deadline_kind"] == "rolling"


def test_a_feed_prints_one_record_per_item():
    records = extract(
        str(ROOT / "tests/fixtures/pages/rss-phd-board.xml"),
        "--base-url",
        "https://phd-board.example/feed.xml",
    )
    assert records[0]["url"] == "https://phd-board.example/jobs/2025/11/ub-mathematical-biology/"
    assert len(records) == 3


def test_the_adapter_option_chooses_the_adapter():
    records = extract(
        str(DEMO / "applykite" / "results-page-1.html"),
        "--adapter",
        "aggregator",
        "--base-url",
        "https://www.applykite.example/phd?country=united-kingdom",
    )
    assert records == []  # a results page only queues advert pages


def test_a_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="no such file"):
        extract("/nonexistent/advert.html")


def test_an_unknown_adapter_is_a_clear_error():
    with pytest.raises(CommandError, match="unknown adapter"):
        extract(str(DEMO / "kth" / "phd-position.html"), "--adapter", "nope")


def test_a_page_the_adapter_cannot_read_is_a_clear_error(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>No job posting here</p></body></html>")
    with pytest.raises(CommandError, match="JobPosting"):
        extract(str(page), "--adapter", "jsonld")


def test_an_empty_file_is_a_clear_error(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("")
    with pytest.raises(CommandError, match="empty"):
        extract(str(page))


def test_the_command_exits_non_zero_on_a_bad_page():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "extract", "/nonexistent/advert.html"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "no such file" in done.stderr


def test_a_url_is_fetched_through_the_fetch_layer_from_recorded_pages(settings):
    pytest.importorskip("scrapers.fetch", reason="the fetch layer lands with the scrape branch")
    settings.SCRAPER_REPLAY_DIR = str(DEMO)
    (record,) = extract(
        "https://people.kth.example/~pierren/phd-position.html", "--today", "2020-01-20"
    )
    assert record["institution"] == "KTH Royal Institute of Technology"


def test_a_local_file_in_windows_1252_declared_in_a_meta_tag_is_decoded_right(tmp_path):
    page = tmp_path / "advert.html"
    html = (
        '<html><head><meta charset="windows-1252"><title>x</title></head><body><main>'
        "<h1>PhD position in Zürich</h1><p>Stipend: €2,500 per month. Supervisor: Prof. Jürg Müller.</p>"
        "</main></body></html>"
    )
    page.write_bytes(html.encode("cp1252"))
    (record,) = extract(str(page), "--base-url", "https://u.example/ad")
    assert record["title"] == "PhD position in Zürich"


def test_options_that_are_not_a_json_object_are_a_clear_error():
    with pytest.raises(CommandError, match="--options"):
        extract(str(DEMO / "kth" / "phd-position.html"), "--options", "[1, 2]")


def test_adapter_options_reach_the_adapter():
    records = extract(
        str(DEMO / "kth" / "phd-position.html"),
        "--base-url",
        "https://people.kth.example/~pierren/phd-position.html",
        "--adapter",
        "generic",
        "--options",
        '{"title_selector": "#header .site-name"}',
    )
    assert records[0]["title"] == "Pierre Nyquist"
