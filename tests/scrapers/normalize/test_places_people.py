from scrapers.normalize.geo import country_code
from scrapers.normalize.institution_table import canonical_institution
from scrapers.normalize.people import extract_apply_url, extract_emails, extract_supervisors
from scrapers.normalize.places import extract_places


def test_aliases_give_the_canonical_institution():
    assert canonical_institution("KTH") == "KTH Royal Institute of Technology"
    assert (
        canonical_institution("Technical University of Denmark (DTU)")
        == "Technical University of Denmark"
    )


def test_country_names_and_codes_become_iso_alpha_2():
    assert country_code("United Kingdom") == "GB"
    assert country_code("Sweden") == "SE"
    assert country_code("UK") == "GB"


def test_kth_in_the_text_gives_institution_city_and_country(doc):
    place = extract_places(
        doc(
            "KTH Royal Institute of Technology in Stockholm has grown to become one of Europe's leading universities."
        )
    )
    assert (place.institution.value, place.city.value, place.country.value) == (
        "KTH Royal Institute of Technology",
        "Stockholm",
        "SE",
    )


def test_an_unknown_university_takes_city_and_country_from_its_name(doc):
    place = extract_places(
        doc(
            "A PhD position at the University of Trondelag Nord is open.",
            title="PhD at Universität Bielefeld",
        )
    )
    assert place.institution.value == "Universität Bielefeld"
    assert (place.city.value, place.country.value) == ("Bielefeld", "DE")


def test_a_university_is_preferred_over_its_institute(doc):
    place = extract_places(
        doc(
            "The KdV Institute for Mathematics of the University of Amsterdam offers two positions."
        )
    )
    assert place.institution.value == "University of Amsterdam"


def test_the_institution_is_inferred_from_an_email_domain(doc):
    place = extract_places(doc("Please contact Chul (chul at hku.hk)."), emails=["chul@hku.hk"])
    assert (place.institution.value, place.country.value) == ("The University of Hong Kong", "HK")
    assert place.institution.evidence.rule == "domain"


def test_labelled_country_and_university_win(doc):
    place = extract_places(
        doc("", fields={"Country": "United Kingdom", "University": "University of Southampton"})
    )
    assert (place.institution.value, place.country.value, place.city.value) == (
        "University of Southampton",
        "GB",
        "Southampton",
    )


def test_obfuscated_and_mailto_emails_are_found(doc):
    found = extract_emails(
        doc(
            "Write to fan.yang(at)helsinki.fi or jane [at] example [dot] org.",
            links=[("here", "mailto:zplusj@gmail.com")],
        )
    )
    assert found.value == ["fan.yang@helsinki.fi", "jane@example.org", "zplusj@gmail.com"]


def test_a_name_followed_by_at_and_a_word_is_not_an_email(doc):
    assert extract_emails(doc("Contact Dr. Fan Yang at the department.")) is None


def test_supervisors_from_labels_and_phrases(doc):
    assert extract_supervisors(doc("**Main advisor:** Pierre Nyquist.")).value == ["Pierre Nyquist"]
    advert = doc(
        "The project is co-supervised by Professor Alain Zemkoho (bilevel optimization expert, University of "
        "Southampton) and Professor Massimiliano Pontil (machine learning expert, University College London)."
    )
    assert extract_supervisors(advert).value == ["Alain Zemkoho", "Massimiliano Pontil"]


def test_the_professor_to_contact_is_a_low_confidence_supervisor(doc):
    found = extract_supervisors(
        doc("For informal inquiries, please contact Prof. Dr. Jane Miller.")
    )
    assert found.value == ["Jane Miller"]
    assert found.evidence.confidence < 0.5


def test_the_apply_link_follows_apply_words(doc):
    advert = doc(
        "For more information about WASP see <https://wasp-sweden.org/>.\n\n"
        "Apply here: <http://www.maths.ed.ac.uk/pgr/apply>"
    )
    assert extract_apply_url(advert).value == "http://www.maths.ed.ac.uk/pgr/apply"


def test_a_click_tracking_link_is_unwrapped(doc):
    advert = doc(
        "Online application: <https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.gssi.it%2Fphd%2F&h=x>"
    )
    assert extract_apply_url(advert).value == "https://www.gssi.it/phd/"


def test_abbreviated_university_names_are_recognised(doc):
    place = extract_places(
        doc("A PhD position in numerical analysis.", title="PhD position (Univ. Strathclyde)")
    )
    assert place.institution.value == "University of Strathclyde"


def test_a_group_named_after_its_field_is_not_a_supervisor(doc):
    advert = doc(
        "The group of Numerical Analysis of Kinetic Equations at EPFL invites applications. "
        "For informal enquiries contact Prof. Sofia Brunner."
    )
    assert extract_supervisors(advert).value == ["Sofia Brunner"]


def test_a_person_comes_before_an_office_mailbox(doc):
    found = extract_emails(
        doc("Apply to hr@maths.example.ac.uk. For questions, contact jane.doe@example.ac.uk.")
    )
    assert found.value == ["jane.doe@example.ac.uk", "hr@maths.example.ac.uk"]
