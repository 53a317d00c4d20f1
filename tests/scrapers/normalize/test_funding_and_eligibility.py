from scrapers.normalize.eligibility import eligibility_contradictions, extract_eligibility
from scrapers.normalize.funding import extract_funding
from scrapers.records import Stipend


def test_fully_funded_words_mean_full_funding(doc):
    assert (
        extract_funding(
            doc("This fully funded PhD position at the University of Southampton")
        ).value
        == "full"
    )


def test_self_funded_and_partial_funding_are_recognised(doc):
    assert extract_funding(doc("This project is self-funded.")).value == "self"
    assert extract_funding(doc("A partially funded studentship (fees only).")).value == "partial"


def test_salaried_doctoral_employment_counts_as_full_funding(doc):
    found = extract_funding(doc("A doctoral position."), contract="employment")
    assert (found.value, found.evidence.rule) == ("full", "salaried_employment")


def test_a_stated_stipend_counts_as_full_funding(doc):
    found = extract_funding(
        doc("Stipend: 2,000 EUR per month."),
        stipend=Stipend(2000, "EUR", "month", text="2,000 EUR"),
    )
    assert found.value == "full"


def test_mentioning_scholarships_one_may_apply_for_is_not_funding(doc):
    advert = doc("There are attractive funding schemes such as the Presidential PhD Scholarship.")
    assert extract_funding(advert).value == "unknown"


def test_uk_and_international_applicants_welcome(doc):
    values, evidence = extract_eligibility(
        doc("Both UK and international applicants are encouraged to apply.")
    )
    assert set(values) == {"home", "international"}
    assert evidence is not None


def test_students_worldwide_with_fees_at_the_uk_rate_is_a_recorded_contradiction(doc):
    advert = doc(
        "Tuition fees are covered at the UK rate.",
        fields={"Funding": "Funded PhD Project (Students Worldwide)"},
    )
    values, _ = extract_eligibility(advert)
    assert "international" in values
    [contradiction] = eligibility_contradictions(advert, values, "home")
    assert contradiction["field"] == "eligibility"


def test_uk_or_eu_citizens_only_excludes_international(doc):
    values, _ = extract_eligibility(
        doc("Candidates must be a UK citizen, or a EU citizen fulfilling the EPSRC requirements.")
    )
    assert set(values) == {"home", "eu"}


def test_any_nationality_means_everyone(doc):
    values, _ = extract_eligibility(doc("Applicants of any nationality are welcome."))
    assert values == ["home", "eu", "international"]


def test_lowercase_us_is_not_the_united_states(doc):
    values, _ = extract_eligibility(doc("Tell us students what you think."))
    assert values == []


def test_a_lab_without_money_for_phd_students_means_self_funding(doc):
    advert = doc(
        "Note: we DO NOT have financial support available for PhD students. This needs to be arranged from your end."
    )
    assert extract_funding(advert).value == "self"
