"""Golden adverts, one per language: the deadline, its label and the duration are read in
the page's own words (lexicon.py holds the words; each language here is a fixture of ours)."""

from __future__ import annotations

import pytest

from scrapers.extract import extract_records
from scrapers.normalize.language import detect_language

# (language, advert text, deadline, duration in months)
ADVERTS = [
    (
        "de",
        "Doktorandenstelle in Physik\n\nDie Stelle ist für drei Jahre zu besetzen und wird nach "
        "TV-L E13 vergütet. Wir freuen uns auf Ihre Bewerbung mit den üblichen Unterlagen.\n\n"
        "Bewerbungsfrist: 15. März 2026",
        "2026-03-15",
        36,
    ),
    (
        "fr",
        "Contrat doctoral en chimie\n\nLe contrat doctoral est proposé pour une durée de trois "
        "ans au sein du laboratoire. Les candidatures sont à envoyer par courriel.\n\n"
        "Date limite de candidature : 22 mai 2026",
        "2026-05-22",
        36,
    ),
    (
        "nl",
        "Promovendus in de sterrenkunde\n\nDe aanstelling is voor 4 jaar en je werkt in een team "
        "van onderzoekers. Het salaris is volgens de cao.\n\nSluitingsdatum: 1 maart 2026",
        "2026-03-01",
        48,
    ),
    (
        "sv",
        "Doktorand i matematik\n\nAnställningen är på fyra år och du kommer att arbeta med att "
        "utveckla nya metoder för att lösa ekvationer.\n\nSista ansökningsdag: 2026-04-30",
        "2026-04-30",
        48,
    ),
    (
        "no",
        "Stipendiat i informatikk\n\nStillingen er for en periode på 3 år og du skal jobbe med et "
        "prosjekt om maskinlæring. Det er ikke krav om erfaring.\n\nSøknadsfrist: 10. februar 2026",
        "2026-02-10",
        36,
    ),
    (
        "da",
        "Ph.d.-stipendium i biologi\n\nStillingen er for en periode på 3 år, og du skal arbejde "
        "med et projekt af stor betydning for feltet.\n\nAnsøgningsfrist: 1. juni 2026",
        "2026-06-01",
        36,
    ),
    (
        "es",
        "Contrato predoctoral en ingeniería\n\nEl contrato tiene una duración de cuatro años y se "
        "desarrolla en el grupo de investigación. Los candidatos deben enviar su CV.\n\n"
        "Fecha límite: 15 de mayo de 2026",
        "2026-05-15",
        48,
    ),
    (
        "it",
        "Borsa di dottorato in fisica\n\nLa borsa ha una durata di tre anni e il dottorando "
        "lavorerà nel gruppo di ricerca del dipartimento.\n\nScadenza: 31 gennaio 2026",
        "2026-01-31",
        36,
    ),
    (
        "pt",
        "Bolsa de doutorado em química\n\nA bolsa tem duração de 48 meses e o candidato será "
        "integrado no grupo de pesquisa da universidade.\n\nPrazo: 20 de outubro de 2026",
        "2026-10-20",
        48,
    ),
]


@pytest.mark.parametrize(
    ("language", "text", "deadline", "months"), ADVERTS, ids=[a[0] for a in ADVERTS]
)
def test_each_language_gives_its_deadline_and_duration(language, text, deadline, months):
    assert detect_language(text) == language
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert record.deadline == deadline
    assert record.deadline_kind == "fixed"
    assert record.duration_months == months


def test_a_lower_case_english_may_is_not_a_month():
    text = "PhD position\n\nCandidates may 2026 apply in any case. Deadline: 1 March 2026."
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert record.deadline == "2026-03-01"


def test_a_weak_cue_in_a_sentence_about_applying_in_french_gives_the_deadline():
    text = (
        "Contrat doctoral\n\nLe dossier de candidature devra être envoyé à l'école doctorale "
        "au plus tard le lundi 27/04/2026 à midi."
    )
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert record.deadline == "2026-04-27"


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("Positions start in the Fall of 2026.", "2026-09"),
        ("Die Stelle beginnt im Herbst 2026.", "2026-09"),
        ("Anställningen börjar hösten 2026.", "2026-09"),
        ("Début de la thèse : automne 2026.", "2026-09"),
    ],
)
def test_a_start_given_as_a_season_is_read_in_each_language(sentence, start):
    text = f"PhD position\n\n{sentence}\n\nDeadline: 1 March 2026."
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert (record.start_date or "")[:7] == start


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        (
            "La direction de la thèse sera assurée par deux chercheurs : Claire Martin et "
            "Paul Durand, au laboratoire.",
            ["Claire Martin", "Paul Durand"],
        ),
        ("La thèse sera réalisée sous la direction de Marie Lefèvre.", ["Marie Lefèvre"]),
        ("Directrice de thèse : Prof. Anne Moreau", ["Anne Moreau"]),
        (
            "Die Arbeit wird betreut von Prof. Dr. Jonas Weber und Dr. Lea Braun.",
            ["Jonas Weber", "Lea Braun"],
        ),
        (
            "La tesis será dirigida por Dra. Lucía Pérez y Dr. Juan Ortega.",
            ["Lucía Pérez", "Juan Ortega"],
        ),
        ("Il progetto si svolge sotto la supervisione di Marco Rossi.", ["Marco Rossi"]),
        ("O trabalho será orientado por Ana Costa.", ["Ana Costa"]),
        ("Huvudhandledare: Erik Lindqvist", ["Erik Lindqvist"]),
        ("Het onderzoek wordt begeleid door Sanne de Vries.", ["Sanne de Vries"]),
    ],
)
def test_supervisors_are_read_in_each_language(sentence, names):
    text = f"Doctoral position\n\n{sentence}\n\nDeadline: 1 March 2026."
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert record.supervisors == names


@pytest.mark.parametrize(
    "sentence",
    [
        "Le contrat doctoral est conclu pour une durée de trois ans avec l'université.",
        "Applications are invited for a 3-year position as PhD Research Fellow in sociology.",
        "Assistant-e doctorant-e en histoire de l'art, à 80 %.",
        "Die Vergütung erfolgt nach den Regeln der Universität.",
        "Il vincitore riceverà una borsa di dottorato per tre anni.",
        "El contrato predoctoral tiene una duración de cuatro años.",
        "The University of Somewhere welcomes applications for PhD scholarships in physics.",
    ],
)
def test_salaried_posts_and_scholarships_offered_are_full_funding_in_each_language(sentence):
    text = f"Doctoral position\n\n{sentence}\n\nDeadline: 1 March 2026."
    record = extract_records(text, "https://example.org/advert", content_type="text/plain")[0]
    assert record.funding == "full"
