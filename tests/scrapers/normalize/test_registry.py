"""The institution registry: names, web hosts and e-mail domains of the world's universities."""

from __future__ import annotations

from scrapers.extract import extract_records
from scrapers.normalize.registry import country_of_domain, registry, tidy_name


def test_the_registry_holds_tens_of_thousands_of_institutions():
    index = registry()
    assert len(index.rows) > 20_000
    assert {row.source for row in index.rows} == {"table", "swot"}


def test_a_department_host_or_an_email_finds_its_university():
    index = registry()
    southern_california = index.for_host("cs.usc.edu")
    assert southern_california is not None
    assert southern_california.name == "University of Southern California"
    assert southern_california.country == "US"
    assert index.for_host("someone@kaust.edu.sa").country == "SA"
    assert index.for_host("www.example.com") is None


def test_a_curated_row_keeps_its_name_and_takes_the_lists_names_as_aliases():
    copenhagen = registry().for_host("ku.dk")
    assert copenhagen is not None and copenhagen.name == "University of Copenhagen"
    assert registry().for_name("Copenhagen University") is copenhagen


def test_names_are_found_in_running_text_word_by_word():
    text = "The project runs at Lappeenranta University of Technology with partners abroad."
    found = [(text[start:end], row.country) for start, end, row in registry().names_in(text)]
    assert found == [("Lappeenranta University of Technology", "FI")]


def test_registry_names_are_tidied_and_countries_come_from_the_domain():
    assert tidy_name("The University of Aizu") == "University of Aizu"
    assert tidy_name("University of Toronto, Canada") == "University of Toronto"
    assert tidy_name("Durham University in the UK") == "Durham University"
    assert country_of_domain("uni-paderborn.de") == "DE"
    assert country_of_domain("ox.ac.uk") == "GB"
    assert country_of_domain("example.org") is None


OFFICIAL_PAGE = """Doctoral scholarships

The graduate school funds three doctoral scholarships each year. Students receive a
monthly allowance and are enrolled in the programme for four years. Enquiries to the
graduate office, phd-office@{email_host}.
"""


def test_the_page_host_names_the_institution_when_the_text_does_not():
    text = OFFICIAL_PAGE.format(email_host="example.org")
    record = extract_records(text, "https://www.lut.fi/en/graduate/scholarships")[0]
    assert record.institution == "Lappeenranta University of Technology"
    assert record.country == "FI"
    assert record.evidence["institution"].rule == "page_host"


def test_an_email_domain_names_the_institution_of_a_page_from_elsewhere():
    text = OFFICIAL_PAGE.format(email_host="scu.edu.au")
    record = extract_records(text, "https://scholarships.example.com/post/1")[0]
    assert record.institution == "Southern Cross University"
    assert record.country == "AU"
    assert record.evidence["institution"].rule == "domain"  # an e-mail domain


def test_a_name_in_the_text_outranks_the_host_it_was_published_on():
    text = OFFICIAL_PAGE.format(email_host="scu.edu.au").replace(
        "The graduate school", "The graduate school of Universität Paderborn"
    )
    record = extract_records(text, "https://www.lut.fi/news/1")[0]
    assert record.institution == "Universität Paderborn"
    assert record.country == "DE"


def test_a_generic_name_belongs_to_no_one_institution():
    # "University of Applied Sciences" is the English name of hundreds of institutions.
    assert registry().for_name("University of Applied Sciences") is None


def test_a_name_listed_under_a_country_domain_and_edu_takes_the_countrys():
    postech = registry().for_name("Pohang University of Science and Technology")
    assert postech is not None and postech.country == "KR"


def test_the_host_row_gives_the_country_when_the_page_names_the_institution_differently():
    text = (
        "Doctoral researcher positions\n\nThe positions are at LUT Business School. The "
        "contract will be made for four years. Salary is paid monthly."
    )
    record = extract_records(text, "https://www.lut.fi/en/careers/doctoral")[0]
    assert record.country == "FI"


def test_a_city_written_in_its_own_language_is_given_its_english_name():
    text = "PhD scholarship\n\nThe position is at the University of Milano-Bicocca, in Italy."
    record = extract_records(text, "https://example.org/phd", content_type="text/plain")[0]
    assert record.city == "Milan"


def test_a_university_named_in_its_own_language_is_found_under_its_english_name():
    text = "Stipendiat i fysikk\n\nStillingen er ved Universitetet i Bergen, Institutt for fysikk."
    record = extract_records(text, "https://example.org/stilling", content_type="text/plain")[0]
    assert record.institution == "University of Bergen"
    assert record.country == "NO"


def test_the_built_index_is_cached_for_the_next_process_and_a_broken_cache_is_rebuilt(
    tmp_path, monkeypatch
):
    from scrapers.normalize import registry as module

    monkeypatch.setenv("INSTITUTION_REGISTRY_CACHE_DIR", str(tmp_path))
    built = module.registry.__wrapped__()
    files = list(tmp_path.glob("institutions-*.pickle"))
    assert len(files) == 1
    loaded = module.registry.__wrapped__()
    assert loaded.for_host("uio.no") == built.for_host("uio.no")
    assert len(loaded.rows) == len(built.rows)
    files[0].write_bytes(b"not a pickle")
    rebuilt = module.registry.__wrapped__()
    assert len(rebuilt.rows) == len(built.rows)
