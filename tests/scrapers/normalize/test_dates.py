from datetime import date

import pytest

from scrapers.normalize.dates import find_dates, parse_date
from scrapers.normalize.deadlines import extract_deadline
from scrapers.normalize.durations import extract_duration, parse_duration
from scrapers.normalize.starts import extract_start


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 January 2026", date(2026, 1, 9)),
        ("January 9, 2026", date(2026, 1, 9)),
        ("31/01/2025", date(2025, 1, 31)),
        ("2025-01-31", date(2025, 1, 31)),
        ("the 15th of June, 2018", date(2018, 6, 15)),
        ("March 30th 2016 17:00 h (CET)", date(2016, 3, 30)),
        ("1 March, 2018, or earlier", date(2018, 3, 1)),
        ("5 Sep 2019", date(2019, 9, 5)),
    ],
)
def test_common_date_formats_are_read_without_dateparser(text, expected):
    assert parse_date(text) == expected


def test_year_less_dates_take_the_next_such_day_after_the_reference():
    assert parse_date("March 8", reference=date(2020, 1, 15)) == date(2020, 3, 8)
    assert parse_date("8th of March", reference=date(2020, 1, 15)) == date(2020, 3, 8)
    assert parse_date("February 28", reference=date(2021, 3, 1)) == date(2022, 2, 28)


def test_a_month_and_year_is_found_at_month_precision():
    [mention] = find_dates("starting August 2020 or at an agreed upon date")
    assert (mention.year, mention.month, mention.day) == (2020, 8, None)


def test_the_southampton_expired_label_loses_to_the_date_in_the_text_and_is_recorded(doc):
    advert = doc(
        "The application deadline is January 9, 2026, with a start date of October 1, 2026.",
        fields={"Deadline": "Expired"},
    )
    result = extract_deadline(advert)
    assert result.deadline == "2026-01-09"
    assert result.kind == "fixed"
    assert any("Expired" in item["other"] for item in result.contradictions)
    assert result.evidence is not None and "January 9, 2026" in result.evidence.snippet


def test_kths_year_less_march_8_takes_its_year_from_march_8_2020_elsewhere(doc):
    advert = doc(
        "Your complete application must be received by KTH no later than the stated application "
        "deadline (**March 8**), midnight CET/CEST.\n\n**Application Submission Deadline:** March 8, 2020."
    )
    result = extract_deadline(advert)
    assert result.deadline == "2020-03-08"
    assert result.kind == "fixed"
    assert result.contradictions == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The position will be open until filled.",
        "Applications are accepted until the position is filled.",
        "Applications are reviewed continuously.",
        "Review of applications will begin immediately and continue until the positions are filled.",
        "There is no application deadline.",
    ],
)
def test_open_until_filled_phrases_make_a_rolling_deadline(doc, sentence):
    result = extract_deadline(doc(sentence))
    assert (result.deadline, result.kind) == (None, "rolling")


def test_a_listing_closing_date_does_not_override_a_rolling_advert(doc):
    advert = doc(
        "The positions remain open until they are filled.", meta={"closes": "2018-03-07 12:00:00"}
    )
    assert extract_deadline(advert).kind == "rolling"


def test_the_front_matter_deadline_is_used_when_the_text_has_none(doc):
    result = extract_deadline(doc("Apply by e-mail.", meta={"closes": "2015-04-20 12:00:00"}))
    assert (result.deadline, result.kind) == ("2015-04-20", "fixed")
    assert result.evidence is not None and result.evidence.rule == "meta_deadline"


def test_the_body_deadline_wins_over_a_different_front_matter_deadline_and_says_so(doc):
    result = extract_deadline(
        doc("- Deadline for applications: 14 April 2019", meta={"deadline": "2019-04-19"})
    )
    assert result.deadline == "2019-04-14"
    assert result.contradictions[0]["other"] == "2019-04-19"


def test_a_full_consideration_date_is_a_fixed_deadline(doc):
    result = extract_deadline(
        doc("Applications received by January 15th, 2016 will receive full consideration.")
    )
    assert (result.deadline, result.kind) == ("2016-01-15", "fixed")


def test_deadline_time_and_zone_are_kept(doc):
    result = extract_deadline(doc("Deadline for submission: March 30th 2016 17:00 h (CET)"))
    assert (result.deadline, result.time, result.timezone) == ("2016-03-30", "17:00", "CET")


def test_a_year_less_deadline_takes_the_year_of_the_posting_date(doc):
    result = extract_deadline(
        doc("Deadline: June 20, 6 pm (CEST)", meta={"published": "2018-06-01T08:53:07+00:00"})
    )
    assert (result.deadline, result.time) == ("2018-06-20", "18:00")


def test_a_start_date_is_not_taken_for_the_deadline(doc):
    result = extract_deadline(doc("The positions should start no later than 1 September 2016."))
    assert result.deadline is None


def test_start_dates_in_words_and_seasons(doc):
    assert extract_start(doc("The position starts in autumn 2026.")).start_date == "2026-09-01"
    assert (
        extract_start(
            doc("A five year position starting August 2020 or at an agreed upon date.")
        ).start_date
        == "2020-08-01"
    )
    southampton = doc(
        "The application deadline is January 9, 2026, with a start date of October 1, 2026."
    )
    assert extract_start(southampton).start_date == "2026-10-01"


def test_a_labelled_start_date_is_read(doc):
    result = extract_start(
        doc(fields={"First day of employment": "1 August 2020 or an agreed upon date."})
    )
    assert result.start_date == "2020-08-01"
    assert result.evidence is not None and result.evidence.rule == "label_start"


@pytest.mark.parametrize(
    ("text", "months"),
    [("four years", 48), ("36 months", 36), ("3.5 years", 42), ("a five year position", 60)],
)
def test_durations_in_words_and_numbers(text, months):
    assert parse_duration(text) == months


def test_a_five_year_position_funded_for_four_years_lasts_five_years(doc):
    advert = doc(
        "The position is a time-limited, full-time, five year position starting August 2020. "
        "The position is fully funded for four years and will be extended to five years by assigning teaching duties."
    )
    assert extract_duration(advert).value == 60


def test_experience_in_years_is_not_a_duration(doc):
    assert (
        extract_duration(doc("Researchers with over two years of experience are welcome.")) is None
    )


def test_german_day_dots_and_month_names_are_read():
    assert parse_date("15. Januar 2025") == date(2025, 1, 15)


def test_a_labelled_date_our_patterns_miss_goes_to_dateparser(doc):
    result = extract_deadline(doc(fields={"Closing date": "2025/02/14"}))
    assert result.deadline == "2025-02-14"


def test_without_a_posting_date_a_year_less_deadline_takes_the_year_of_the_page(doc):
    advert = doc("Starting date: October 2026. Applications must be received by March 8.")
    assert extract_deadline(advert).deadline == "2026-03-08"


def test_a_date_after_by_in_a_sentence_not_about_applying_is_no_deadline(doc):
    assert extract_deadline(doc("Results will be announced by 15 March 2024.")).deadline is None


def test_review_of_applications_beginning_on_a_date_is_a_fixed_soft_deadline(doc):
    result = extract_deadline(
        doc(
            "Review of applications will begin on January 15, 2019 and continue until the position is filled."
        )
    )
    assert (result.deadline, result.kind) == ("2019-01-15", "fixed")
    assert "soft" in result.evidence.rule


def test_the_day_a_review_of_applications_begins_is_not_the_start_date(doc):
    assert (
        extract_start(doc("Review of applications will begin on December 15, 2018.")).start_date
        is None
    )
    assert (
        extract_start(doc("These studentships are available from September 2015.")).start_date
        == "2015-09-01"
    )


def test_a_starting_salary_is_not_a_start_date(doc):
    result = extract_start(
        doc("The starting salary of a doctoral assistant is CHF 50,000 (valid from 01.01.2024).")
    )
    assert result.start_date is None


def test_a_length_of_something_else_is_not_the_positions_duration(doc):
    assert extract_duration(doc("Applicants need 2 years of experience in Python.")) is None
    assert extract_duration(doc("Results stay on display in the library during 3 years.")) is None
    assert extract_duration(doc("Duration\n\nThree years")).value == 36
