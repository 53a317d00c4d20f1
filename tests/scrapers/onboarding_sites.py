"""Pages a careers office might paste into "Add from a URL", served from 127.0.0.1: a
university's own vacancy table (no known platform, tests/fixtures/listings/uni-vacancies.html)
with its adverts, a careers site on the university's own domain over Workday's API, a
doorway page linking to Varbi and Jobbnorge, and a page with nothing on it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.scrapers.servers import LocalServer

LISTINGS = Path(__file__).resolve().parents[1] / "fixtures" / "listings"
TABLE = (LISTINGS / "uni-vacancies.html").read_text("utf-8")
ADVERT = (
    "<html><head><title>{title}</title></head><body><main><h1>{title}</h1>"
    "<p>Northmoor University invites applications for a four-year doctoral position in a "
    "friendly research group; the position is fully funded.</p>{extra}</main></body></html>"
)
DOCTORAL_ROWS = {
    2101: "PhD student in glacier hydrology",
    2102: "Doctoral student in machine learning for medical imaging",
    2104: "PhD position in Arctic history",
    2106: "PhD candidate in sustainable aquaculture",
}
WORKDAY_SHELL = (
    "<!DOCTYPE html><html><head><title>Careers at Northmoor</title>"
    '<script>window.workday = {{"cxsPath": "/wday/cxs/{tenant}/{site}/", "locale": "en-US"}};'
    "</script></head><body><div id='root'>Loading...</div></body></html>"
)
WORKDAY_JOBS = [
    ("PhD position in Permafrost Modelling", "R-7001", "2031-04-10"),
    ("PhD candidate in Northern Languages", "R-7002", "2031-05-01"),
    ("PhD studentship in Ocean Acoustics", "R-7003", "2031-05-20"),
]
DOORWAY = (
    "<html><head><title>Work with us</title></head><body><main><h1>Work with us</h1>"
    "<p>All our vacancies are published on our recruitment system.</p><ul>"
    "<li><a href='https://northmoor.varbi.com/en/what:job/jobID:501/'>PhD student in "
    "geophysics</a></li><li><a href='https://northmoor.varbi.com/en/what:job/jobID:502/'>"
    "Doctoral student in ecology</a></li></ul>"
    "<p><a href='https://northmoor.varbi.com/en/'>All vacancies</a></p></main></body></html>"
)
JOBBNORGE_DOORWAY = (
    "<html><head><title>Ledige stillinger</title></head><body><main><h1>Ledige stillinger</h1>"
    "<p><a href='https://www.jobbnorge.no/en/available-jobs?employer=1234'>All our vacancies "
    "on Jobbnorge</a></p><ul>"
    "<li><a href='https://www.jobbnorge.no/en/available-jobs/job/3001/phd-fellow'>PhD fellow "
    "in chemistry</a></li><li><a href='https://www.jobbnorge.no/en/available-jobs/job/3002/"
    "phd-fellow'>PhD fellow in physics</a></li></ul></main></body></html>"
)
EMPTY = (
    "<html><head><title>About the university</title></head><body><main><h1>About us</h1>"
    "<p>Northmoor University was founded in 1968 by the shore of the fjord.</p></main>"
    "</body></html>"
)


def serve_university(server: LocalServer) -> None:
    server.page("/vacancies", TABLE)
    for number, title in DOCTORAL_ROWS.items():
        server.page(f"/vacancies/{number}", ADVERT.format(title=title, extra=""))
    server.page("/about", EMPTY)
    server.page("/work-with-us", DOORWAY)
    server.page("/ledige-stillinger", JOBBNORGE_DOORWAY)


def serve_workday(server: LocalServer, tenant: str = "northmoor", site: str = "External") -> None:
    """A careers site on the university's own host: its shell names the tenant and site of
    Workday's API on the same host; the API lists the jobs and answers each one."""
    shell = WORKDAY_SHELL.format(tenant=tenant, site=site)
    server.page("/careers", shell)
    server.page(f"/{site}", shell)
    root = f"/wday/cxs/{tenant}/{site}"
    postings = [
        {
            "title": title,
            "externalPath": f"/job/Northmoor/{ref}",
            "locationsText": "Northmoor",
            "postedOn": "Posted Today",
            "bulletFields": [ref],
        }
        for title, ref, _deadline in WORKDAY_JOBS
    ]
    server.page(
        f"{root}/jobs",
        json.dumps({"total": len(postings), "jobPostings": postings}),
        content_type="application/json",
    )
    for title, ref, deadline in WORKDAY_JOBS:
        server.page(
            f"{root}/job/Northmoor/{ref}",
            json.dumps(_workday_job(title, ref, deadline)),
            content_type="application/json",
        )


def serving_sites(settings: Any) -> Iterator[LocalServer]:
    """A local server with the university's and the Workday site's pages, and the fetch
    settings that let the guarded fetch reach it (the `site` fixture of the onboarding tests)."""
    settings.SCRAPER_REPLAY_DIR = ""
    settings.SCRAPER_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.SCRAPER_MIN_HOST_DELAY = 0
    settings.SCRAPER_MAX_RETRIES = 0
    server = LocalServer().start()
    settings.SCRAPER_ALLOWED_PORTS = [80, 443, server.port]
    serve_university(server)
    serve_workday(server)
    yield server
    server.stop()


def _workday_job(title: str, ref: str, deadline: str) -> dict[str, Any]:
    return {
        "jobPostingInfo": {
            "id": ref,
            "title": title,
            "jobDescription": (
                f"<p>We seek a doctoral student for a funded four-year PhD position: {title}."
                f"</p><p>Application deadline: {deadline}</p>"
            ),
            "location": "Northmoor, Norway",
            "postedOn": "Posted Today",
            "timeType": "Full time",
            "jobReqId": ref,
        },
        "hiringOrganization": {"name": "Northmoor University"},
    }
