"""Apply routes, one fixture per class of way an advert gives one (issue 22): button words,
a recruitment system's link, the e-mail the application goes to, a URL in the text, and the
portal named without a link (kept as the sentence, no URL invented)."""

from __future__ import annotations

import pytest

from scrapers.adapters import generic
from scrapers.normalize import normalize
from scrapers.normalize.apply import apply_instructions, extract_apply_route
from scrapers.records import Page, RawRecord

from .conftest import make_doc


@pytest.mark.parametrize(
    "anchor",
    ["Login and apply", "Sign in to apply", "Apply now", "Apply online via the portal", "Apply"],
)
def test_a_button_whose_words_say_apply_is_the_apply_route(anchor):
    doc = make_doc(
        "We offer a four-year doctoral position in hydrology.",
        links=[(anchor, "https://jobs.uni.example/job/17/apply")],
    )

    found = extract_apply_route(doc)

    assert found is not None and found.value == "https://jobs.uni.example/job/17/apply"
    assert found.evidence.rule in {"apply_button_words", "link_after_info_words"}


def test_words_that_merely_contain_apply_are_no_button():
    doc = make_doc(
        "Read about the group.",
        links=[("Applied mathematics group", "https://maths.uni.example/applied")],
    )

    assert extract_apply_route(doc) is None


@pytest.mark.parametrize(
    "href",
    [
        "https://uu.varbi.com/en/what:job/jobID:812345/",
        "https://web103.reachmee.com/ext/I003/1035/job?job_id=99",
        "https://uni.wd3.myworkdayjobs.com/en-US/Careers/job/PhD_R123",
        "https://www.jobbnorge.no/en/available-jobs/job/255555/phd-fellow",
    ],
)
def test_a_link_to_a_recruitment_system_is_the_apply_route_whatever_its_words(href):
    doc = make_doc(
        "The position is part of our graduate school. More on the project below.",
        links=[("the vacancy", href)],
        url="https://group.uni.example/phd",
    )

    found = extract_apply_route(doc)

    assert found is not None and found.value == href
    assert found.evidence.rule in {"recruitment_system_link", "link_after_info_words"}


@pytest.mark.parametrize(
    "text",
    [
        "Please send your application (CV, transcripts, letter) to phd.jobs@uni.example by 1 May.",
        "Applications should be e-mailed to Dr Berg, berg@uni.example, as a single PDF.",
        "Send a CV, transcripts and two references\n- CV\n- Transcripts\nto berg@uni.example.",
    ],
)
def test_the_e_mail_an_application_is_sent_to_is_a_mailto_route(text):
    found = extract_apply_route(make_doc(text))

    assert found is not None and found.value.startswith("mailto:")
    assert found.value[7:] in text and found.evidence.rule == "application_email"


def test_a_mailto_link_behind_a_word_is_found_by_the_mail_words_before_it():
    text = (
        "Here is the project. Please send your CV and transcripts "
        "to the email address here, with the subject [phd]."
    )
    doc = make_doc(text, links=[("here", "mailto:group@uni.example")])

    found = extract_apply_route(doc)

    assert found is not None and found.value == "mailto:group@uni.example"


@pytest.mark.parametrize(
    "text",
    [
        "The closing date for applications is 31 January. Informal enquiries: a.b@uni.example.",
        "Applicants must hold a master's degree. For more information contact Jo, jo@uni.example.",
        "Questions about applying? Contact the office at office@uni.example.",
        # The enquiry words open a long sentence, past a title's dots.
        "Review of applications begins now. Questions regarding the position should be "
        "directed to Prof. Dr. Kim Lee of the Department of Physics, email kim.lee@uni.example",
        "Apply through the graduate school. Before applying, you are welcome to email me at "
        "pi@uni.example",
    ],
)
def test_an_address_for_enquiries_is_not_the_apply_route(text):
    assert extract_apply_route(make_doc(text)) is None


def test_a_url_written_after_apply_words_is_the_apply_route():
    doc = make_doc("To apply, use the form at https://apply.uni.example/phd-2026 before May.")

    found = extract_apply_route(doc)

    assert found is not None and found.value == "https://apply.uni.example/phd-2026"


@pytest.mark.parametrize(
    "sentence",
    [
        "Apply through the University of Exampleton online application system, quoting ref 7.",
        "To apply, visit the university's online portal and upload the documents.",
        "Once the job is online, log into the university's recruitment system in order to apply.",
    ],
)
def test_a_portal_named_without_a_link_is_kept_as_the_sentence(sentence):
    raw = RawRecord(url="https://board.example/ad/1", title="PhD in hydrology", text=sentence)

    record = normalize(raw)

    assert record.apply_url is None
    assert record.evidence["apply_how"].snippet == sentence
    assert apply_instructions(make_doc("We study rivers.")) is None


def test_the_generic_reader_keeps_an_apply_button_outside_the_advert_text():
    html = """<html><body><header><a href="/">Home</a></header>
    <div class="page-header"><h1>PhD position in Marine Ecology</h1>
    <a class="btn" href="/job/2004/apply:1/">Login and apply</a></div>
    <div class="job-desc"><h3>Project description</h3><p>We are looking for a doctoral
    student in marine ecology. The position is fully funded for four years.</p></div>
    </body></html>"""
    page = Page(url="https://jobs.uni.example/job/2004/", text=html, content_type="text/html")

    raw = generic.parse_single(page, {"content_selector": ".job-desc"}, adapter="generic")
    record = normalize(raw)

    assert record.apply_url == "https://jobs.uni.example/job/2004/apply:1/"


def test_the_host_of_an_e_mail_address_is_no_url():
    doc = make_doc("For more information contact Ingrid Solberg, ingrid@www.uni.example.")

    assert extract_apply_route(doc) is None
    assert all(
        "www.uni.example" not in link.href for link in doc.links if link.href.startswith("http")
    )
