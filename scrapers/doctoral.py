"""Is a listing entry a doctoral position? A decision with its reason, in many languages.

ATS lists mix PhD posts with postdocs, lecturers, engineers and technicians. An entry is
read from its title first, then from its short texts (a type column, a category): a word
naming a doctoral post (PhD, doctoral, doktorand, promovendus, Doktorand/in, thèse,
dottorato, ...) keeps it; a word naming another kind of post (postdoc, lecturer, professor,
engineer, technician, forskare, universitetslektor, ...) drops it; neither leaves the
decision to the caller (`doctoral` None). "Postdoctoral" is read before "doctoral", and a
doctorate the applicant must hold ("PhD required") names no doctoral post.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Posts after a doctorate: removed before doctoral words are looked for.
_POSTDOC = re.compile(
    r"\b(post[-\s]?doc(tor(al|ate)?|s)?|post[-\s]?doktor(and)?|postdoktor\w*|"
    r"post[-\s]?dottorato|post[-\s]?doctorado|postdoctora(l|nt)\w*|"
    r"tutkijatohtori|post[-\s]?doctoral)\b",
    re.IGNORECASE,
)
_DOCTORAL = re.compile(
    r"(\bph\.?\s?d\b|\bdphil\b|\bengd\b|\bdoctoral\b|\bdoctorate\b|\bdoctor(al)?\s+candidate|"
    r"\bdoctoral\s+(student|researcher|fellow)|\bdoktorand(in|en|er|inn)?\b|"
    r"\bdoktorand\*?/?in(nen)?\b|\bdoktorand:innen\b|\bpromovend(us|a|i)?\b|\bpromotie\w*|"
    r"\bpromotionsstelle|\bpromotion\b|\bdoktorarbeit|\bdoktorat\b|\bth[èe]se\b|\bdoctora[nt]t?e?s?\b|"
    r"\bdottorat[oi]\b|\bdottorand[oaie]\b|\bdoctorad[oa]\b|\bdoctorand[oa]s?\b|\bdoutorad[oa]\b|"
    r"\bdoktorgrad\b|\bstipendiat\b|\bph\.?d\.?-?(student|position|candidate|fellow)|"
    r"\bv[äa]it[öo]skirjatutkija\b|\bdoktorant\w*|\bdoktori\b|\bstudentships?\b|"
    r"\bearly[-\s]stage\s+researchers?\b|\bdoctoral\s+network|\bgraduate\s+research\s+assistant|"
    r"\bforskarstuderande\b|\bforskarutbildning\w*|\bl[ie]centiat\w*)",
    re.IGNORECASE,
)
# A doctorate asked of the applicant is no doctoral post: "(PhD required)", "with a PhD".
_REQUIRED = re.compile(
    r"\b(ph\.?\s?d|doctorate|doctoral\s+degree)\.?\s+(required|holders?|degree|graduates?|"
    r"in\s+hand)\b|\b(with|holding|after)\s+an?\s+(ph\.?\s?d|doctorate)\b",
    re.IGNORECASE,
)
# Other kinds of post a mixed list carries.
_OTHER = re.compile(
    r"\b(lecturer|senior\s+lecturer|reader|professor\w*|professur|hoogleraar|docent|"
    r"universitetslektor\w*|lektor\w*|universitetsadjunkt\w*|adjunkt\w*|forskare|"
    r"forskningsingenj[öo]r\w*|forskningsassistent\w*|assistent\w*|amanuens\w*|"
    r"researcher|research\s+(fellow|associate|scientist|engineer|assistant)|scientist|"
    r"engineer|ingenj[öo]r\w*|technician|tekniker|laborant\w*|technicus|technologist|"
    r"administrator|administrat[iö]\w*|handl[äa]ggare|coordinator|koordinator\w*|"
    r"manager|officer|secretary|sekreterare|assistant|controller|accountant|ekonom\w*|"
    r"advisor|adviser|r[åa]dgivare|specialist|analyst|developer|programmer|librarian|"
    r"bibliotekarie|director|head\s+of|chef|intern(ship)?|trainee|tenure[-\s]track|"
    r"faculty\s+position|medewerker|mitarbeiter\w*|sachbearbeiter\w*|ma[îi]tre\s+de\s+conf\w*|"
    r"ricercator[ei]|investigador(a)?|chercheur|ing[ée]nieur|fellowship|fellow|"
    r"clinician|nurse|physician|teacher|l[äa]rare|instructor|consultant|"
    r"student\s+assistant|studentmedarbetare|projektledare|systemf[öo]rvaltare)\b",
    re.IGNORECASE,
)
# Words that say a text is a job at all (for telling a results page from a news list).
_JOB = re.compile(
    r"(" + _DOCTORAL.pattern + r"|" + _POSTDOC.pattern + r"|" + _OTHER.pattern + r"|"
    r"\b(position|post|job|vacanc(y|ies)|opening|stelle|tjänst|anställning|"
    r"plaats|poste|posto|plaza|opportunit(y|ies)|candidate|student)s?\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Verdict:
    doctoral: bool | None
    reason: str


def classify(title: str, cells: Iterable[str] = ()) -> Verdict:
    """Doctoral, another kind of post, or not stated (None), with the words that said so."""
    verdict = _read(title, "title")
    if verdict.doctoral is not None:
        return verdict
    for cell in cells:
        if len(cell.split()) > 8:
            continue  # a type column or a category is short; a description is not
        verdict = _read(cell, "type")
        if verdict.doctoral is not None:
            return verdict
    return Verdict(None, "no kind of post named in the title or the type")


def _read(text: str, where: str) -> Verdict:
    without_postdoc = _REQUIRED.sub(" ", _POSTDOC.sub(" ", text))
    match = _DOCTORAL.search(without_postdoc)
    if match:
        return Verdict(True, f"{where} says '{match.group(0).strip()}'")
    postdoc = _POSTDOC.search(text)
    if postdoc:
        return Verdict(False, f"{where} says '{postdoc.group(0).strip()}' (not doctoral)")
    other = _OTHER.search(text)
    if other:
        return Verdict(False, f"{where} says '{other.group(0).strip()}' (not doctoral)")
    return Verdict(None, "")


def looks_like_job(text: str) -> bool:
    return _JOB.search(text) is not None
