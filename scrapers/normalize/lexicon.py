"""The words of dates, deadlines, durations and starts in the languages adverts come in.

English plus German, French, Dutch, Swedish, Norwegian, Danish, Spanish, Italian and
Portuguese. The rules in dates.py read these tables, so a language is added here, as data,
with a golden fixture in tests/scrapers/normalize/test_languages.py, not as a new rule.
"""

from __future__ import annotations

MONTHS: dict[str, tuple[str, ...]] = {
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "no": ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"),
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"),
    # Catalan: the calls of universities in Catalonia, Valencia and the Balearic Islands.
    "ca": ("gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost",
           "setembre", "octubre", "novembre", "desembre"),
}  # fmt: skip
# Spellings seen without their accents, and other common forms.
MONTH_VARIANTS = {
    "jänner": 1, "fevrier": 2, "aout": 8, "decembre": 12, "maerz": 3, "marco": 3,
    "setiembre": 9, "sept": 9,
}  # fmt: skip


def foreign_month_names() -> dict[str, int]:
    """Every non-English month name (lower case) -> month number."""
    names: dict[str, int] = dict(MONTH_VARIANTS)
    for months in MONTHS.values():
        for number, name in enumerate(months, start=1):
            names[name] = number
    return names


# Words that say when the position starts.
START_CUES = (
    r"beginn\w*|stellenantritt|eintritt|dienstantritt|début|commence\w*|démarr\w*|"
    r"börjar|tillträde|start(?:er|dato)|oppstart|tiltred\w*|begint|aanvang|ingangsdatum|"
    r"inicio|comienzo|comenzar|inizio|início|incorpora\w*|entrée en fonctions?|"
    r"prise de fonctions?|prise de poste|til besættelse|tiltrædelse|decorrenza|"
    # "Le contrat prendra effet au 1er septembre", "takes effect on 1 October".
    r"prend\w* effet|prise d'effet|tak(?:e|es|ing) effect"
)

# Words after a date that make it the start: "ab 1. Februar 2026 oder nach Vereinbarung",
# "le 1er mars 2026 ou à convenir", "zum 1. Oktober zu besetzen", "or by agreement".
START_AFTER = (
    r"(?:oder|or|ou|o|eller|of)\s+(?:nach Vereinbarung|später|by (?:mutual )?agreement|as agreed|"
    r"à convenir|selon (?:accord|entente)|a convenir|por acordar|da concordare|"
    r"(?:efter|enligt) överenskommelse|etter avtale|efter aftale|snarest(?: derefter| mulig)?|"
    r"snarast(?: därefter)?|in overleg|zo spoedig mogelijk)|"
    r"zu besetzen|à pourvoir"
)

# Seasons a start is given in ("Herbst 2026", "hösten 2026", "automne 2026").
SEASONS = {
    "printemps": 3, "été": 6, "automne": 9, "hiver": 12,
    "frühjahr": 3, "frühling": 3, "sommer": 6, "herbst": 9,
    "våren": 3, "sommaren": 6, "hösten": 9, "höst": 9, "høsten": 9, "høst": 9, "efteråret": 9,
    "voorjaar": 3, "najaar": 9, "herfst": 9,
    "primavera": 3, "verano": 6, "otoño": 9, "invierno": 12,
    "estate": 6, "autunno": 9, "inverno": 12, "outono": 9, "verão": 6,
    # The French academic year starts in September: "rentrée 2026".
    "rentrée": 9, "tardor": 9,
}  # fmt: skip

# Labels of the application deadline ("Bewerbungsfrist: 15. Mai 2025").
DEADLINE_LABELS = (
    r"date limite|délai|date de clôture|clôture des candidatures|"
    r"fin (?:du|des|de) (?:dépôts?|candidatures?|inscriptions?)(?: des (?:dossiers|candidatures))?|"
    r"bewerbungsfrist|bewerbungsschluss|einsendeschluss|ablauf der bewerbungsfrist|"
    r"sista ansökningsdag|sista dag för ansökan|ansökningstid|"
    r"søknadsfrist|ansøgningsfrist|"
    r"sluitingsdatum|reageren kan tot|"
    r"fecha límite|fecha de cierre|plazos?|"
    r"scadenza|termine ultimo|"
    r"prazo|data limite|inscrições até|"
    r"termini de presentació|termini de sol·licitud|data límit"
)
# Labels of the application window, whose last day is the deadline ("Período de
# candidatura: de 10 a 24 de março de 2025", "Bewerbungszeitraum: 1. bis 15. Mai 2026").
APPLICATION_PERIOD_LABELS = (
    r"período de candidatura|periodo de (?:solicitud|presentación|inscripción|candidatura)|"
    r"période de candidature|periodo di candidatura|bewerbungszeitraum|ansökningsperiod|"
    r"søknadsperiode|ansøgningsperiode|inschrijvingsperiode"
)
# Words that join the first and last day of a window ("from X to Y", "du X au Y", "del X al
# Y", "vom X bis Y", "dal X al Y", "de X a Y", "entre X e Y", "van X tot Y").
RANGE_FROM = (
    r"from|between|beginning|starting|du|del|desde|de|dal|vom|von|van|entre|fra|från|mellan"
)
RANGE_TO = (
    r"to|until|till|through|thru|and|au|jusqu'au|al|hasta el|hasta|a|à|ao|até|e|y|bis zum|bis|"
    r"tot en met|tot|til|och|og"
)
# A deadline is rolling: "until the position is filled" in the adverts' languages.
ROLLING = (
    r"hasta cubrir (?:la|el) (?:plaza|puesto|posición|vacante)|hasta que se cubra|"
    r"a medida que se reciban|"
    r"jusqu'à ce que le poste soit pourvu|jusqu'à (?:ce que le poste soit pourvu|pourvoi du poste)|"
    r"au fil de l'eau|"
    r"bis (?:die Stelle|zur Besetzung)(?: der Stelle)? (?:besetzt ist|der Stelle)|laufend geprüft|"
    r"fino a copertura|fino alla copertura|"
    r"até (?:ao |o )?preenchimento d[ao] vaga|"
    r"tot de vacature (?:is )?vervuld|"
    r"urval sker löpande|löpande urval|(?:behandlas|prövas) löpande|"
    r"(?:behandles|vurderes) (?:fortløpende|løbende)"
)
# Words before a date in a sentence that make it the deadline.
DEADLINE_CUES_STRONG = DEADLINE_LABELS
# Words that make a date a deadline only when nothing says it is something else ("start no
# later than": the start rules see the start word).
DEADLINE_CUES_WEAK = (
    r"au plus tard|spätestens|senast|senest|uiterlijk|entro e non oltre|"
    r"avant le|jusqu'au|bis zum|bis|hasta el|entro il|entro|até|tot en met|uiterlijk op|"
    r"fins al|fins el"
)

# Words before a duration that make it the position's length ("pour une durée de trois ans",
# "tidsbegränsad till fyra år", "tidsbegrænset til 3 år").
DURATION_FOR = (
    r"(?:durée de|pour|für|auf|för|på|voor|por|per|durata di|durante|duração de|"
    r"befristet auf|Laufzeit von|varighed på|varighet på|"
    r"tidsbegränsad till|tidsbegrænset til|tidsbegrenset til|limitad[oa] a|limitée? à|"
    r"pendant|während|gedurende|i)\s*$"
)
# A word for the length itself shortly before it ("La durata del percorso è di tre anni",
# "Die Dauer beträgt drei Jahre", "La durée de la thèse est de 36 mois").
DURATION_WORD = (
    r"duration|durée|duración|durata|duração|Dauer|Laufzeit|varighet|varighed|duur|looptijd|"
    r"längd|omfattning"
)
# Words before a duration that make it the total a renewable first period leads to
# ("renewable up to a maximum of 48 months", "renovável até ao máximo de 48 meses").
DURATION_MAXIMUM = (
    r"(?:up to|to|until)\s+(?:a\s+)?maximum(?:\s+of)?|maximum(?:\s+of)?|"
    r"(?:até|hasta)\s+(?:ao\s+|a\s+|un\s+|o\s+)?máximo\s+de|máximo\s+de|"
    r"jusqu'à\s+(?:un\s+)?maximum\s+de|maximum\s+de|"
    r"bis\s+zu|höchstens|maximal|fino\s+a\s+(?:un\s+)?massimo\s+di|massimo\s+di"
)
# One-word durations: "dreijährige Stelle", "vierjarig traject", "fyraårig anställning",
# "treårigt ph.d.-stipendium", "borsa triennale", "contrato trienal".
DURATION_ADJECTIVE = (
    r"(?P<word>zwei|drei|vier|fünf|twee|drie|vier|vijf|två|tre|fyra|fem|to|fire)"
    r"(?:jährig|jarig|årig)\w*|(?P<latin>bi|tri|quadri)enn?al[eis]?\b"
)
DURATION_ADJECTIVE_YEARS = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "twee": 2, "drie": 3, "vijf": 5,
    "två": 2, "tre": 3, "fyra": 4, "fem": 5, "to": 2, "fire": 4,
    "bi": 2, "tri": 3, "quadri": 4,
}  # fmt: skip
# Words of a sentence about applying, which a weak cue ("bis", "au plus tard") needs.
APPLYING_WORDS = (
    r"appl|submi|send|sent|receiv|register|nominat|enrol|"
    r"candidat|dossier|envoy|inscri|bewerb|einreich|ansök|søk|ansøg|sollicit|solicit|"
    r"domand|presenta|envi|submet|sol·licit|postul|recep|récep|recib|inscriç"
)

# Words before a link that make it the place to apply ("las solicitudes se presentarán a
# través de la sede electrónica: URL", "candidater en ligne sur URL", "Bewerbung über URL").
APPLY_LINK_WORDS = (
    r"\bsolicitud(?:es)?\b|\bpresent(?:ar|arán|e) (?:la |su )?(?:solicitud|candidatura)|sede electrónica|"
    r"\bformulario\b|\bpostula|\bcandidat(?:er|ez|ure|ura|uras)\b|\bpostuler\b|\bformulaire\b|"
    r"\binscri(?:ção|ções|ba|pción|ver)|\bformulário\b|\bsubmeter\b|"
    r"domanda di (?:ammissione|partecipazione)|presentare (?:la )?domanda|\bpiattaforma\b|"
    r"\bbewerb(?:en|ung)|Bewerbungsportal|\bsollicit(?:eer|eren|atie)|\bansök|\bsøk(?:nad|er)?\b|"
    r"\bansøg"
)
# Words before a link to the advert's full text ("más información", "Bando e procedura").
INFO_LINK_WORDS = (
    r"más información|plus d'informations?|mais informações|maggiori informazioni|"
    r"weitere informationen|meer informatie|mer information|mer informasjon|yderligere oplysninger|"
    r"\bbando\b|\bconvocatoria\b|\bedital\b|\bappel\b|\bAusschreibung"
)

# Labels of the place of work ("Lugar de trabajo: Facultad de Ciencias, Granada", "Lieu :
# Nancy", "Dienstort: Innsbruck", "Arbeidssted: Bergen"), as label keys (lower case).
PLACE_OF_WORK_LABELS = (
    r"city|town|place|location|job location|work(?:ing)? location|place of work|workplace|"
    r"duty station|lugar(?: de trabajo)?|ubicación|localidad|local(?: de trabalho)?|localização|"
    r"lieu(?: de travail| de la thèse| d'exercice)?|localisation|ville|dienstort|arbeitsort|"
    r"einsatzort|standort|ort|arbeidssted|arbejdssted|arbetsort|placering(?:sort)?|"
    r"sede(?: di lavoro)?|luogo(?: di lavoro)?|werkplek|standplaats|werklocatie"
)
# Words before the city a sentence places the post in ("situado en Barcelona", "campus de
# Brest", "Arbeitsort ist Bern", "placerad i Lund", "desenvolvido em Campinas").
PLACE_OF_WORK_PHRASES = (
    r"(?i:situad[oa]s?|ubicad[oa]s?|localizad[oa]s?|sediad[oa]s?|con sede|située?s?|basée?s?|"
    r"implantée?s?|situat[oa]|gelegen|mit Sitz|located|based|placerad|plassert|placeret|"
    r"stationed)\s+(?:en|em|à|a|in|i|no|na|au)"
    r"|(?i:campus)\s+(?:de|of|di|da|do|in|at)"
    r"|(?i:arbeitsort|dienstort|arbeidssted|arbejdssted|arbetsort|arbeidsstad)\s+(?:ist|er|är|is)"
    r"|(?i:desenvolvid[oa]|desarrollad[oa]|realizad[oa]|svolt[oa]|effectuée?|réalisée?|"
    r"carried out|conducted)\s+(?:(?i:\w+)\s+){0,2}?(?:em|en|a|à|in)"
)

# Durations: "trois ans", "drei Jahre", "fyra år", "4 jaar", "tres años", "36 mois".
YEAR_UNITS = r"ans|années|jahre?n?|år|jaar|años|anni|anos"
MONTH_UNITS = r"mois|monate?n?|månader|måneder|maanden|meses|mesi"
NUMBER_WORDS = {
    # French, German, Dutch, Scandinavian, Spanish, Italian, Portuguese: one to six.
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "één": 1, "twee": 2, "drie": 3, "vijf": 5,
    "två": 2, "tre": 3, "fyra": 4, "fem": 5,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "due": 2, "quattro": 4,
    "dois": 2, "três": 3, "quatro": 4,
    "trente-six": 36, "sechsunddreißig": 36, "treinta y seis": 36, "trentasei": 36,
}  # fmt: skip

# Supervisors. Labels ("Directeur de thèse : X", "Betreuer: X", "Handledare: X").
SUPERVISOR_LABELS = (
    r"direct(?:eur|rice|eurs|rices|ion) de (?:la )?thèse|encadrant(?:e|s|es)?|"
    r"co-?direct(?:eur|rice)|betreuer(?:in|innen)?|betreuung|doktorvater|doktormutter|"
    r"(?:co-?)?director(?:a|es)? de (?:la )?tesis|relatore|relatrice|"
    r"orientador(?:a|es)?|co-?orientador(?:a)?|(?:huvud|bi)?handledare|(?:hoved|med)?veileder|"
    r"(?:hoved)?vejleder|begeleider|dagelijks begeleider|copromotor"
)
# Phrases before the names ("sous la direction de X", "betreut von X", "dirigida por X").
SUPERVISOR_PHRASES = (
    r"sous la (?:co-?)?direction d[e']|(?:dirigée?s?|encadrée?s?|co-?encadrée?s?|supervisée?s?)\s+par|"
    r"direction de (?:la )?thèse\s+(?:sera\s+)?(?:assurée|effectuée)\s+par(?:\s+(?:\d+|deux|trois)\s+\w+)?|"
    r"betreut (?:von|durch)|unter (?:der )?(?:Leitung|Betreuung) von|"
    r"(?:dirigida|supervisada|codirigida)\s+por|bajo la (?:dirección|supervisión) de|"
    r"sotto la (?:supervisione|direzione|guida) d(?:i|el(?:la)?)|"
    r"(?:orientad[ao]|supervisionad[ao])\s+por|sob (?:a )?orientação d[eoa]s?|"
    r"begeleid door|onder (?:begeleiding|leiding) van|handledd av|veiledet av|vejledt af"
)
# Words joining two names ("X et Y", "X und Y", "X y Y", "X och Y").
NAME_JOINERS = r"and|et|und|y|e|en|och|og|ja"

# Salaried doctoral employment in the languages of the adverts: a contract of employment,
# a salary, the Nordic and Swiss doctoral posts ("PhD Research Fellow", "assistant-e
# doctorant-e", "doktorandtjänst").
EMPLOYMENT_WORDS = (
    r"contrats? doctora(?:l|ux)|contrat de travail|\brémunération|\bsalaire|assistant-?e?s? (?:hes )?doctorant|"
    r"\bGehalt\b|\bVergütung|\bEntgelt|\bArbeitsvertrag|\bAnstellung|Doktorandenstelle|"
    r"\banställning|doktorandtjänst|\blön\b|\bmånadslön|\bansettelse|\blønn\b|\bansættelse|\bløn\b|"
    r"\baanstelling|\bsalaris|contratos? (?:predoctoral(?:es)?|de trabajo)|\bsalario|\bretribución|"
    r"contratto di lavoro|\bretribuzione|\bstipendio|contrato de trabalho|\bsalário|"
    r"\b(?:ph\.?\s?d\.?|doctoral) research fellows?\b|\bdoctoral assistants?\b|"
    # The French "contrat doctoral" in English pages: "a doctoral contract is a work contract".
    r"\bdoctoral contracts?\b"
)
# A stipend or scholarship offered in the languages of the adverts.
STIPEND_WORDS = (
    r"\bbourses? (?:de thèse|doctorale?s?)|\bbecas? (?:predoctoral(?:es)?|de doctorado|FPI|FPU)|"
    r"\bborsa di (?:studio|dottorato)|\bborse di (?:studio|dottorato)|\bbolsas? de (?:doutoramento|doutorado)|"
    r"\bStipendium|\bpromotiebeurs|\bstipendiat\b"
)
