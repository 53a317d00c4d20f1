"""Rules written for adverts in general, each found missing on the held-out corpus."""

from __future__ import annotations

from scrapers.normalize import normalize
from scrapers.normalize.dates import find_dates
from scrapers.normalize.deadlines import extract_deadline
from scrapers.normalize.durations import extract_duration
from scrapers.normalize.eligibility import extract_eligibility
from scrapers.normalize.funding import extract_funding
from scrapers.normalize.money import extract_stipend
from scrapers.normalize.people import extract_emails, extract_supervisors
from scrapers.normalize.places import extract_places
from scrapers.normalize.starts import extract_start
from scrapers.records import RawRecord


def test_a_job_system_date_with_dots_and_a_month_name_is_read():
    (mention,) = find_dates("28.Feb.2026 11:59 PM CET")
    assert (mention.year, mention.month, mention.day) == (2026, 2, 28)


def test_an_applications_close_label_gives_the_deadline_and_its_time(doc):
    result = extract_deadline(
        doc(fields={"Applications close": "5pm AEST on Friday 31 October 2025"})
    )
    assert (result.deadline, result.kind) == ("2025-10-31", "fixed")


def test_a_time_between_by_and_the_date_does_not_hide_the_deadline(doc):
    result = extract_deadline(
        doc("The application must be submitted online, by 12:00 (noon, local time) on 27 May 2025.")
    )
    assert result.deadline == "2025-05-27"


def test_a_late_evening_deadline_keeps_its_hour(doc):
    result = extract_deadline(doc("Application deadline: 15 March 2026, 23:59 CET."))
    assert (result.time, result.timezone) == ("23:59", "CET")


def test_applications_accepted_all_year_round_are_rolling(doc):
    assert extract_deadline(doc("Applications are accepted all year round.")).kind == "rolling"


def test_the_month_in_brackets_beats_the_season(doc):
    start = extract_start(doc("We recruit two students to start in Fall 2026 (August 2026)."))
    assert start.start_date == "2026-08-01"


def test_an_admission_session_is_a_start_date(doc):
    start = extract_start(doc("The lab is looking for PhD students for the July 2026 session."))
    assert start.start_date == "2026-07-01"


def test_the_total_duration_beats_the_initial_appointment(doc):
    found = extract_duration(
        doc(
            "The initial appointment is for one year, and will be extended for a total of four years."
        )
    )
    assert found.value == 48


def test_a_twelve_month_appointment_is_the_pay_period_not_the_duration(doc):
    found = extract_duration(
        doc(
            "Students are paid a stipend (USD 35,000, 12-month appointment). "
            "Support is guaranteed for five years."
        )
    )
    assert found.value == 60


def test_a_spaced_or_full_width_at_sign_still_gives_the_address(doc):
    assert extract_emails(doc("Write to thuha.nguyen \uff20 wisc.edu.")).value == [
        "thuha.nguyen@wisc.edu"
    ]


def test_an_obfuscated_address_ends_where_the_sentence_ends(doc):
    found = extract_emails(
        doc("Send it to weidner (at) ians.uni-stuttgart.de. Questions are welcome.")
    )
    assert found.value == ["weidner@ians.uni-stuttgart.de"]


def test_a_firstname_lastname_template_is_filled_with_the_supervisor_it_names():
    raw = RawRecord(
        url="https://example.org/jobs",
        title="PhD position in imaging",
        text=(
            "Advisors: Claire Dubois and Martin Lefevre.\n\n"
            "Send your CV to firstname.lastname@univ-example.fr for Claire."
        ),
    )
    assert normalize(raw).contact_emails == ["claire.dubois@univ-example.fr"]


def test_names_with_accented_capitals_and_international_ranks_are_supervisors(doc):
    found = extract_supervisors(
        doc(
            "Supervisor: Prof. Élise Gagnon. The work is supervised by Professor Mikko Virtanen "
            "and University Lecturer Dr. Aino Laine."
        )
    )
    assert set(found.value) >= {"Élise Gagnon", "Mikko Virtanen", "Aino Laine"}


def test_every_supervisor_label_counts(doc):
    found = extract_supervisors(
        doc(
            fields={
                "Principal advisor": "Associate Professor Rebecca Thornton",
                "Associate advisor": "Dr Kenji Walsh",
            }
        )
    )
    assert found.value == ["Rebecca Thornton", "Kenji Walsh"]


def test_rupees_are_a_currency_and_rs_ends_no_sentence(doc):
    found = extract_stipend(
        doc("Fellowship: the institute fellowship of Rs. 37,000 per month for two years."),
        country="IN",
    )
    assert (found.value.amount, found.value.currency, found.value.period) == (
        37000,
        "INR",
        "month",
    )


def test_self_funded_candidates_who_may_also_apply_do_not_make_the_post_self_funded(doc):
    found = extract_funding(
        doc(
            "A fellowship of Rs. 37,000 per month is offered. Self-financed candidates may also apply."
        )
    )
    assert found.value != "self"


def test_applicants_from_outside_the_eu_are_international(doc):
    values, _evidence = extract_eligibility(
        doc("Applicants from Denmark, the EU and outside the EU are equally welcome to apply.")
    )
    assert {"eu", "international"} <= set(values)


def test_a_spanish_university_name_is_an_institution(doc):
    place = extract_places(
        doc("The Universidad Carlos III de Madrid offers one predoctoral contract.")
    )
    assert place.institution.value == "Universidad Carlos III de Madrid"


def test_the_city_written_after_an_unknown_institution_is_its_city(doc):
    place = extract_places(
        doc("The lab at the University of Northern Example (Salt Lake City) is recruiting.")
    )
    assert place.city.value == "Salt Lake City"
    assert place.country.value == "US"


def test_a_university_assistant_is_a_job_not_an_institution(doc):
    place = extract_places(
        doc(
            "The group at TU Wien (Vienna, Austria) offers a position.",
            title="University Assistant (prae doc)",
        )
    )
    assert place.institution.value == "TU Wien"


def test_a_date_written_year_month_day_with_dots_is_one_date(doc):
    result = extract_deadline(doc("Send your CV to lab@example.ac.kr by 2026. 5. 15. (KST)."))
    assert result.deadline == "2026-05-15"


def test_applications_due_on_a_date_give_the_deadline_and_the_entry_gives_the_start(doc):
    advert = doc("Applications for September 2026 entry are due on January 15, 2026.")
    assert extract_deadline(advert).deadline == "2026-01-15"
    assert extract_start(advert).start_date == "2026-09-01"


def test_a_habilitated_doctor_leads_the_group(doc):
    found = extract_supervisors(
        doc("A PhD position is available in the group of dr hab. Anna Kowalska.")
    )
    assert found.value == ["Anna Kowalska"]


def test_a_supervisor_label_does_not_make_people_of_the_affiliation(doc):
    found = extract_supervisors(
        doc(
            fields={
                "Primary supervisor": "Dr Tomasz Nowak, Randall Centre for Cell Biophysics",
                "Second supervisor": "Professor Helen Carter, Imperial College London",
            }
        )
    )
    assert found.value == ["Tomasz Nowak", "Helen Carter"]


def test_an_address_spelled_with_dots_and_ats_in_words_is_read(doc):
    found = extract_emails(
        doc("Please contact Prof. Jiwon Lee at jiwon dot lee at utoronto dot ca.")
    )
    assert found.value == ["jiwon.lee@utoronto.ca"]


def test_studentships_available_to_international_students_are_international(doc):
    values, _evidence = extract_eligibility(
        doc(
            "Fees at the home rate. A limited number of studentships are available to international students."
        )
    )
    assert "international" in values


def test_a_relayed_advert_front_matter_link_is_its_link_and_its_institution_domain():
    raw = RawRecord(
        url="file:///posts/contrat.md",
        title="Contrat doctoral en histoire",
        text="Un contrat doctoral de trois ans est ouvert au laboratoire.",
        meta={"link": "https://www.unige.ch/files/offre-doctorat-2026.pdf"},
    )
    record = normalize(raw)
    assert record.apply_url == "https://www.unige.ch/files/offre-doctorat-2026.pdf"
    assert record.country == "CH"


def test_a_deadline_or_fee_written_for_international_students_means_they_may_apply(doc):
    for sentence in (
        "Applications for international students are normally due by 31 August.",
        "International research candidates pay an annual tuition fee.",
        "Scholarship for foreign students in the graduate school.",
    ):
        values, _ = extract_eligibility(doc(sentence))
        assert "international" in values, sentence


def test_students_from_the_european_continent_are_the_eu_group(doc):
    values, _ = extract_eligibility(
        doc("The fellowship is open to students from the European continent.")
    )
    assert values == ["eu"]


def test_as_soon_as_possible_before_a_date_is_a_latest_start_not_a_start(doc):
    result = extract_start(
        doc(fields={"Starting date": "As soon as possible (before or on March 1, 2027)"})
    )
    assert result.start_date is None


def test_a_bare_one_year_is_never_a_doctorate_s_length(doc):
    advert = doc(
        "Doctoral positions at the school. Candidates on the reserve list remain eligible "
        "for hiring during 1 year if funding arrives."
    )
    assert extract_duration(advert) is None


def test_pa_after_an_amount_is_per_year(doc):
    stipend = extract_stipend(doc(fields={"Stipend": "£19,000 pa plus fees"}))
    assert stipend is not None
    assert stipend.value.period == "year"


def test_a_centre_the_registry_lacks_is_named_by_the_words_its_host_spells():
    raw = RawRecord(
        url="https://jobs.nbc.ac.xy/phd/apply/",
        title="Application process",
        text="At the Nordic BioCenter we look for curious applicants in molecular biology.",
    )
    assert normalize(raw).institution == "Nordic BioCenter (NBC)"
    unrelated = RawRecord(
        url="https://www.example.org/phd/",
        title="Application process",
        text="At the Nordic BioCenter we look for curious applicants in molecular biology.",
    )
    assert normalize(unrelated).institution is None
