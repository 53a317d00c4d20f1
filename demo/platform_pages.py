"""Pages in each platform's own structure, written for this project (never copied).

Each function renders one kind of page a platform serves (a results page, an API answer,
a feed, an advert page) from `Job` entries, in the markup conventions its adapter reads
(scrapers/adapters/<platform>.py documents them). `demo/build_recorded.py` uses them for
the demo's recorded pages and the tests' golden fixtures.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote


@dataclass
class Job:
    id: int
    title: str
    institution: str
    department: str
    city: str
    country: str
    deadline: dt.date
    published: dt.date
    reference: str
    paragraphs: list[str] = field(default_factory=list)
    supervisor: str = ""
    email: str = ""
    url: str = ""  # the advert page's address on its platform
    slug: str = ""


def _description_html(job: Job) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in job.paragraphs)
    contact = (
        f"<p>For more information contact {escape(job.supervisor)}, "
        f'<a href="mailto:{escape(job.email)}">{escape(job.email)}</a>.</p>'
        if job.supervisor
        else ""
    )
    return f"<h3>Project description</h3>{body}{contact}"


def _page(title: str, body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title>{head}</head>\n<body>\n{body}\n</body></html>\n"
    )


def _nav(site: str) -> str:
    return (
        f'<header class="site-header"><a href="/">{escape(site)}</a>'
        '<nav><a href="/about">About</a> <a href="/contact">Contact</a></nav></header>'
    )


# --- Varbi -----------------------------------------------------------------------------------
def varbi_jsonapi(jobs: list[Job], *, next_url: str | None = None) -> dict[str, object]:
    return {
        "meta": {"limit": 100, "offset": 0, "total": len(jobs)},
        "links": {"first": "https://api.varbi.com/v1/jobs?limit=100&offset=0", "next": next_url},
        "data": [
            {
                "type": "job",
                "id": str(job.id),
                "attributes": {
                    "reference": job.reference,
                    "positions": 1,
                    "translations": {
                        "texts": {
                            "title": job.title,
                            "profession": None,
                            "organization": f"{job.institution}, {job.department}",
                            "placement": job.city,
                        }
                    },
                    "dates": {
                        "published": f"{job.published.isoformat()}T00:00:00+01:00",
                        "deadline": f"{job.deadline.isoformat()}T23:59:59+01:00",
                    },
                    "location": [{"country": job.country[:2].upper(), "unspecified": False}],
                },
                "links": {
                    "self": f"https://api.varbi.com/v1/jobs/{job.id}",
                    "ad_rendered": job.url,
                },
            }
            for job in jobs
        ],
    }


def varbi_embedded_page(site: str, jobs: list[Job]) -> str:
    data = {"lang": "en", "jobData": varbi_jsonapi(jobs), "jobCategories": []}
    encoded = quote(json.dumps(data, separators=(",", ":")), safe="")
    body = (
        f"{_nav(site)}<main><h1>Vacancies at {escape(site)}</h1>"
        '<p>Open positions are loaded below.</p><div id="vacancies-app"></div>'
        f'<script>window.__compressedData__DATA = "{encoded}"</script></main>'
    )
    return _page(f"Vacancies at {site}", body)


def varbi_table(site: str, jobs: list[Job]) -> str:
    rows = "".join(
        "<tr>"
        f'<td class="pos-title"><a href="{escape(job.url)}">{escape(job.title)}</a></td>'
        f'<td class="pos-desc"><a href="{escape(job.url)}">Temporary position</a></td>'
        f'<td class="pos-desc"><a href="{escape(job.url)}">{escape(job.department)}</a></td>'
        f'<td class="pos-refnr"><a href="{escape(job.url)}">{escape(job.reference)}</a></td>'
        f'<td class="pos-ends"><a href="{escape(job.url)}">{job.deadline.isoformat()}</a></td>'
        "</tr>"
        for job in jobs
    )
    body = (
        f"{_nav(site)}<main><h1>Available jobs</h1><table class='table'><thead><tr>"
        "<th>Title</th><th>Type</th><th>Department</th><th>Reference</th><th>Last day</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></main>"
    )
    return _page(f"Available jobs - {site}", body)


def _varbi_date(day: dt.date) -> str:
    return day.strftime("%d.%b.%Y")


def varbi_advert(job: Job) -> str:
    facts = [
        ("Type of employment", "Temporary position"),
        ("Contract type", "Full time"),
        ("City", job.city),
        ("Country", job.country),
        ("Reference number", job.reference),
        ("Contact", f"{job.supervisor}, {job.email}"),
        ("Published", _varbi_date(job.published)),
        ("Last application date", _varbi_date(job.deadline)),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    body = (
        '<div class="content-wrap"><div class="page-header clearfix">'
        f'<h1 class="pull-left">{escape(job.title)}</h1>'
        f'<a class="btn btn-apply" href="{escape(job.url)}apply:1/">Login and apply</a></div>'
        f'<h2 class="org-desc">{escape(job.institution)}, {escape(job.department)}</h2>'
        f'<div class="job-desc mb">{_description_html(job)}</div>'
        f'<table class="table quick-info"><tbody>{rows}</tbody></table></div>'
    )
    return _page(job.title, body)


# --- ReachMee ----------------------------------------------------------------------------------
def reachmee_list(site: str, jobs: list[Job]) -> str:
    rows = "".join(
        f'<tr><td>{escape(job.reference)}</td><td><a class="btn btn-link" '
        f'href="{escape(job.url)}">{escape(job.title)}</a></td><td>'
        '<span class="show-mobile">Application deadline:</span> '
        f"{job.deadline.isoformat()}</td></tr>"
        for job in jobs
    )
    body = (
        f'<div class="container"><h2>Vacancies at {escape(site)}</h2><table id="jobsTable">'
        "<thead><tr><th>Ref</th><th>Title</th><th>Application deadline</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div>"
    )
    return _page(f"{site} - vacancies", body)


def reachmee_advert(job: Job) -> str:
    body = (
        f'<div class="rm-job"><h1>{escape(job.title)}</h1>'
        f"<p><strong>{escape(job.institution)}</strong>, {escape(job.department)}, "
        f"{escape(job.city)}, {escape(job.country)}</p>{_description_html(job)}"
        '<div class="rm-facts">'
        f"<div><span>Reference number</span><span>{escape(job.reference)}</span></div>"
        f"<div><span>Application deadline</span><span>{job.deadline.isoformat()}</span></div>"
        f'</div><a href="{escape(job.url)}&amp;apply=1">Apply</a></div>'
    )
    return _page(job.title, body)


# --- SAP SuccessFactors ---------------------------------------------------------------------------
def sf_list(site: str, jobs: list[Job], *, next_url: str | None) -> str:
    def link(job: Job) -> str:
        return f'<a class="jobTitle-link" href="{escape(job.url)}">{escape(job.title)}</a>'

    rows = "".join(
        '<tr class="data-row">'
        f'<td class="colTitle"><span class="jobTitle hidden-phone">{link(job)}</span>'
        f'<div class="visible-phone"><span class="jobTitle">{link(job)}</span></div></td>'
        f'<td class="colFacility"><span class="jobFacility">{escape(job.department)}</span></td>'
        f'<td class="colShifttype"><span>{job.deadline.strftime("%d %b %Y")}</span></td></tr>'
        for job in jobs
    )
    pager = (
        f'<ul class="pagination"><li><a class="paginationItemNext" title="Next Page" '
        f'href="{escape(next_url)}">&gt;</a></li></ul>'
        if next_url
        else '<ul class="pagination"><li class="active">2</li></ul>'
    )
    body = (
        f'{_nav(site)}<div id="content" data-careersite="{escape(site)}"><table id="searchresults">'
        f"<tbody>{rows}</tbody></table>{pager}</div>"
    )
    return _page(f"{site} - All jobs", body)


def sf_advert(job: Job) -> str:
    head = (
        f'<meta itemprop="datePosted" content="{job.published.isoformat()}">'
        f'<meta itemprop="validThrough" content="{job.deadline.isoformat()}">'
        f'<meta itemprop="hiringOrganization" content="{escape(job.institution)}">'
    )
    body = (
        f'{_nav(job.institution)}<div class="jobDisplay" itemscope itemtype="http://schema.org/JobPosting">'
        f'<h1><span itemprop="title" data-careersite-propertyid="title">{escape(job.title)}</span></h1>'
        f'<span class="jobdescription" itemprop="description">{_description_html(job)}'
        f"<p>Faculty/Department: {escape(job.department)}</p>"
        f"<p>Please apply no later than {job.deadline.strftime('%d %B %Y')}.</p></span>"
        f'<p class="jobLocation">{escape(job.city)}, {escape(job.country)}</p></div>'
    )
    return _page(job.title, body, head)


# --- Workday ------------------------------------------------------------------------------------
def workday_list(jobs: list[Job], total: int) -> dict[str, object]:
    return {
        "total": total,
        "jobPostings": [
            {
                "title": job.title,
                "externalPath": f"/job/{quote(job.city)}/{job.slug}_{job.reference}",
                "locationsText": job.city,
                "postedOn": "Posted 30+ Days Ago",
                "bulletFields": [job.reference],
            }
            for job in jobs
        ],
    }


def workday_job(job: Job, site_root: str) -> dict[str, object]:
    return {
        "jobPostingInfo": {
            "id": str(job.id),
            "title": job.title,
            "jobDescription": _description_html(job)
            + f"<p>Closing date: {job.deadline.strftime('%d %B %Y')}</p>",
            "location": f"{job.city}, {job.country}",
            "postedOn": "Posted 30+ Days Ago",
            "startDate": job.published.isoformat(),
            "timeType": "Full time",
            "jobReqId": job.reference,
            "externalUrl": f"{site_root}/job/{quote(job.city)}/{job.slug}_{job.reference}",
            "country": {"descriptor": job.country},
        },
        "hiringOrganization": {"name": job.institution},
    }


# --- Jobbnorge ----------------------------------------------------------------------------------
def jobbnorge_api(jobs: list[Job], total: int) -> dict[str, object]:
    return {
        "jobs": [
            {
                "id": job.id,
                "title": job.title,
                "employer": job.institution,
                "department": job.department,
                "summary": _description_html(job),
                "link": job.url,
                "publicationDate": f"{job.published.isoformat()}T08:00:00",
                "deadline": f"{job.deadline.isoformat()}T23:59:00",
                "jobScope": "Full-time",
                "positionCount": 1,
                "locations": [{"municipality": job.city, "area": job.city, "isPrimary": True}],
            }
            for job in jobs
        ],
        "meta": {"jobCountTotal": total, "employerCountTotal": 1},
    }


def jobbnorge_advert(job: Job) -> str:
    facts = "".join(
        f"<li><span>{escape(k)}</span><span>{escape(v)}</span></li>"
        for k, v in (
            ("Employer", job.institution),
            ("Location", f"{job.city}, {job.country}"),
            ("Deadline", job.deadline.strftime("%d %B %Y")),
        )
    )
    body = (
        f'{_nav("Jobbnorge")}<main><h1>{escape(job.title)}</h1><ul class="facts">{facts}</ul>'
        f"{_description_html(job)}</main>"
    )
    return _page(job.title, body)


# --- EURAXESS -----------------------------------------------------------------------------------
def euraxess_search(jobs: list[Job], *, next_url: str | None) -> str:
    items = "".join(
        '<article class="ecl-content-item"><div class="ecl-content-block">'
        f'<h3 class="ecl-content-block__title"><a href="{escape(job.url)}">{escape(job.title)}</a></h3>'
        f"<div>{escape(job.institution)}</div><div class='id-Application-Deadline'>"
        f'Application Deadline: <time datetime="{job.deadline.isoformat()}T23:00:00Z">'
        f"{job.deadline.strftime('%d %b %Y')}</time></div></div></article>"
        for job in jobs
    )
    pager = (
        '<nav class="ecl-pagination"><ul><li class="ecl-pagination__item ecl-pagination__item--next">'
        f'<a class="ecl-link" href="{escape(next_url)}">Next</a></li></ul></nav>'
        if next_url
        else '<nav class="ecl-pagination"><ul><li class="ecl-pagination__item">2</li></ul></nav>'
    )
    body = (
        f'{_nav("EURAXESS")}<main><h1 class="ecl-page-header__title">Job offers</h1>'
        f'<div class="ecl-u-mb-l">{len(jobs)} offers</div>{items}{pager}</main>'
    )
    return _page("Jobs and Career Opportunities in Europe | EURAXESS", body)


def euraxess_advert(job: Job) -> str:
    facts = [
        ("Organisation/Company", job.institution),
        ("Department", job.department),
        ("Research Field", "Engineering"),
        ("Researcher Profile", "First Stage Researcher (R1)"),
        ("Country", job.country),
        ("Application Deadline", f"{job.deadline.strftime('%d %b %Y')} - 23:59 (Europe/Brussels)"),
        ("Type of Contract", "Temporary"),
        ("Offer Starting Date", job.published.strftime("%d %b %Y")),
    ]
    pairs = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    body = (
        f'{_nav("EURAXESS")}<main><h1 class="ecl-page-header__title">Job offer</h1>'
        f'<article><h1 class="ecl-content-block__title">{escape(job.title)}</h1></article>'
        f'<dl class="ecl-description-list">{pairs}</dl><h2>Offer Description</h2>'
        f"{_description_html(job)}</main>"
    )
    return _page("Jobs and Career Opportunities in Europe | EURAXESS", body)


# --- RSS (jobs.ac.uk, FindAPhD) -----------------------------------------------------------------
def rss(channel: str, link: str, jobs: list[Job]) -> str:
    items = "".join(
        f"<item><title>{escape(job.title)}</title><link>{escape(job.url)}</link>"
        f"<guid>{escape(job.url)}</guid>"
        f"<description>{escape(job.institution + ' - ' + job.department + '. ')}"
        f"{escape(' '.join(job.paragraphs))} Location: {escape(job.city)}, "
        f"{escape(job.country)}. Closing date: {job.deadline.strftime('%d %B %Y')}.</description>"
        f"<pubDate>{job.published.strftime('%a, %d %b %Y')} 09:00:00 +0000</pubDate></item>"
        for job in jobs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(channel)}</title><link>{escape(link)}</link>"
        f"<description>{escape(channel)}</description>{items}</channel></rss>\n"
    )


def jobs_ac_uk_advert(job: Job) -> str:
    facts = "".join(
        f'<div class="j-advert-details__row"><div>{escape(k)}:</div><div>{escape(v)}</div></div>'
        for k, v in (
            ("Location", f"{job.city}, {job.country}"),
            ("Closes", job.deadline.strftime("%d %B %Y")),
            ("Job Ref", job.reference),
            ("Placed On", job.published.strftime("%d %B %Y")),
        )
    )
    body = (
        f"{_nav('jobs.ac.uk')}<main><h1>{escape(job.title)}</h1><h3>{escape(job.institution)}"
        f'</h3><div class="j-advert-details">{facts}</div><div id="job-description">'
        f"{_description_html(job)}</div></main>"
    )
    return _page(job.title, body)


def findaphd_search(jobs: list[Job], *, next_url: str | None) -> str:
    rows = "".join(
        f'<div class="resultsRow"><h3><a href="{escape(job.url)}">{escape(job.title)}</a></h3>'
        f"<div>{escape(job.institution)} - {escape(job.department)}</div>"
        f"<div>Deadline: {job.deadline.strftime('%d %B %Y')}</div></div>"
        for job in jobs
    )
    pager = f'<a rel="next" href="{escape(next_url)}">Next</a>' if next_url else ""
    body = f'{_nav("FindAPhD")}<main><h1>PhD Projects</h1>{rows}<div class="pager">{pager}</div></main>'
    return _page("PhD Projects | FindAPhD", body)


def findaphd_project(job: Job) -> str:
    facts = "".join(
        f'<div class="key-info"><span>{escape(k)}</span><span>{escape(v)}</span></div>'
        for k, v in (
            ("Application Deadline", job.deadline.strftime("%d %B %Y")),
            ("Funding Type", "Funded PhD Project (Students Worldwide)"),
            ("Supervisor", job.supervisor),
        )
    )
    body = (
        f"{_nav('FindAPhD')}<main><h1>{escape(job.title)}</h1><h2>{escape(job.institution)}"
        f" - {escape(job.department)}</h2><aside>{facts}</aside>"
        f'<div class="phd-description">{_description_html(job)}<p>Location: '
        f"{escape(job.city)}, {escape(job.country)}</p></div></main>"
    )
    return _page(job.title, body)


# --- AcademicTransfer, Academic Positions (cards + JSON-LD advert pages) -----------------------
def cards(site: str, heading: str, jobs: list[Job], *, next_url: str | None = None) -> str:
    items = "".join(
        f'<li><article><h3><a href="{escape(job.url)}">{escape(job.title)}</a></h3>'
        f"<p>{escape(job.institution)} &middot; {escape(job.city)}</p>"
        f"<p>Apply before {job.deadline.strftime('%d %b %Y')}</p></article></li>"
        for job in jobs
    )
    pager = f'<a rel="next" href="{escape(next_url)}">Next page</a>' if next_url else ""
    body = f"{_nav(site)}<main><h1>{escape(heading)}</h1><ul class='results'>{items}</ul>{pager}</main>"
    return _page(f"{heading} | {site}", body)


def jsonld_advert(job: Job, site: str) -> str:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": job.title,
        "datePosted": job.published.isoformat(),
        "validThrough": f"{job.deadline.isoformat()}T23:59:00",
        "hiringOrganization": {"@type": "Organization", "name": job.institution},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": job.city,
                "addressCountry": job.country,
            },
        },
        "description": _description_html(job),
        "url": job.url,
    }
    script = json.dumps(posting, indent=1).replace("</", "<\\/")
    head = f'<script type="application/ld+json">{script}</script>'
    facts = "".join(
        f"<div><span>{escape(k)}</span><span>{escape(v)}</span></div>"
        for k, v in (
            ("Employer", job.institution),
            ("Location", f"{job.city}, {job.country}"),
            ("Application deadline", job.deadline.strftime("%d %B %Y")),
        )
    )
    body = (
        f"{_nav(site)}<main><h1>{escape(job.title)}</h1><section class='facts'>{facts}</section>"
        f"{_description_html(job)}</main>"
    )
    return _page(f"{job.title} | {site}", body, head)
