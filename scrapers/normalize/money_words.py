"""The words of pay, funding and eligibility in the languages adverts come in.

German, French, Dutch, Swedish, Norwegian, Danish, Spanish, Italian and Portuguese besides
English. money.py, funding.py and eligibility.py read these tables, so a language is added
here, as data, with a test in tests/scrapers/normalize/test_money_topics_classes.py.
(lexicon.py holds the words of dates, deadlines and supervisors.)
"""

from __future__ import annotations

# A sentence is about pay ("rémunération mensuelle brute", "Vergütung", "beca", "borsa").
PAY_WORDS = (
    r"rémunération|\bsalaire|\ballocation (?:doctorale|de recherche)|\bbourse|\bVergütung|\bEntgelt|"
    r"\bStipendium|\bsalaris|\bbeurs\b|\btoelage|\bbruto|\bbrutto|\bbrut\b|\blön\b|månadslön|\blønn|"
    r"\bløn\b|\bbeca\b|\bbecas\b|\bsalario|retribuci[oó]n|remuneraci[oó]n|\bborsa\b|\bborse\b|"
    r"retribuzione|\bstipendio|\bcompenso|\bbolsa\b|\bbolsas\b|sal[aá]rio|remunera[cç][aã]o"
)
# Periods: "par mois", "pro Monat", "per maand", "i månaden", "al mes", "al mese", "por mês".
MONTH_WORDS = (
    r"par mois|/\s?mois|\bmensuel(?:le)?s?\b|pro Monat|im Monat|\bmonatlich|/\s?Monat|"
    r"per maand|/\s?maand|per månad|i månaden|/\s?mån\b|\bmånadslön|per måned|pr\.\s?måned|"
    r"om måneden|\bal mes\b|/\s?mes\b|\bmensual(?:es)?\b|\bal mese\b|\bmensil[ei]\b|"
    r"por mês|/\s?mês|\bmensa(?:l|is)\b"
)
YEAR_WORDS = (
    r"par an\b|/\s?an\b|\bannuel(?:le)?s?\b|pro Jahr|im Jahr|\bjährlich|/\s?Jahr|per jaar|"
    r"\bper år\b|om året|pr\.\s?år|\bårslön|\bal año\b|\banual(?:es)?\b|all'anno|\bannu[oai]\b|"
    r"\bannuale\b|\blord[oi] annu|\bpor ano\b|\banuais\b"
)
# Amounts that are not pay: fees, travel, equipment in the same languages.
NOT_PAY_WORDS = (
    r"\bfrais\b|\bdroits d'inscription|\bGebühr|Studiengebühr|Reisekosten|\bvoyage|"
    r"\bcollegegeld|\breiskosten|\bavgift|\bresekostnader|\btasas\b|\bmatr[ií]cula|\bviaje|"
    r"\btasse\b|\bviaggi|\bpropinas\b|\bviage[mn]"
)
# The position is offered with no funding ("sans financement", "ohne Finanzierung").
SELF_FUNDED_WORDS = (
    r"\bsans financement\b|\bautofinanc\w+|\bnon financée?s?\b|\bfinancement personnel\b|"
    r"\bohne Finanzierung\b|\bselbstfinanziert\w*|\bkeine Finanzierung\b|"
    r"\bzonder financiering\b|\begenfinansier\w+|\bsjälvfinansier\w+|"
    r"\bsin financiaci[oó]n\b|\bautofinanciad[oa]s?\b|\bsem financiamento\b|\bsem bolsa\b"
)
PARTIAL_WORDS = (
    r"\bpartiellement financée?s?\b|\bteilfinanziert\w*|\bgedeeltelijk gefinancierd\b|"
    r"\bparcialmente financiad[oa]s?\b|\bparzialmente finanziat[oaie]\b|\bparcialmente financiad[oa]s?\b"
)
FUNDED_WORDS = (
    r"\bthèses? financées?\b|\bfinancement (?:est )?assuré|\bfinancée? par (?:le |la |l'|un |une )?(?-i:[A-Z])|"
    r"\ballocations? doctorales?|\bvollfinanziert\w*|\bfinanziert (?:durch|von) (?:der |die |das |den )?(?-i:[A-Z])|"
    r"\bgefinancierd door\b|\bfinansierad av\b|\bfinansiert av\b|\bfinansieret af\b|"
    r"\bfinanciad[oa]s? (?:por|con cargo a)\b|\bfinanziat[oaie] (?:da|dal|dalla|dall'|con)\b|"
    r"\bfinanciad[oa]s? pel[oa]\b|\bbecas? (?:de|para) (?:investigaci[oó]n|formaci[oó]n|posgrado)|"
    r"\bbolsas? de (?:investiga[cç][aã]o|pesquisa|estudo)|\bborse? di ricerca|\bcon borsa\b|"
    # "La beca cubre una asignación de manutención", "la bourse couvre", "a bolsa cobre".
    r"\bbecas? (?:que )?cubre|\bbourses? (?:qui )?couvre|\bbolsas? (?:que )?cobre|\bborse? (?:che )?copr"
)
# Who may apply: everyone, international, EU applicants.
ANYONE_WORDS = (
    r"quelle que soit (?:leur|sa|la) nationalité|sans condition de nationalité|"
    r"unabhängig von (?:der |ihrer )?(?:Staatsangehörigkeit|Nationalität|Herkunft)|"
    r"ongeacht (?:hun |de )?nationaliteit|oavsett nationalitet|uavhengig av nasjonalitet|"
    r"uanset nationalitet|de cualquier nacionalidad|independientemente de (?:su )?nacionalidad|"
    r"di qualsiasi nazionalità|indipendentemente dalla (?:loro |propria )?(?:nazionalità|cittadinanza)|"
    r"de qualquer nacionalidade|independentemente da (?:sua )?nacionalidade"
)
INTERNATIONAL_WORDS = (
    r"candidat(?:e|s|es)? (?:internationa(?:l|ux|les?)|étrang(?:er|ers|ère|ères))|"
    r"internationale (?:Bewerber\w*|Kandidat\w*|Studierende|kandidaten|studenten)|"
    r"ausländische (?:Bewerber\w*|Studierende|Kandidat\w*)|internationella (?:sökande|studenter)|"
    r"internasjonale søkere|internationale ansøgere|candidatos (?:internacionales|extranjeros|internacionais|estrangeiros)|"
    r"candidati (?:internazionali|stranieri)|cittadini stranieri|estudiantes (?:internacionales|extranjeros)|"
    # "podrán postular chilenos o extranjeros", "brasileiros ou estrangeiros", "français ou étrangers".
    r"\b\w+(?:os|as|es|ais)\s+(?:o|y|u|e|ou|et)\s+(?:extranjer[oa]s|estrangeir[oa]s|étrang(?:er|ère)s)\b"
)
EU_WORDS = (
    r"ressortissants? (?:de l'|d'un (?:pays|État) (?:membre )?de l')(?:UE|Union européenne)|"
    r"citoyens? (?:de l'UE|européens?)|EU-Bürger\w*|Staatsangehörige eines EU|"
    r"ciudadan[oa]s? (?:de la UE|de la Unión Europea|europe[oa]s|comunitari[oa]s)|"
    r"cittadini (?:dell'UE|dell'Unione europea|europei|comunitari)|cidadãos (?:da UE|europeus)"
)
