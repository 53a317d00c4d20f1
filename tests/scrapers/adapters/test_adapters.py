"""Adapters read pages of their kind and say clearly when a page is not of their kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.adapters import (
    ParseError,
    aggregator,
    detect_adapter,
    feed,
    generic,
    jsonld,
    lab_page,
)
from scrapers.adapters._common import absolutize, detect_kind, fields_from_lines, split_front_matter
from scrapers.records import Page

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "demo" / "recorded"
AK = "https://www.applykite.example"


def demo_page(url: str) -> Page:
    entry = json.loads((DEMO / "index.json").read_text("utf-8"))[url]
    return Page(url=url, text=(DEMO / entry["file"]).read_text("utf-8"))


SOUTHAMPTON = f"{AK}/phd/university-of-southampton/the-mathematics-of-deep-bilevel-learning"


# --- aggregator ---------------------------------------------------------------------------


def test_aggregator_results_page_queues_each_advert_and_the_next_page():
    result = aggregator.parse(demo_page(f"{AK}/phd?country=united-kingdom"))
    assert result.records == []
    assert result.follow == [
        SOUTHAMPTON,
        f"{AK}/phd/university-of-leeds/computational-haemodynamics-of-cerebral-aneurysms",
        f"{AK}/phd?country=united-kingdom&page=2",
    ]


def test_aggregator_last_results_page_with_one_result_is_still_a_results_page():
    result = aggregator.parse(demo_page(f"{AK}/phd?country=united-kingdom&page=2"))
    assert result.records == []
    assert len(result.follow) == 1


def test_aggregator_advert_page_keeps_labelled_fields_and_drops_sign_in_and_chat_bot_noise():
    (record,) = aggregator.parse(demo_page(SOUTHAMPTON)).records
    assert record.fields["Deadline"] == "Expired"
    assert record.fields["Degree Level"] == "PhD"
    assert record.fields["University"] == "University of Southampton"
    assert "The application deadline is January 9, 2026" in record.text
    for noise in ("Sign in for free", "Ask ApplyKite AI", "How do Chinese students", "cookies"):
        assert noise not in record.text
    # "Keywords" is an empty, sign-in-gated section: the next heading is not its value.
    assert "Keywords" not in record.fields


def test_aggregator_advert_description_starts_at_the_adverts_own_text():
    (record,) = aggregator.parse(demo_page(SOUTHAMPTON)).records
    assert record.description_text.startswith("About this position\n\nThis fully funded PhD")
    assert record.html.startswith("<h2>About this position</h2>")
    for header in ("Degree Level", "Top university", "3 months ago", "Where to contact"):
        assert header not in record.description_text and header not in record.html
    # The facts still read the summary block.
    assert record.fields["Deadline"] == "Expired" and "Degree Level" in record.text


def test_aggregator_drops_a_job_boards_summary_table_before_the_advert():
    prose = "<p>" + "This studentship models hydrogen cracking in pipeline steels. " * 5 + "</p>"
    html = f"""<html><body><main><div class="job">
    <h1>PhD Studentship: Hydrogen Embrittlement</h1><h2>University of Sheffield</h2>
    <table><tr><th>Location:</th><td>Sheffield</td></tr><tr><th>Closes:</th><td>12 January 2026</td></tr>
    <tr><th>Funding for:</th><td>UK Students</td></tr></table>
    <div class="body"><h3>The project</h3>{prose}</div></div></main></body></html>"""
    (record,) = aggregator.parse(Page(url="https://board.example/job/1", text=html)).records
    assert record.description_text.startswith("The project\n\nThis studentship models")
    assert "Sheffield" in record.text and "Sheffield" not in record.html
    assert record.fields["Closes"] == "12 January 2026"


def test_aggregator_keeps_a_description_that_opens_with_a_title_but_no_labelled_summary():
    prose = "<p>" + "This project studies stochastic control in finance. " * 5 + "</p>"
    html = f"<html><body><main><h1>PhD in stochastic control</h1><p>3 days ago</p>{prose}</main></body></html>"
    (record,) = aggregator.parse(Page(url="https://board.example/ad/9", text=html)).records
    assert record.description_text == ""  # the normaliser shows `text`, title and all
    assert record.html.startswith("<h1>PhD in stochastic control</h1><p>3 days ago</p>")


def test_aggregator_options_select_result_links_without_heuristics():
    html = """<html><body><div id="hits"><p><a class="t" href="/ad/1">One</a></p>
    <p><a class="t" href="/ad/2">Two</a></p><p><a href="/about">About</a></p></div></body></html>"""
    page = Page(url="https://board.example/search", text=html)
    result = aggregator.parse(page, {"result_link_selector": "a.t"})
    assert result.follow == ["https://board.example/ad/1", "https://board.example/ad/2"]


def test_aggregator_advert_with_a_similar_positions_list_is_read_as_an_advert():
    long_text = "<p>" + "This project studies stochastic control in finance. " * 60 + "</p>"
    related = "".join(
        f'<li class="result-card"><h3><a href="/ad/{n}">Other advert {n}</a></h3></li>'
        for n in range(4)
    )
    html = f"<html><body><main><h1>PhD in stochastic control</h1>{long_text}<p>Deadline: 1 May 2026</p></main><ul>{related}</ul></body></html>"
    result = aggregator.parse(Page(url="https://board.example/ad/9", text=html))
    assert len(result.records) == 1
    assert result.records[0].fields["Deadline"] == "1 May 2026"


def test_aggregator_refuses_a_feed():
    with pytest.raises(ParseError):
        aggregator.parse(
            Page(
                url="https://x.example/f",
                text='<?xml version="1.0"?><rss><channel></channel></rss>',
            )
        )


# --- lab pages ----------------------------------------------------------------------------

MULTI = """---
title: Open positions
---
# Stochastic Systems group

We are a group at Aalto University in Espoo, working on rare events and control.

## PhD position in rare-event simulation

Importance sampling and splitting methods for rare events in queueing networks and
reliability, with applications to power grids. **Supervisor:** Jane Doe.
Deadline: 31 January 2026

## PhD position in stochastic control

Mean-field games and reinforcement learning for large populations of interacting
agents, with applications to energy markets and epidemics. Supervisor: John Roe.

## How to apply

Send your CV to jobs@aalto.example. Salary: 2 800 EUR per month.
"""


def test_lab_page_with_two_position_headings_gives_two_adverts_sharing_how_to_apply():
    page = Page(url="https://group.example/jobs/", text=MULTI, content_type="text/markdown")
    first, second = lab_page.parse(page).records
    assert first.title == "PhD position in rare-event simulation"
    assert first.url == "https://group.example/jobs/#phd-position-in-rare-event-simulation"
    assert first.fields["Supervisor"] == "Jane Doe."
    assert first.fields["Deadline"] == "31 January 2026"
    assert second.fields["Supervisor"] == "John Roe."
    assert "jobs@aalto.example" in second.text and "Aalto University in Espoo" in second.text
    assert "rare events in queueing" not in second.text


def test_lab_page_with_one_advert_takes_its_title_from_front_matter():
    text = (ROOT / "tests/fixtures/pages/seed-wias-markdown.md").read_text("utf-8")
    (record,) = lab_page.parse(Page(url="https://x.example/phd_2/", text=text)).records
    assert record.title.startswith("Ph.D. position in Berlin, Germany")
    assert record.meta["permalink"] == "/phd_2/"
    assert ("here", "mailto:zplusj@gmail.com") in record.links


def test_lab_page_title_heading_above_the_advert_heading_is_not_a_second_advert():
    (record,) = lab_page.parse(demo_page("https://ot-robust-ml.example/phd_2/")).records
    assert record.title.startswith("Ph.D. position in Berlin, Germany")
    assert "open until filled" in record.text


def test_lab_page_reads_hugo_toml_front_matter():
    text = '+++\ntitle = "PhD position in topology"\ndate = 2025-03-03\n+++\n\nWe offer a PhD position.\n'
    (record,) = lab_page.parse(Page(url="https://x.example/p/", text=text)).records
    assert record.title == "PhD position in topology"
    assert record.meta["date"] == "2025-03-03"


def test_broken_front_matter_is_read_as_part_of_the_body():
    meta, body = split_front_matter("---\ntitle: [unclosed\n---\nBody text")
    assert meta == {}
    assert "Body text" in body


# --- JSON-LD and microdata ----------------------------------------------------------------


def test_jsonld_job_posting_in_a_graph_becomes_labelled_fields():
    document = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "x"},
            {
                "@type": "JobPosting",
                "title": "PhD in optics",
                "validThrough": "2026-02-01",
                "hiringOrganization": {"@type": "Organization", "name": "Lund University"},
                "baseSalary": {
                    "@type": "MonetaryAmount",
                    "currency": "SEK",
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": 34000,
                        "maxValue": 40000,
                        "unitText": "MONTH",
                    },
                },
                "description": "&lt;p&gt;Work on &lt;b&gt;lasers&lt;/b&gt;.&lt;/p&gt;",
            },
        ],
    }
    page = Page(
        url="https://jobs.example/1", text=json.dumps(document), content_type="application/ld+json"
    )
    (record,) = jsonld.parse(page).records
    assert record.fields["Deadline"] == "2026-02-01"
    assert record.fields["Institution"] == "Lund University"
    assert record.fields["Salary"] == "SEK 34000 - 40000 per month"
    assert "Work on lasers." in record.text
    assert record.meta["jobposting"]["title"] == "PhD in optics"


def test_microdata_job_posting_is_read():
    html = (ROOT / "tests/fixtures/pages/dk-dtu-microdata.html").read_text("utf-8")
    (record,) = jsonld.parse(Page(url="https://www.dtu.dk/job/5134", text=html)).records
    assert record.title == "PhD scholarship in Battery Materials Informatics"
    assert record.fields["Deadline"].startswith("2026-01-04")
    assert any("oraclecloud" in href for _, href in record.links)


def test_page_without_job_posting_is_a_parse_error_for_the_jsonld_adapter():
    with pytest.raises(ParseError, match="JobPosting"):
        jsonld.parse(Page(url="https://x.example/", text="<html><body><p>Hello</p></body></html>"))


# --- feeds --------------------------------------------------------------------------------

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title><link>https://jobs.example/</link>
<item><title>PhD in X</title><link>/job/1</link><guid>job-1</guid>
<description>&lt;p&gt;Deadline: 31/01/2025&lt;/p&gt;</description><category>Mathematics</category></item>
<item><title>PhD in Y</title><link>https://jobs.example/job/2</link><guid>job-2</guid><description>Y</description></item>
</channel></rss>"""


def test_feed_items_become_records_and_their_advert_pages_are_followed():
    result = feed.parse(
        Page(url="https://jobs.example/feed.xml", text=RSS, content_type="application/rss+xml")
    )
    assert [record.url for record in result.records] == [
        "https://jobs.example/job/1",
        "https://jobs.example/job/2",
    ]
    assert result.follow == ["https://jobs.example/job/1", "https://jobs.example/job/2"]
    assert result.records[0].fields["Deadline"] == "31/01/2025"
    assert result.records[0].fields["Keywords"] == "Mathematics"
    assert result.records[0].source_item_id == "job-1"


def test_feed_option_follow_false_keeps_only_the_feed_text():
    result = feed.parse(Page(url="https://jobs.example/feed.xml", text=RSS), {"follow": False})
    assert result.follow == []
    assert len(result.records) == 2


def test_feed_adapter_reads_a_followed_advert_page_as_one_advert():
    html = (
        "<html><body><main><h1>PhD in X</h1><p>"
        + "Text. " * 50
        + "</p><p>Deadline: 1 May 2026</p></main></body></html>"
    )
    (record,) = feed.parse(Page(url="https://jobs.example/job/1", text=html)).records
    assert record.url == "https://jobs.example/job/1"
    assert record.fields["Deadline"] == "1 May 2026"


def test_empty_but_valid_feed_gives_no_records():
    atom = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
    result = feed.parse(Page(url="https://x.example/atom.xml", text=atom))
    assert result.records == [] and result.follow == []


@pytest.mark.parametrize("text", ['<?xml version="1.0"?><rss><channel>', "not a feed at all"])
def test_broken_feed_is_a_parse_error(text):
    with pytest.raises(ParseError):
        feed.parse(
            Page(url="https://x.example/feed.xml", text=text, content_type="application/rss+xml")
        )


# --- generic and shared helpers -----------------------------------------------------------


def test_labels_are_found_in_every_usual_layout():
    html = (
        """<html><body><main>
    <h1>PhD studentship in fluid dynamics</h1>
    <dl><dt>Closing date</dt><dd>9 January 2026</dd></dl>
    <table><tr><th>Stipend</th><td>£20,780 per year</td></tr></table>
    <p><strong>Main advisor:</strong> Pierre Nyquist.</p>
    <p>Start date: 1 October 2026</p>
    <p>"""
        + "Background text about the project. " * 10
        + """</p>
    </main></body></html>"""
    )
    (record,) = generic.parse(Page(url="https://u.example/ad", text=html)).records
    assert record.fields["Closing date"] == "9 January 2026"
    assert record.fields["Stipend"] == "£20,780 per year"
    assert record.fields["Main advisor"] == "Pierre Nyquist."
    assert record.fields["Start date"] == "1 October 2026"


def test_plain_text_labels_on_one_line_and_values_on_the_next():
    fields = fields_from_lines(
        ["Degree Level", "PhD", "Deadline", "Expired", "Keywords", "About this position", "x" * 300]
    )
    assert fields == {"Degree Level": "PhD", "Deadline": "Expired"}


def test_a_title_with_a_prefix_is_not_a_labelled_field():
    assert "PhD Position" not in fields_from_lines(
        ["PhD Position: The Mathematics of Deep Bilevel Learning"]
    )


def test_label_aliases_option_renames_a_source_s_own_labels():
    html = (
        "<html><body><main><h1>PhD in X</h1><p>Closing: 1 May 2026</p><p>"
        + "Text. " * 50
        + "</p></main></body></html>"
    )
    (record,) = generic.parse(
        Page(url="https://u.example/ad", text=html), {"label_aliases": {"closing": "Deadline"}}
    ).records
    assert record.fields["Deadline"] == "1 May 2026"


def test_a_bad_css_selector_in_options_is_ignored():
    html = "<html><body><main><h1>PhD in X</h1><p>" + "Text. " * 50 + "</p></main></body></html>"
    (record,) = generic.parse(
        Page(url="https://u.example/ad", text=html),
        {"content_selector": "main[[", "noise_selectors": ["::bad"]},
    ).records
    assert record.title == "PhD in X"


def test_links_are_made_absolute_and_scripts_are_refused():
    assert absolutize("https://u.example/a/b", "../c?x=1") == "https://u.example/c?x=1"
    assert (
        absolutize("https://u.example/", "mailto:someone@u.example") == "mailto:someone@u.example"
    )
    assert absolutize("https://u.example/", "javascript:alert(1)") is None
    assert absolutize("https://u.example/", "#top") is None
    assert absolutize("https://u.example/", "info@u.example") == "mailto:info@u.example"
    assert absolutize("https://u.example/", "/a b") == "https://u.example/a%20b"


def test_click_tracker_links_lead_to_their_target():
    tracked = "https://l.facebook.com/l.php?u=http%3A%2F%2Fwww.gssi.it%2Fphd%2F&h=AT"
    assert absolutize("https://u.example/", tracked) == "http://www.gssi.it/phd/"


@pytest.mark.parametrize(
    ("text", "content_type", "kind", "adapter"),
    [
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "", "feed", "feed"),
        (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
            "",
            "feed",
            "feed",
        ),
        ('{"@type": "JobPosting", "title": "x"}', "", "jsonld", "jsonld"),
        (
            '<html><script type="application/ld+json">{"@type":"JobPosting"}</script></html>',
            "",
            "jsonld",
            "jsonld",
        ),
        ("<html><body><h1>PhD in X</h1><p>Text</p></body></html>", "", "html", "generic"),
        ("---\ntitle: PhD\n---\nBody", "", "markdown", "lab_page"),
        ("# PhD in X\n\n**Deadline:** 1 May\n\n- a\n- b\n", "", "markdown", "lab_page"),
        ("PhD in X\nDeadline\n1 May 2026\n", "", "text", "generic"),
    ],
)
def test_the_kind_of_a_page_is_detected_from_its_content(text, content_type, kind, adapter):
    page = Page(url="https://u.example/", text=text, content_type=content_type)
    assert detect_kind(page) == kind
    assert detect_adapter(page) == adapter


def test_the_title_of_a_plain_text_page_is_its_first_position_line():
    text = "Alain Zemkoho\nTop university\nPhD Position: Deep bilevel learning\nDeadline\nExpired\n"
    (record,) = generic.parse(
        Page(url="https://u.example/", text=text, content_type="text/plain")
    ).records
    assert record.title == "PhD Position: Deep bilevel learning"


def test_json_feed_items_become_records_and_are_followed():
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Jobs",
        "home_page_url": "https://jobs.example/",
        "items": [
            {
                "id": "1",
                "url": "/job/1",
                "title": "PhD in X",
                "content_text": "Deadline: 1 May 2026\nGreat project.",
                "tags": ["math"],
            }
        ],
    }
    page = Page(
        url="https://jobs.example/feed.json",
        text=json.dumps(document),
        content_type="application/feed+json",
    )
    assert detect_adapter(page) == "feed"
    result = feed.parse(page)
    assert result.follow == ["https://jobs.example/job/1"]
    assert result.records[0].fields == {"Deadline": "1 May 2026", "Keywords": "math"}


def test_feed_adapter_reads_a_followed_page_with_job_posting_markup_through_jsonld():
    html = (ROOT / "tests/fixtures/pages/no-ntnu-jsonld.html").read_text("utf-8")
    (record,) = feed.parse(Page(url="https://www.ntnu.edu/vacancies/ie-237-25", text=html)).records
    assert record.fields["Salary"] == "NOK 532200 per year"
    assert record.adapter == "jsonld"


def test_camel_case_result_rows_are_recognised_as_results():
    rows = "".join(
        f'<div class="resultsRow"><h3><a href="/phd/{n}">PhD {n}</a></h3></div>' for n in range(3)
    )
    result = aggregator.parse(
        Page(url="https://board.example/search", text=f"<html><body>{rows}</body></html>")
    )
    assert result.follow == [f"https://board.example/phd/{n}" for n in range(3)]


def test_a_result_row_without_a_heading_links_to_its_advert_by_the_longest_link():
    rows = "".join(
        f'<div class="resultsRow"><a href="/uni/{n}"><img alt=""></a>'
        f'<a class="h4" href="/phd/project-{n}">Fully funded PhD project number {n}</a>'
        f'<a href="/save/{n}">Save</a></div>'
        for n in range(2)
    )
    pager = '<div class="pager"><a class="next" href="/search?page=2">&gt;</a></div>'
    page = Page(url="https://board.example/search", text=f"<html><body>{rows}{pager}</body></html>")
    assert aggregator.parse(page).follow == [
        "https://board.example/phd/project-0",
        "https://board.example/phd/project-1",
        "https://board.example/search?page=2",
    ]


def test_front_matter_title_is_kept_even_when_it_does_not_say_phd():
    text = "---\ntitle: Graduate Fellowships, Computational Mathematics\n---\n\nWe offer PhD tracks in numerical analysis.\n"
    (record,) = generic.parse(Page(url="https://u.example/", text=text)).records
    assert record.title == "Graduate Fellowships, Computational Mathematics"


def test_sections_of_one_advert_that_mention_the_phd_do_not_split_it():
    body = "Text about the project and the group, long enough to be a section. " * 4
    text = (
        f"# PhD position in glaciology\n\n{body}\n\n## PhD project description\n\n{body}\n\n"
        f"## PhD candidate profile\n\n{body}\n\n## Doctoral position details\n\n{body}\n"
    )
    (record,) = lab_page.parse(
        Page(url="https://u.example/", text=text, content_type="text/markdown")
    ).records
    assert record.title == "PhD position in glaciology"


def test_aggregator_advert_page_with_job_posting_markup_keeps_the_markup_facts():
    html = (ROOT / "tests/fixtures/pages/no-ntnu-jsonld.html").read_text("utf-8")
    (record,) = aggregator.parse(Page(url="https://board.example/job/1", text=html)).records
    assert record.fields["Salary"] == "NOK 532200 per year"
    assert record.fields["Application deadline"] == "9 February 2025"
    assert record.adapter == "aggregator"


def test_a_page_whose_guessed_kind_is_wrong_is_read_as_one_advert():
    from scrapers.adapters import parse_page

    html = (
        '<html><head><script type="application/ld+json">{"@type": "JobPosting", broken</script></head>'
        "<body><main><h1>PhD in X</h1><p>" + "Text. " * 50 + "</p></main></body></html>"
    )
    page = Page(url="https://u.example/", text=html)
    assert detect_adapter(page) == "jsonld"
    (record,) = parse_page(page).records
    assert record.title == "PhD in X"
    with pytest.raises(ParseError):
        parse_page(page, adapter="jsonld")


def test_the_only_e_mail_address_of_a_multi_advert_page_reaches_every_advert():
    body = "A long description of the project and its methods, for a good student. " * 3
    text = (
        f"Intro.\n\n---\n\n**First project on cells**. {body}\n\n---\n\n"
        f"**Second project on proteins**. {body} Contact [me](mailto:pi@lab.example).\n"
    )
    first, second = lab_page.parse(
        Page(url="https://lab.example/", text=text, content_type="text/markdown")
    ).records
    assert ("me", "mailto:pi@lab.example") in first.links
    assert ("me", "mailto:pi@lab.example") in second.links
