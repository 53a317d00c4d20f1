"""General rules for adverts in languages other than English (issue 20), one class a test.

Each sentence is our own, written for the class it stands for; the words the rules read are
data in scrapers/normalize/lexicon.py."""

from __future__ import annotations

import pytest

from scrapers.extract import extract_records
from scrapers.normalize.dates import find_dates


def _record(body: str, title: str = "Doctoral position", url: str = "https://example.org/ad"):
    text = f"{title}\n\n{body}\n\nDeadline: 1 March 2026."
    return extract_records(text, url, content_type="text/plain")[0]


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("Ønsket oppstart er 1. september 2026.", "2026-09-01"),  # Norwegian, lower case
        ("De beoogde ingangsdatum is 1 oktober 2026.", "2026-10-01"),  # Dutch
        ("La fecha de inicio estimada es enero de 2026.", "2026-01"),  # "month de year"
        ("Com início previsto em março de 2026.", "2026-03"),  # Portuguese
        ("Entrée en fonction : automne 2026", "2026-09"),  # French label
        ("Stillingen er til besættelse pr. 1. november 2026.", "2026-11-01"),  # "pr." no stop
        ("Incarico con decorrenza dal 1 dicembre 2026.", "2026-12-01"),  # Italian
    ],
)
def test_a_start_is_read_in_the_advert_s_language(sentence, start):
    assert (_record(sentence).start_date or "").startswith(start)


def test_lower_case_english_words_that_are_months_stay_words():
    assert find_dates("Candidates may 2026 apply, or march 2026 on.") == []
    assert [m.month for m in find_dates("Søknadsfrist 1. august 2026")] == [8]


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("Wir bieten eine dreijährige Promotionsstelle in der Physik.", 36),
        ("Het vierjarige promotietraject is onderdeel van een NWO-project.", 48),
        ("Vi erbjuder en fyraårig anställning som doktorand.", 48),
        ("Der er tale om et treårigt ph.d.-stipendium.", 36),
        ("È disponibile una borsa di dottorato triennale.", 36),
        ("Anställningen är tidsbegränsad till fyra år.", 48),
        ("Stillingen er tidsbegrænset til 3 år.", 36),
        (
            "A bolsa terá a duração de 12 meses, renovável até ao máximo de 48 meses.",
            48,
        ),
        ("The studentship is for 12 months, renewable up to a maximum of 36 months.", 36),
    ],
)
def test_a_duration_is_read_in_the_advert_s_language(sentence, months):
    assert _record(sentence).duration_months == months


def test_a_duration_adjective_outside_a_sentence_about_the_position_is_no_duration():
    assert _record("Die dreijährige Erfahrung im Labor hilft.").duration_months is None


@pytest.mark.parametrize(
    ("sentence", "institution"),
    [
        # "Universidade" is not read as "Universidad" plus a stray "e".
        (
            "O projeto decorre na Universidade Federal de Viçosa, no departamento de física.",
            "Universidade Federal de Viçosa",
        ),
        # An institute named in its own language, head first, with the acronym it is given.
        (
            "El Instituto de Investigaciones Costeras (IIC) ofrece una plaza predoctoral.",
            "Instituto de Investigaciones Costeras (IIC)",
        ),
        (
            "La tesi si svolge presso l'Istituto Nazionale di Ottica Applicata a Firenze.",
            "Istituto Nazionale di Ottica Applicata",
        ),
        (
            "Am Institut für Gletscherkunde ist eine Stelle zu besetzen.",
            "Institut für Gletscherkunde",
        ),
    ],
)
def test_an_institution_is_named_in_its_own_language(sentence, institution):
    record = _record(sentence, url="file:///advert.txt")
    assert record.institution == institution


def test_a_listed_name_that_the_page_continues_is_not_the_institution():
    # The registry lists "Instituto de Ciencias" (a Mexican institute); the page names a
    # longer one that starts with the same words.
    record = _record(
        "El Instituto de Ciencias del Mar Profundo ofrece una plaza predoctoral.",
        url="file:///advert.txt",
    )
    assert record.institution == "Instituto de Ciencias del Mar Profundo"
    assert record.country != "MX"


@pytest.mark.parametrize(
    ("body", "deadline"),
    [
        # A year-less "day de month" takes the year of the page's other dates.
        (
            "Envíe su candidatura hasta el 12 de junio. Incorporación: septiembre de 2026.",
            "2026-06-12",
        ),
        # German and Nordic day ordinals before a capitalised month do not end the sentence.
        ("Bitte bewerben Sie sich bis zum 14. Juni 2026 über das Portal.", "2026-06-14"),
        # A window's last day, in a label or in a sentence about applying.
        ("Período de candidatura: de 2 de junho a 16 de junho de 2026.", "2026-06-16"),
        ("Plazo de solicitud: del 3 de junio al 17 de junio de 2026.", "2026-06-17"),
        (
            "Applications are accepted online beginning June 1, 2026 through June 19, 2026.",
            "2026-06-19",
        ),
    ],
)
def test_a_deadline_is_read_in_the_advert_s_language(body, deadline):
    text = f"Doctoral position\n\n{body}"
    record = extract_records(text, "https://example.org/ad", content_type="text/plain")[0]
    assert record.deadline == deadline


def test_interview_dates_joined_by_and_are_no_application_window():
    text = "Doctoral position\n\nApplicants will be interviewed on 3 June 2026 and 5 June 2026."
    record = extract_records(text, "https://example.org/ad", content_type="text/plain")[0]
    assert record.deadline is None


@pytest.mark.parametrize(
    "sentence",
    [
        "La plaza está abierta hasta cubrir la posición.",
        "Les candidatures sont examinées jusqu'à ce que le poste soit pourvu.",
        "Il bando resta aperto fino a copertura del posto.",
        "As candidaturas são aceites até ao preenchimento da vaga.",
        "Ansökningar behandlas löpande.",
        "Ansøgninger behandles løbende.",
    ],
)
def test_a_rolling_deadline_is_read_in_the_advert_s_language(sentence):
    text = f"Doctoral position\n\n{sentence}"
    record = extract_records(text, "https://example.org/ad", content_type="text/plain")[0]
    assert record.deadline_kind == "rolling"


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("Ab 1. Februar 2027 oder nach Vereinbarung suchen wir eine Doktorandin.", "2027-02-01"),
        ("Die Stelle ist zum 1. Oktober 2026 zu besetzen.", "2026-10-01"),
        ("Le poste est à pourvoir le 1er mars 2027 ou à convenir.", "2027-03-01"),
    ],
)
def test_a_date_followed_by_an_agreed_start_clause_is_the_start(sentence, start):
    assert _record(sentence).start_date == start


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("La durata del percorso è di tre anni, con sei mesi all'estero.", 36),
        ("Le doctorant sera salarié pendant 3 ans dans le cadre du contrat.", 36),
    ],
)
def test_a_duration_after_its_own_word_is_read(sentence, months):
    assert _record(sentence).duration_months == months


@pytest.mark.parametrize(
    "sentence",
    [
        "Las solicitudes se presentarán a través de la sede electrónica: {url}",
        "Candidater en ligne sur {url} avant la date limite.",
        "As inscrições são feitas pelo formulário {url}",
        "Bitte nutzen Sie für Ihre Bewerbung das Portal {url}",
        "Ansök via {url}",
    ],
)
def test_the_link_after_apply_words_in_the_advert_s_language_is_the_apply_url(sentence):
    url = "https://jobs.example.org/position/4711"
    record = _record(sentence.format(url=url) + "\n\nSee also https://example.org/about-us")
    assert record.apply_url == url


@pytest.mark.parametrize(
    ("body", "city"),
    [
        ("Lugar de trabajo: Facultad de Ciencias, Córdoba (España).", "Córdoba"),
        ("Lieu : laboratoire de physique, Villeurbanne.", "Villeurbanne"),
        ("Arbejdssted: Nørre Allé 20, 2200 København N.", "Copenhagen"),
        ("El centro de investigación, situado en Valencia, busca un doctorando.", "Valencia"),
        ("La thèse se déroulera sur le campus de Brest, au sein du laboratoire.", "Brest"),
        ("O projeto será desenvolvido em Campinas, no laboratório de óptica.", "Campinas"),
        ("Arbeitsort ist Graz.", "Graz"),
    ],
)
def test_a_stated_place_of_work_gives_the_city(body, city):
    assert _record(body, url="file:///advert.txt").city == city


def test_a_city_in_a_word_that_is_no_place_phrase_gives_no_city():
    record = _record("Le projet est basé sur des données ouvertes.", url="file:///advert.txt")
    assert record.city is None


def test_a_city_s_own_name_beats_another_city_s_alternate_name():
    from scrapers.normalize.geo import lookup_city

    assert lookup_city("Porto") == ("Porto", "PT")


@pytest.mark.parametrize(
    ("body", "city"),
    [
        # A name that starts with a large city's name.
        ("Applications are invited at the Lisbon Oceanographic Centre for a PhD.", "Lisbon"),
        # A unit's name between the institution and its city.
        (
            "You will work at University of Agder Business School, Grimstad, in the team.",
            "Grimstad",
        ),
    ],
)
def test_the_city_is_read_from_the_institution_s_name_or_what_follows_it(body, city):
    assert _record(body, url="file:///advert.txt").city == city


@pytest.mark.parametrize(
    ("body", "deadline"),
    [
        ("Termini de presentació de sol·licituds: 15 de maig de 2026.", "2026-05-15"),
        ("Les sol·licituds es poden presentar fins al 22 de juny de 2026.", "2026-06-22"),
        ("Inscrições até 1º de março de 2026.", "2026-03-01"),
    ],
)
def test_catalan_deadlines_and_ordinal_signs_are_read(body, deadline):
    text = f"Doctoral position\n\n{body}"
    record = extract_records(text, "https://example.org/ad", content_type="text/plain")[0]
    assert record.deadline == deadline


def test_a_french_rentree_is_a_september_start():
    assert (_record("Début de la thèse : rentrée 2026.").start_date or "").startswith("2026-09")


@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        # The total a sentence states beats the extension it names first.
        ("After a review the contract is extended for 3 years, totalling a 4-year period.", 48),
        # A first contract and its extension add up to the position's length.
        ("You are employed initially for two years, which can be extended by two years.", 48),
    ],
)
def test_a_total_or_initial_plus_extension_is_the_duration(sentence, months):
    assert _record(sentence).duration_months == months


def test_an_extension_alone_is_no_duration():
    assert _record("The contract may be extended for 2 years.").duration_months is None


@pytest.mark.parametrize(
    ("title", "city"),
    [
        ("Contrat doctoral à la ESAD Lyon", "Lyon"),
        ("Dottorato presso il Politecnico, Milano", "Milan"),
        ("Doutoramento em ecologia no Porto", "Porto"),
    ],
)
def test_a_city_in_the_title_after_a_preposition_of_the_advert_s_language(title, city):
    text = f"{title}\n\nLe poste est ouvert.\n\nDeadline: 1 March 2026."
    record = extract_records(text, "file:///advert.txt", content_type="text/plain")[0]
    assert record.city == city
