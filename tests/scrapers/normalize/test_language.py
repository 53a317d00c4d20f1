"""The page's language is told from its function words, whatever its place names."""

from __future__ import annotations

import pytest

from scrapers.normalize.language import detect_language

PAGES = {
    "en": "We offer a PhD position in the group of applied physics. You will work with our team.",
    "de": "Wir bieten eine Stelle für eine Doktorandin oder einen Doktoranden an der Universität "
    "Leipzig. Die Bewerbungsfrist ist der 15. Mai, und die Stelle wird mit TV-L E13 vergütet.",
    "fr": "Le laboratoire propose une thèse de doctorat pour une durée de trois ans. Les "
    "candidatures sont à envoyer avant la date limite, avec un CV et une lettre.",
    "nl": "Het promotieonderzoek wordt uitgevoerd bij de vakgroep. Je werkt met een team van "
    "onderzoekers en de aanstelling is voor vier jaar.",
    "sv": "Vi söker en doktorand till institutionen för fysik. Anställningen är på fyra år och "
    "du kommer att arbeta med att utveckla nya metoder.",
    "no": "Stillingen som stipendiat er ved Institutt for fysikk. Du skal jobbe med et prosjekt "
    "og søknadsfrist er 1. mars. Det er ikke krav om erfaring fra før.",
    "da": "Stillingen som ph.d.-studerende er ved Institut for Fysik. Du skal arbejde med et "
    "projekt af tre års varighed, og ansøgningsfrist er 1. marts.",
    "es": "La universidad convoca una plaza de doctorado para el grupo de investigación. Los "
    "candidatos deben enviar su solicitud con el CV y una carta.",
    "it": "Il dipartimento offre una borsa di dottorato per tre anni. Le domande sono da inviare "
    "entro la scadenza con il curriculum e una lettera di presentazione.",
    "pt": "A universidade abre uma vaga de doutorado para o programa de pós-graduação. Os "
    "candidatos devem enviar a documentação pelo site da instituição até o prazo.",
}


@pytest.mark.parametrize("language", sorted(PAGES))
def test_each_language_is_detected_from_its_own_page(language):
    assert detect_language(PAGES[language]) == language


def test_a_page_of_names_alone_stays_english():
    assert detect_language("Universität Leipzig, Karolinska Institutet, Université de Lyon") == "en"
