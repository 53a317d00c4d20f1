"""Write the demo's recorded pages of every platform adapter (and the tests' golden pages).

    python demo/build_recorded.py            # demo/recorded/platforms/ + index.json + sources.json
    python demo/build_recorded.py --fixtures tests/fixtures/platforms

The positions are invented (fictional universities on `.example` hosts); each platform's
pages follow its real structure (demo/platform_pages.py). Every page is recorded "on"
RECORDED_ON: its index entry says so, and the replay moves its dates by the days since then,
so the demo's deadlines stay ahead of today (scrapers/replay_dates.py). Re-running this
script gives the same files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import platform_pages as pp

RECORDED_ON = dt.date(2026, 2, 1)
# The golden fixtures' own "today": their deadlines lie ahead of it, and of the tests' clock.
FIXTURES_ON = dt.date(2031, 1, 15)
_base = [RECORDED_ON]
DEMO = Path(__file__).resolve().parent
HTML = "text/html; charset=utf-8"
JSON = "application/json; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"

FIELDS = [
    ("Quantum Materials", "Department of Physics"),
    ("Machine Learning for Climate Models", "Department of Computer Science"),
    ("Battery Electrochemistry", "Department of Chemistry"),
    ("Computational Fluid Dynamics", "Department of Mechanical Engineering"),
    ("Synthetic Biology", "Department of Biology"),
    ("Medieval Manuscript Studies", "Faculty of Humanities"),
    ("Urban Hydrology", "Department of Civil Engineering"),
    ("Algebraic Topology", "Department of Mathematics"),
    ("Neuroimaging of Language", "Department of Psychology"),
    ("Power Electronics", "Department of Electrical Engineering"),
    ("Marine Ecology", "Department of Earth Sciences"),
    ("Health Economics", "School of Economics"),
    ("Robot Learning", "Department of Computer Science"),
    ("Catalysis for Green Hydrogen", "Department of Chemical Engineering"),
    ("Immunology of Infection", "Department of Medicine"),
    ("Distributed Systems Security", "Department of Computer Science"),
    ("Soil Microbiology", "Department of Agricultural Sciences"),
    ("Optical Metamaterials", "Department of Physics"),
    ("Migration Sociology", "Department of Sociology"),
    ("Structural Engineering with Timber", "Department of Civil Engineering"),
]
PREFIXES = ["Doctoral student in", "PhD position in", "PhD candidate in", "PhD studentship in"]
SUPERVISORS = ["Anna Lindqvist", "Jonas Berg", "Maria Rossi", "Pieter de Vries", "Sara Haddad",
               "Tomasz Nowak", "Elena García", "Oliver Hughes", "Ingrid Solberg", "Kenji Sato"]  # fmt: skip


def _paragraphs(topic: str, country: str, rng: random.Random) -> list[str]:
    funding = rng.choice(
        [
            "The position is fully funded for four years and includes a salary according to the "
            "university's scale for doctoral students.",
            "This is a fully funded studentship covering tuition fees and a tax-free stipend for "
            "3.5 years.",
            "The doctoral position is a four-year full-time employment with social benefits.",
        ]
    )
    return [
        f"We are looking for a motivated doctoral student to join our research group in {topic}. "
        "You will develop new methods, publish in leading journals and present your work at "
        "international conferences.",
        funding,
        "Applicants must hold a master's degree in a relevant subject. The position is open to "
        f"applicants of all nationalities; the workplace is in {country}.",
    ]


def make_jobs(
    count: int, *, seed: int, institution: str, city: str, country: str,
    url: Callable[[int, str], str], ref: str, closed_every: int = 12,
) -> list[pp.Job]:  # fmt: skip
    rng = random.Random(seed)
    jobs = []
    for index in range(count):
        topic, department = FIELDS[(seed + index * 7) % len(FIELDS)]
        title = f"{PREFIXES[(seed + index) % len(PREFIXES)]} {topic}"
        if index % 5 == 3:
            title += f" ({rng.choice(['funded', 'four years', 'starting autumn'])})"
        days = (
            -rng.randint(3, 20)
            if index % closed_every == closed_every - 1
            else rng.randint(20, 150)
        )
        supervisor = SUPERVISORS[(seed + index) % len(SUPERVISORS)]
        job_id = seed * 1000 + index + 1
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        jobs.append(
            pp.Job(
                id=job_id,
                title=title,
                institution=institution,
                department=department,
                city=city,
                country=country,
                deadline=_base[0] + dt.timedelta(days=days),
                published=_base[0] - dt.timedelta(days=rng.randint(3, 30)),
                reference=f"{ref}-{job_id}",
                paragraphs=_paragraphs(topic, country, rng),
                supervisor=supervisor,
                email=supervisor.split()[0].lower() + "@" + url(job_id, slug).split("/")[2],
                url=url(job_id, slug),
                slug=slug,
            )
        )
    return jobs


EXPECTED: list[dict[str, object]] = []


def _expect(name: str, jobs: list[pp.Job]) -> None:
    """What a reader of these pages must find: the tests' golden answers."""
    samples = [jobs[0], jobs[-1]]
    EXPECTED.append(
        {
            "source": name,
            "count": len(jobs),
            "samples": [
                {"title": j.title, "deadline": j.deadline.isoformat(), "country": j.country}
                for j in samples
            ],
        }
    )


class Recorder:
    def __init__(self, root: Path, prefix: str, recorded_on: dt.date | None):
        self.root, self.prefix, self.recorded_on = root, prefix, recorded_on
        self.index: dict[str, dict[str, object]] = {}

    def add(self, url: str, path: str, body: str | dict[str, object], content_type: str) -> None:
        text = (
            body if isinstance(body, str) else json.dumps(body, indent=1, ensure_ascii=False) + "\n"
        )
        target = self.root / self.prefix / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        entry: dict[str, object] = {
            "file": f"{self.prefix}/{path}",
            "status": 200,
            "content_type": content_type,
        }
        if self.recorded_on:
            entry["recorded_on"] = self.recorded_on.isoformat()
        self.index[url] = entry


def record_all(rec: Recorder, scale: float = 1.0) -> list[dict[str, object]]:
    """Every platform's pages; returns the demo sources that start at them."""
    n = lambda count: max(3, round(count * scale))  # noqa: E731
    sources: list[dict[str, object]] = []

    def add_source(jobs: list[pp.Job], spec: dict[str, object]) -> None:
        spec.setdefault("options", {})
        sources.append(spec)
        _expect(str(spec["name"]), jobs)

    _record_varbi_embedded(rec, n, add_source)
    _record_varbi(rec, n, add_source)
    _record_reachmee(rec, n, add_source)
    _record_successfactors(rec, n, add_source)
    _record_workday(rec, n, add_source)
    _record_jobbnorge(rec, n, add_source)
    _record_euraxess(rec, n, add_source)
    _record_jobs_ac_uk(rec, n, add_source)
    _record_findaphd(rec, n, add_source)
    _record_card_boards(rec, n, add_source)
    return sources


AddSource = Callable[[list[pp.Job], dict[str, object]], None]


def _record_varbi_embedded(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """Varbi, a university page embedding the JSON:API answer (records straight from the data)."""
    host = "https://www.nordvik-university.example"
    jobs = make_jobs(n(24), seed=1, institution="Nordvik University", city="Uppsala", country="Sweden",
                     url=lambda i, s: f"https://nordvik.varbi.example/en/what:job/jobID:{i}/", ref="NU")  # fmt: skip
    rec.add(f"{host}/en/work-with-us/vacancies", "varbi-embedded/vacancies.html",
            pp.varbi_embedded_page("Nordvik University", jobs), HTML)  # fmt: skip
    add_source(jobs, {"name": "Nordvik University (Varbi, embedded list)", "adapter": "varbi",
                    "start_url": f"{host}/en/work-with-us/vacancies", "options": {"follow": False}})  # fmt: skip


def _record_varbi(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """Varbi's own HTML list and advert pages."""
    host = "https://ostberg.varbi.example"
    jobs = make_jobs(n(16), seed=2, institution="Ostberg Institute of Technology", city="Gothenburg",
                     country="Sweden", url=lambda i, s: f"{host}/en/what:job/jobID:{i}/", ref="OIT")  # fmt: skip
    rec.add(
        f"{host}/en/",
        "varbi/list.html",
        pp.varbi_table("Ostberg Institute of Technology", jobs),
        HTML,
    )
    for job in jobs:
        rec.add(job.url, f"varbi/job-{job.id}.html", pp.varbi_advert(job), HTML)
    add_source(
        jobs,
        {
            "name": "Ostberg Institute of Technology (Varbi)",
            "adapter": "varbi",
            "start_url": f"{host}/en/",
        },
    )


def _record_reachmee(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """ReachMee."""
    host = "https://web103.reachmee.example/ext/I099/304"
    jobs = make_jobs(n(16), seed=3, institution="Kattegat University of Technology", city="Gothenburg",
                     country="Sweden", ref="KUT",
                     url=lambda i, s: f"{host}/job?site=5&lang=UK&job_id={i}")  # fmt: skip
    rec.add(
        f"{host}/main?site=5&lang=UK",
        "reachmee/main.html",
        pp.reachmee_list("Kattegat University of Technology", jobs),
        HTML,
    )
    for job in jobs:
        rec.add(job.url, f"reachmee/job-{job.id}.html", pp.reachmee_advert(job), HTML)
    add_source(jobs, {"name": "Kattegat University of Technology (ReachMee)", "adapter": "reachmee",
                    "start_url": f"{host}/main?site=5&lang=UK"})  # fmt: skip


def _record_successfactors(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """SAP SuccessFactors, two result pages."""
    host = "https://careers.lowlands-tu.example"
    jobs = make_jobs(n(16), seed=4, institution="Lowlands University of Technology", city="Delft",
                     country="Netherlands", ref="LTU",
                     url=lambda i, s: f"{host}/job/Delft-{s.title().replace('-', '-')}/{i}/")  # fmt: skip
    half = len(jobs) // 2
    rec.add(f"{host}/search/?q=phd", "successfactors/search.html",
            pp.sf_list("Lowlands University of Technology", jobs[:half], next_url=f"{host}/search/?q=phd&startrow={half}"), HTML)  # fmt: skip
    rec.add(f"{host}/search/?q=phd&startrow={half}", "successfactors/search-2.html",
            pp.sf_list("Lowlands University of Technology", jobs[half:], next_url=None), HTML)  # fmt: skip
    for job in jobs:
        rec.add(job.url, f"successfactors/job-{job.id}.html", pp.sf_advert(job), HTML)
    add_source(jobs, {"name": "Lowlands University of Technology (SuccessFactors)", "adapter": "successfactors",
                    "start_url": f"{host}/search/?q=phd"})  # fmt: skip


def _record_workday(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """Workday: the careers site, its POST list in two pages, each job's JSON."""
    host = "https://umbria.wd3.myworkdayjobs.example"
    api = f"{host}/wday/cxs/umbria/Careers"
    jobs = make_jobs(n(20), seed=5, institution="University of Umbria Borealis", city="Toronto",
                     country="Canada", ref="R", url=lambda i, s: f"{host}/Careers/job/{i}")  # fmt: skip
    size = max(1, len(jobs) // 2)
    rec.add(f"{host}/en-US/Careers", "workday/careers.html",
            pp._page("Careers", "<div id='root'>Loading...</div>"), HTML)  # fmt: skip
    for offset in range(0, len(jobs), size):
        rec.add(f"{api}/jobs?offset={offset}&limit={size}&searchText=PhD", f"workday/jobs-{offset}.json",
                pp.workday_list(jobs[offset : offset + size], len(jobs)), JSON)  # fmt: skip
    for job in jobs:
        rec.add(f"{api}/job/{job.city}/{job.slug}_{job.reference}", f"workday/job-{job.id}.json",
                pp.workday_job(job, f"{host}/Careers"), JSON)  # fmt: skip
    add_source(jobs, {"name": "University of Umbria Borealis (Workday)", "adapter": "workday",
                    "start_url": f"{host}/en-US/Careers", "options": {"search_text": "PhD", "page_size": size, "tenant": "umbria"}})  # fmt: skip


def _record_jobbnorge(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """Jobbnorge's API, two pages."""
    api = "https://publicapi.jobbnorge.example/v3/jobs?employer=900&language=2"
    jobs = make_jobs(n(18), seed=6, institution="Fjordland University", city="Bergen", country="Norway",
                     ref="JB", url=lambda i, s: f"https://www.jobbnorge.example/en/available-jobs/job/{i}/{s}")  # fmt: skip
    size = max(1, len(jobs) // 2)
    for page in range(1, -(-len(jobs) // size) + 1):
        rec.add(f"{api}&page={page}&results={size}", f"jobbnorge/jobs-{page}.json",
                pp.jobbnorge_api(jobs[(page - 1) * size : page * size], len(jobs)), JSON)  # fmt: skip
    add_source(jobs, {"name": "Fjordland University (Jobbnorge)", "adapter": "jobbnorge",
                    "start_url": f"{api}&page=1&results={size}", "options": {"follow": False}})  # fmt: skip


def _record_euraxess(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """EURAXESS search (page=N) and advert pages."""
    host = "https://euraxess.example"
    jobs = make_jobs(n(16), seed=7, institution="Adriatic Institute of Science", city="Trieste",
                     country="Italy", ref="EX", url=lambda i, s: f"{host}/jobs/{i}")  # fmt: skip
    half = len(jobs) // 2
    rec.add(f"{host}/jobs/search?keywords=phd", "euraxess/search.html",
            pp.euraxess_search(jobs[:half], next_url=f"{host}/jobs/search?keywords=phd&page=1"), HTML)  # fmt: skip
    rec.add(f"{host}/jobs/search?keywords=phd&page=1", "euraxess/search-1.html",
            pp.euraxess_search(jobs[half:], next_url=None), HTML)  # fmt: skip
    for job in jobs:
        rec.add(job.url, f"euraxess/job-{job.id}.html", pp.euraxess_advert(job), HTML)
    add_source(
        jobs,
        {
            "name": "EURAXESS PhD offers (demo)",
            "adapter": "euraxess",
            "start_url": f"{host}/jobs/search?keywords=phd",
        },
    )


def _record_jobs_ac_uk(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """jobs.ac.uk RSS (records from the feed) and one advert page for the tests."""
    host = "https://www.jobs-ac-uk.example"
    jobs = make_jobs(n(18), seed=8, institution="University of Northumbria Vale", city="Newcastle",
                     country="United Kingdom", ref="NVU",
                     url=lambda i, s: f"{host}/job/NV{i}/{s}")  # fmt: skip
    rec.add(
        f"{host}/feeds/phds", "jobs_ac_uk/phds.rss", pp.rss("PhDs - jobs.ac.uk", host, jobs), RSS
    )
    for job in jobs:
        rec.add(job.url, f"jobs_ac_uk/job-{job.id}.html", pp.jobs_ac_uk_advert(job), HTML)
    add_source(
        jobs,
        {
            "name": "jobs.ac.uk PhDs (demo)",
            "adapter": "jobs_ac_uk",
            "start_url": f"{host}/feeds/phds",
        },
    )


def _record_findaphd(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """FindAPhD search pages and project pages."""
    host = "https://www.findaphd.example"
    jobs = make_jobs(n(14), seed=9, institution="Caledonia University", city="Glasgow",
                     country="United Kingdom", ref="CU",
                     url=lambda i, s: f"{host}/phds/project/{s}/?p{i}")  # fmt: skip
    half = len(jobs) // 2
    rec.add(f"{host}/phds/?Keywords=engineering", "findaphd/search.html",
            pp.findaphd_search(jobs[:half], next_url=f"{host}/phds/?Keywords=engineering&PG=2"), HTML)  # fmt: skip
    rec.add(f"{host}/phds/?Keywords=engineering&PG=2", "findaphd/search-2.html",
            pp.findaphd_search(jobs[half:], next_url=None), HTML)  # fmt: skip
    for job in jobs:
        rec.add(job.url, f"findaphd/project-{job.id}.html", pp.findaphd_project(job), HTML)
    add_source(
        jobs,
        {
            "name": "FindAPhD engineering (demo)",
            "adapter": "findaphd",
            "start_url": f"{host}/phds/?Keywords=engineering",
        },
    )


def _record_card_boards(rec: Recorder, n: Callable[[int], int], add_source: AddSource) -> None:
    """AcademicTransfer and Academic Positions: cards, JSON-LD advert pages."""
    for seed, name, adapter, host, start, path, institution, city, country in (
        (10, "AcademicTransfer PhD vacancies (demo)", "academictransfer", "https://www.academictransfer.example",
         "/en/jobs/?vacancy_type=phd", "/en/jobs/{i}/{s}/", "Rhine Delta University", "Utrecht", "Netherlands"),
        (11, "Academic Positions PhD jobs (demo)", "academicpositions", "https://academicpositions.example",
         "/jobs/position/phd", "/ad/alpine-university/2026/{s}/{i}", "Alpine University", "Innsbruck", "Austria"),
    ):  # fmt: skip
        jobs = make_jobs(n(12), seed=seed, institution=institution, city=city, country=country, ref="AT",
                         url=lambda i, s, host=host, path=path: host + path.format(i=i, s=s))  # fmt: skip
        rec.add(host + start, f"{adapter}/list.html", pp.cards(name, "PhD positions", jobs), HTML)
        for job in jobs:
            rec.add(job.url, f"{adapter}/job-{job.id}.html", pp.jsonld_advert(job, name), HTML)
        add_source(jobs, {"name": name, "adapter": adapter, "start_url": host + start})


def main(argv: list[str]) -> None:
    if len(argv) > 2 and argv[1] == "--fixtures":
        target = Path(argv[2])
        _base[0] = FIXTURES_ON
        rec = Recorder(target, "pages", None)
        sources = record_all(rec, scale=0.25)
        (target / "expected.json").write_text(json.dumps(EXPECTED, indent=2) + "\n", "utf-8")
        (target / "index.json").write_text(json.dumps(rec.index, indent=2) + "\n", "utf-8")
        (target / "sources.json").write_text(json.dumps(sources, indent=2) + "\n", "utf-8")
        return
    recorded = DEMO / "recorded"
    rec = Recorder(recorded, "platforms", RECORDED_ON)
    sources = record_all(rec)
    index_path = recorded / "index.json"
    index = {
        url: entry
        for url, entry in json.loads(index_path.read_text("utf-8")).items()
        if not str(entry.get("file", "")).startswith("platforms/")
    }
    index.update(rec.index)
    index_path.write_text(json.dumps(index, indent=2) + "\n", "utf-8")
    sources_path = DEMO / "sources.json"
    names = {str(source["name"]) for source in sources}
    kept = [s for s in json.loads(sources_path.read_text("utf-8")) if s["name"] not in names]
    sources_path.write_text(
        json.dumps(kept + sources, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )


if __name__ == "__main__":
    main(sys.argv)
