"""Classes of adverts the stipend, pay-scale and topic rules were generalised for (issue 20).

Each class has an advert of our own in tests/fixtures/money_topics/ (the structure of
../shared/adverts), scored here with scripts/score_extract.py, and a one-rule test below.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapers.normalize.topics import address_words, extract_topics, topic_words

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))

import score_extract  # noqa: E402

FOLDER = ROOT / "tests" / "fixtures" / "money_topics"


def test_every_class_advert_of_our_own_scores_every_fact():
    score = score_extract.score_folder(FOLDER)
    assert score.errors == []
    assert score.misses == [], score.misses
    assert score.invented == []


def test_an_equal_opportunity_or_benefits_sentence_gives_no_topic(doc):
    advert = doc(
        "We study galaxy formation and exoplanets. "
        "We do not discriminate on the basis of religion or age. "
        "Benefits include public health care and a pension.",
        title="PhD programme",
    )
    found, tags = extract_topics(advert)
    assert found is not None and found.value == ["Physics > Astrophysics"]
    assert "religion" not in tags and "public health" not in tags


def test_field_words_of_other_languages_become_english_tags(doc):
    advert = doc(
        "Le projet se situe entre l'écologie, l'anthropologie et l'éthique.",
        title="Thèse en philosophie",
    )
    found, tags = extract_topics(advert)
    assert found is not None and found.value[0] == "Philosophy"
    assert {"ecology", "anthropology", "ethics", "philosophy"} <= set(tags)


def test_a_major_area_is_a_tag_not_a_topic(doc):
    found, tags = extract_topics(doc("Das Kolleg der Geisteswissenschaften vergibt Stellen."))
    assert found is None
    assert tags == ["humanities"]


def test_the_address_names_a_department_by_its_host_or_slug_not_its_sections(doc):
    assert address_words("https://political-science.example.edu/content/funding") == (
        "political science ; example ; edu"
    )
    assert "education" not in address_words("https://www.example.ch/education/phd/salary/")
    found, _tags = extract_topics(
        doc("Students receive a stipend.", url="https://political-science.example.edu/funding")
    )
    assert found is not None and found.value == ["Political Science"]


def test_every_translated_word_belongs_to_an_english_keyword_of_its_node():
    words = topic_words()
    for word, nodes in words.owners.items():
        english = words.english[word]
        assert any(english in node.keywords or english == node.name.casefold() for node in nodes), (
            word
        )


# --- money: the place's currency, national pay scales, the share of full time -----------


def test_an_ambiguous_sign_means_the_currency_the_place_writes_with_it():
    from scrapers.normalize.money import currency_code

    assert currency_code("$", country="CA") == "CAD"
    assert currency_code("$", country="HK") == "HKD"
    assert currency_code("$", country="MX") == "MXN"
    assert currency_code("$", country="DE") == "USD"  # Germany writes no currency "$"
    assert currency_code("kr.", country="DK") == "DKK"
    assert currency_code("¥", country="CN") == "CNY"
    assert currency_code("¥", country="JP") == "JPY"
    assert currency_code("€", country="CH") == "EUR"  # a sign of its own is never the place's


def test_every_pay_scale_row_pays_in_its_country_currency_and_cites_a_source():
    from scrapers.normalize.pay_scales import load_scales
    from scrapers.normalize.place_money import country_currency

    scales = load_scales()
    assert len(scales) >= 10
    for scale in scales:
        assert country_currency(scale.country) == scale.currency, scale.name
        assert scale.period in ("month", "year")
        assert "http" in scale.source, scale.name


def test_a_national_scale_without_an_amount_gives_its_currency_and_period(doc):
    from scrapers.normalize.money import extract_stipend

    found = extract_stipend(
        doc("The position is placed on the State salary scale, position code 1017, grade 54."),
        country="NO",
    )
    assert found is not None
    assert (found.value.amount, found.value.currency, found.value.period) == (None, "NOK", "year")
    assert found.value.pay_scale == "Norwegian State salary scale 54"
    # The same words on a page of another country name no Norwegian scale.
    other = extract_stipend(doc("Placed on the State salary scale, grade 54."), country="SE")
    assert other is None


def test_an_amount_without_a_currency_needs_pay_words_a_period_and_a_known_place(doc):
    from scrapers.normalize.money import extract_stipend

    sentence = "Your monthly salary starts at 2.2 million, enough to live on."
    found = extract_stipend(doc(sentence), country="KR")
    assert found is not None
    assert (found.value.amount, found.value.currency, found.value.period) == (
        2_200_000,
        "KRW",
        "month",
    )
    assert extract_stipend(doc(sentence), country=None) is None
    assert extract_stipend(doc("The lab has 2,400 square metres per floor."), country="KR") is None


def test_the_share_of_full_time_is_read_but_not_from_teaching_or_allowances():
    from scrapers.normalize.pay_scales import fte_percent

    assert fte_percent("Assistant-e doctorant-e à 80%. Le projet") == 80
    assert fte_percent("Die Stellen werden mit 65 % der regulären Arbeitszeit vergütet.") == 65
    assert fte_percent("a 50% position in the group") == 50
    assert fte_percent("The scholarship includes 25 % teaching duties.") is None
    assert fte_percent("plus 8% holiday allowance") is None
    assert fte_percent("a stipend at 100% of the UKRI rate") is None


# --- pay, funding and eligibility words of other languages ---------------------------------


def test_pay_and_its_period_in_other_languages(doc):
    from scrapers.normalize.money import extract_stipend

    cases = {
        "La retribución será de 1.450 euros brutos al mes.": (1450, "month"),
        "L'importo annuo lordo della borsa è di 16.243 euro.": (16243, "year"),
        "La rémunération est de 2 200 € brut par mois.": (2200, "month"),
        "Die Vergütung beträgt 2.400 € brutto pro Monat.": (2400, "month"),
    }
    for sentence, (amount, period) in cases.items():
        found = extract_stipend(doc(sentence), country=None)
        assert found is not None, sentence
        assert (found.value.amount, found.value.currency, found.value.period) == (
            amount,
            "EUR",
            period,
        ), sentence


def test_funding_words_of_other_languages(doc):
    from scrapers.normalize.funding import extract_funding

    assert extract_funding(doc("Une thèse financée par le CNRS.")).value == "full"
    assert extract_funding(doc("Il progetto è finanziato dal Ministero.")).value == "full"
    assert extract_funding(doc("Die Promotion ist ohne Finanzierung.")).value == "self"
    assert extract_funding(doc("Una beca sin financiación de matrícula.")).value == "self"
    assert extract_funding(doc("La thèse est partiellement financée.")).value == "partial"


def test_who_may_apply_in_other_languages(doc):
    from scrapers.normalize.eligibility import extract_eligibility

    anyone, _ = extract_eligibility(doc("Pueden presentarse candidatos de cualquier nacionalidad."))
    assert anyone == ["home", "eu", "international"]
    foreign, _ = extract_eligibility(doc("Les candidats étrangers joignent leurs diplômes."))
    assert foreign == ["international"]
    eu, _ = extract_eligibility(doc("Riservato a cittadini dell'Unione europea."))
    assert eu == ["eu"]
    none, _ = extract_eligibility(doc("Die Stelle ist in Berlin."))
    assert none == []


def test_applicants_who_can_come_from_any_country_are_everyone(doc):
    from scrapers.normalize.eligibility import extract_eligibility

    values, _ = extract_eligibility(doc("Applicants can be from any country of the world."))
    assert values == ["home", "eu", "international"]


def test_research_on_healthcare_is_a_topic_sentence_not_benefits(doc):
    found, _tags = extract_topics(
        doc(
            "My group works on stochastic optimization for healthcare operations and robust optimization.",
            title="PhD students wanted",
        )
    )
    assert found is not None and found.value[0] == "Mathematics > Optimisation and Control"


def test_a_share_of_duties_is_not_the_share_of_full_time():
    from scrapers.normalize.pay_scales import fte_percent

    assert fte_percent("departmental duties (no more than 20% of full time)") is None


def test_the_keyword_trie_matches_the_longest_word_at_a_word_boundary():
    import re

    from scrapers.normalize.topics import _trie_pattern

    regex = re.compile(
        r"(?<![\w-])(?:" + _trie_pattern(["optics", "quantum optics", "quantum"]) + r")(?![\w-])"
    )
    assert [m.group(0) for m in regex.finditer("quantum optics, quantum dots, opticsx")] == [
        "quantum optics",
        "quantum",
    ]
