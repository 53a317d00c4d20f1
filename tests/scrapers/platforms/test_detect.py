"""scrapers.platforms.detect: the platform of a URL, or of a page whose URL says nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scrapers import ADAPTERS
from scrapers.platforms import _detect, detect, detect_url, platform_names

_ROOT = Path(__file__).resolve().parents[3]
# ../shared next to the main work tree (a helper's worktree sits one level deeper).
SHARED_LISTINGS = next(
    (
        path / "shared" / "listings"
        for path in (_ROOT.parent, _ROOT.parent.parent)
        if (path / "shared" / "listings").is_dir()
    ),
    _ROOT.parent / "shared" / "listings",
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://kth.varbi.com/en/what:job/jobID:954097/", "varbi"),
        ("https://su.varbi.com/en/what:findjob/?showresult=1", "varbi"),
        ("https://api.varbi.com/v1/jobs?limit=100&offset=0", "varbi"),
        ("https://web103.reachmee.com/ext/I003/304/main?site=5&lang=UK", "reachmee"),
        ("https://uni.wd3.myworkdayjobs.com/en-US/Careers", "workday"),
        ("https://uni.wd3.myworkdayjobs.com/wday/cxs/uni/Careers/jobs", "workday"),
        ("https://www.jobbnorge.no/en/available-jobs/employer/40", "jobbnorge"),
        ("https://euraxess.ec.europa.eu/jobs/search?page=2", "euraxess"),
        ("https://euraxess.ec.europa.eu/jobs/415163", "euraxess"),
        ("https://www.jobs.ac.uk/search/?keywords=phd", "jobs_ac_uk"),
        ("https://www.jobs.ac.uk/feeds/subject-areas/computer-sciences", "jobs_ac_uk"),
        ("https://www.findaphd.com/phds/computer-science/", "findaphd"),
        ("https://www.academictransfer.com/en/jobs/?vacancy_type=phd", "academictransfer"),
        ("https://academicpositions.com/jobs/position/phd", "academicpositions"),
        ("https://career5.successfactors.eu/career?company=uni", "successfactors"),
        ("HTTPS://KTH.VARBI.COM./en/", "varbi"),
    ],
)
def test_a_platform_url_names_its_adapter(url, expected):
    assert detect_url(url) == expected
    assert _detect(url, None) == expected
    assert detect(url) == (expected if expected in ADAPTERS else None)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.kth.se/en/om/work-at-kth/lediga-jobb",
        "https://varbi.com.evil.example/jobs",  # the platform's name inside another host
        "https://notvarbi.com/jobs",
        "https://euraxess.ec.europa.eu/about",  # the board's host, not its job pages
        "not a url",
        "",
        "http://[::1",  # malformed
    ],
)
def test_a_url_of_no_known_platform_is_none(url):
    assert detect_url(url) is None


def test_a_university_page_embedding_varbi_data_is_varbi():
    html = '<script>window.__compressedData__DATA = "%7B%22jobData%22%3A%7B%7D%7D"</script>'
    assert _detect("https://www.uni.example/vacancies", html) == "varbi"


def test_a_university_page_linking_its_adverts_on_an_ats_is_that_ats():
    rows = "".join(
        f'<li><a href="https://uni.varbi.com/en/what:job/jobID:{n}/">Job {n}</a></li>'
        for n in range(5)
    )
    assert _detect("https://www.uni.example/vacancies", f"<ul>{rows}</ul>") == "varbi"
    reachmee = '<a href="https://web103.reachmee.com/ext/I003/304/job?job_id=1">PhD</a>'
    assert _detect("https://www.uni.example/jobs", reachmee) == "reachmee"
    rmk = "".join(f'<a class="jobTitle-link" href="/job/x/{n}/">PhD {n}</a>' for n in range(3))
    assert _detect("https://careers.uni.example/search/", rmk) == "successfactors"


def test_one_stray_link_to_a_board_does_not_name_the_page():
    html = '<p>Also listed on <a href="https://euraxess.ec.europa.eu/jobs/1">EURAXESS</a></p>'
    assert _detect("https://www.uni.example/phd", html) is None
    assert _detect("https://www.uni.example/phd", "<p>nothing here</p>") is None


def test_embedded_data_outweighs_links_to_another_board():
    links = "".join(f'<a href="https://euraxess.ec.europa.eu/jobs/{n}">x</a>' for n in range(9))
    html = links + '<script src="https://api.varbi.com/v1/jobs"></script>'
    assert _detect("https://www.uni.example/", html) == "varbi"


def test_every_detected_name_is_a_registered_adapter_or_none():
    for name in platform_names():
        url = {
            "varbi": "https://x.varbi.com/",
            "euraxess": "https://euraxess.ec.europa.eu/jobs/1",
        }.get(name)
        if url:
            assert _detect(url, None) == name
        assert detect(url or "https://x.example/") in (set(ADAPTERS) | {None})


@pytest.mark.skipif(not SHARED_LISTINGS.is_dir(), reason="../shared/listings is absent")
def test_the_shared_listing_pages_are_detected_from_their_url_or_their_markup():
    found = {}
    for meta_path in sorted(SHARED_LISTINGS.glob("*.json")):
        meta = json.loads(meta_path.read_text("utf-8"))
        html = meta_path.with_suffix(".html").read_text("utf-8", errors="replace")
        found[meta_path.stem] = (
            _detect(meta["url"], html),
            _detect("https://www.uni.example/jobs", html),
        )
    platform_of = {
        "EURAXESS": "euraxess",
        "Varbi": "varbi",
        "ReachMee": "reachmee",
        "SAP SuccessFactors": "successfactors",
    }
    for stem, (by_url, by_markup) in found.items():
        meta = json.loads((SHARED_LISTINGS / f"{stem}.json").read_text("utf-8"))
        expected = next(
            (
                name
                for key, name in platform_of.items()
                if re.match(rf"{key}( |$)", meta["platform"])
            ),
            None,
        )
        if expected is None:
            continue  # a university page fed by an ATS that leaves no marker
        # A university's own page (lu.se) says nothing by its URL; its markup does.
        assert by_url in (expected, None), (stem, meta["url"])
        assert by_markup == expected, stem


def test_the_varbi_api_answer_itself_is_read_as_records_with_its_next_page():
    from scrapers.adapters import varbi
    from scrapers.records import Page

    document = {
        "meta": {"total": 2},
        "links": {"next": "https://api.varbi.com/v1/jobs?limit=1&offset=1"},
        "data": [
            {
                "type": "job",
                "id": "7",
                "attributes": {
                    "translations": {
                        "texts": {"title": "Doctoral student in X", "organization": "U"}
                    },
                    "dates": {"deadline": "2031-02-01T23:59:59+01:00"},
                },
                "links": {"ad_rendered": "https://u.varbi.com/en/what:job/jobID:7/"},
            },
            {"type": "job-category", "id": "1"},
        ],
    }
    page = Page(url="https://api.varbi.com/v1/jobs?limit=1", text=json.dumps(document))
    result = varbi.parse(page, {"follow": False})
    assert [(r.title, r.fields["Application deadline"]) for r in result.records] == [
        ("Doctoral student in X", "2031-02-01T23:59:59+01:00")
    ]
    assert result.follow == ["https://api.varbi.com/v1/jobs?limit=1&offset=1"]
