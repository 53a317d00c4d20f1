"""People and links: supervisors' names, contact e-mails, the apply URL.

Supervisors come from labels ("Main advisor:", "Supervisor:"), from phrases ("supervised by",
"under the supervision of", "co-supervised with", "directed by", "the group of", "X's grant",
"Prof. X ... advertises") and, when nothing else names one, from the professor or doctor the
advert asks applicants to contact. E-mails are read in plain text, obfuscated ("name [at]
domain [dot] org", "name (at) domain", "chul at hku.hk") and from mailto links.
"""

from __future__ import annotations

import functools
import re

from scrapers.normalize.lexicon import (
    APPLY_LINK_WORDS,
    DEADLINE_LABELS,
    INFO_LINK_WORDS,
    NAME_JOINERS,
    SUPERVISOR_LABELS,
    SUPERVISOR_PHRASES,
)
from scrapers.normalize.text import META_LINK_KEYS, Doc, Found, Link, evidence, squash, tidy_url

# --- e-mails --------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]{0,63})@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24})(?![\w-])"
)
_OBFUSCATED = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]{0,63}(?:(?:\s*(?:\[dot\]|\(dot\))\s*|\s+dot\s+)[\w+-]{1,40}){0,3})"
    r"\s*(?:\[at\]|\(at\)|\{at\}|<at>|\s+at\s+|\s*@\s*)\s*"
    r"([A-Za-z0-9-]+(?:(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*|\.)[A-Za-z0-9-]+)*"
    r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*|\.)[A-Za-z]{2,24})(?![\w-])",
    re.I,
)
_NOT_LOCAL = {
    "available",
    "look",
    "found",
    "work",
    "based",
    "study",
    "arrive",
    "positions",
    "position",
    "starting",
    "start",
    "apply",
    "applications",
    "phd",
    "located",
    "us",
    "me",
    "them",
    "him",
    "her",
    "it",
    "this",
    "that",
    "is",
    "are",
    "be",
    "information",
    "details",
    "here",
    "online",
    "students",
    "researchers",
    "aimed",
    "hosted",
    "program",
    "programme",
    "university",
}


_GENERIC_TLDS = {
    "com",
    "org",
    "net",
    "edu",
    "gov",
    "int",
    "info",
    "eu",
    "io",
    "ai",
    "mil",
    "academy",
    "science",
    "app",
    "dev",
}


def _plausible_tld(domain: str) -> bool:
    tld = re.split(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+|\.)\s*", domain.strip())[-1].lower()
    if tld in _GENERIC_TLDS:
        return True
    import pycountry

    return len(tld) == 2 and (
        tld == "uk" or pycountry.countries.get(alpha_2=tld.upper()) is not None
    )


def _tidy_email(local: str, domain: str) -> str | None:
    domain = re.sub(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*", ".", domain, flags=re.I)
    domain = re.sub(r"\s*\.\s*", ".", domain).strip(".").lower()
    local = re.sub(r"\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*", ".", local, flags=re.I).strip(
        "."
    )
    if (
        not local
        or "." not in domain
        or re.search(r"\.(png|jpe?g|gif|svg|webp|pdf|html?)$", domain)
    ):
        return None
    return f"{local}@{domain}"


def _obfuscated_email(match: re.Match[str]) -> str | None:
    if re.search(r"\S@\S", match.group(0)):
        return None  # a plain address, read by _EMAIL; "name @ domain.org" is spaced out
    local = match.group(1)
    if local.lower() in _NOT_LOCAL or re.match(r"https?$|www$", local, re.I):
        return None
    spaced_at = bool(re.search(r"\s+at\s+", match.group(0)))
    if spaced_at and not re.search(r"[.\[(]|dot", match.group(2)):
        return None
    if spaced_at and (
        re.match(r"www\.", match.group(2), re.I) or not _plausible_tld(match.group(2))
    ):
        return None
    return _tidy_email(local, match.group(2))


_ROLE_MAILBOX = re.compile(
    r"^(?:hr|jobs?|recruit\w*|vacanc\w*|info|admissions?|office|secretar\w*|noreply|no-reply|webmaster|"
    r"careers?|personnel|applications?|apply|enquiries|inquiries|contact|helpdesk|support)[\d._-]*@",
    re.I,
)


def _is_role_mailbox(email: str) -> bool:
    return bool(_ROLE_MAILBOX.match(email))


def extract_emails(doc: Doc) -> Found[list[str]] | None:
    text = doc.all_text
    found: list[tuple[int, str, str]] = []
    for match in _EMAIL.finditer(text):
        email = _tidy_email(match.group(1), match.group(2))
        if email:
            found.append((match.start(), email, "plain_email"))
    position = 0
    while True:
        candidate = _OBFUSCATED.search(text, position)
        if candidate is None:
            break
        match = candidate
        # A rejected candidate ("Dr. Fan Yang at fan.yang(at)...") must not hide the real
        # address that overlaps it, so the search moves on by one character only.
        position = match.start() + 1
        email = _obfuscated_email(match)
        if email:
            found.append((match.start(), email, "obfuscated_email"))
            position = match.end()
    for link in doc.links:
        if link.href.lower().startswith("mailto:"):
            address = link.href[7:].split("?", 1)[0].strip()
            address_match = _EMAIL.fullmatch(address)
            if address_match:
                email = _tidy_email(address_match.group(1), address_match.group(2))
                if email:
                    found.append(
                        (link.offset if link.offset >= 0 else len(text), email, "mailto_link")
                    )
    for key, value in doc.meta.items():
        if re.search(r"e-?mail|contact", key, re.I) and isinstance(value, str):
            for match in _EMAIL.finditer(value):
                email = _tidy_email(match.group(1), match.group(2))
                if email:
                    found.append((len(text) + 1, email, "meta_email"))
    if not found:
        return None
    found.sort(key=lambda item: item[0])
    emails: list[str] = []
    for _position, email, _rule in found:
        if email.lower() not in (e.lower() for e in emails):
            emails.append(email)
    # A person to write to comes before an office mailbox ("hr@", "jobs@") named earlier.
    emails.sort(key=_is_role_mailbox)
    rules = sorted({rule for _p, _e, rule in found})
    return Found(emails, evidence(", ".join(emails), "+".join(rules), 0.9))


_TEMPLATE_LOCAL = re.compile(
    r"^(?:first-?name|first|given-?name|prenom|prénom|vorname|nome)[._-]?"
    r"(?:last-?name|last|surname|family-?name|nom|nachname|cognome)$",
    re.I,
)


def is_email_template(email: str) -> bool:
    """ "firstname.lastname@univ.fr" is a pattern for every staff member's address."""
    return bool(_TEMPLATE_LOCAL.match(email.split("@", 1)[0]))


def resolve_email_templates(emails: list[str], names: list[str], text: str) -> list[str]:
    """Fill "firstname.lastname@domain" with the person it is written for.

    The person is the named supervisor whose first name is written next to the template
    ("firstname.lastname@x.fr for Claire"), else the only one named; a template nobody fits
    is dropped, since it is no address.
    """
    out: list[str] = []
    for email in emails:
        if not is_email_template(email):
            out.append(email)
            continue
        local, domain = email.split("@", 1)
        at = text.lower().find(email.lower())
        window = text[max(0, at - 80) : at + len(email) + 80] if at != -1 else ""
        person = next(
            (n for n in names if window and re.search(rf"\b{re.escape(n.split()[0])}\b", window)),
            names[0] if len(names) == 1 else None,
        )
        if person is None:
            continue
        parts = [fold_name(p) for p in person.split() if not re.fullmatch(r"[A-Z]\.?", p)]
        if len(parts) < 2:
            continue
        separator = re.search(r"[._-]", local)
        joiner = separator.group(0) if separator else ""
        out.append(f"{parts[0]}{joiner}{'-'.join(parts[1:])}@{domain}")
    return out


def fold_name(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(
        r"[^a-z-]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    )


# --- names ----------------------------------------------------------------------------------

_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'\u2019]+(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?(?:-[A-Za-zÀ-ÖØ-Þ][a-zà-öø-ÿ'\u2019]+)?|[A-ZÀ-ÖØ-Þ]\.)"
_PARTICLE = r"(?:van|von|de|der|den|da|di|del|della|le|la|du|dos|das|ter|ten|bin|al|el)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_NAME_WORD}){{1,3}}"
_RANK = r"(?:Associate|Assistant|Adjunct|Full|Research|Visiting|Emeritus|Senior)\s+Prof(?:essor)?|Assoc\.?\s+Prof|Asst\.?\s+Prof|Univ\.[- ]?Prof"
_TITLE = rf"(?i:(?:{_RANK}|Dr\.?\s+hab(?:il)?|Prof(?:essor)?|Profa|Prof\.ssa|Dra|Dr|Doctor|Dott(?:\.ssa)?|PD|Mr|Ms|Mrs|Mme|ir|Dipl\.-Ing|Dr\.-Ing|Senior\s+Researcher|Researcher|(?:Senior\s+)?(?:University\s+)?Lecturer|Reader|Docent)\.?\s+)"
_TITLES = rf"(?:{_TITLE}{{1,3}})"
# The contact fallback trusts only academic titles: "contact Ms. X" is often an administrator.
_ACADEMIC_TITLE = rf"(?i:(?:{_RANK}|Dr\.?\s+hab(?:il)?|Prof(?:essor)?|Profa|Prof\.ssa|Dra|Dr|Doctor|Dott(?:\.ssa)?|PD|ir|Dr\.-Ing)\.?\s+)"
_ACADEMIC_TITLES = rf"(?:{_ACADEMIC_TITLE}{{1,3}})"
_NAME_LIST = rf"{_TITLES}?(?P<n1>{_NAME})(?:\s*(?:\([^)]{{0,120}}\))?\s*(?:,\s*|\s+(?:{NAME_JOINERS})\s+|\s*&\s*|,?\s+or\s+)(?:{_TITLES})?(?P<n2>{_NAME}))?(?:\s*(?:\([^)]{{0,120}}\))?\s*(?:,\s*|\s+(?:{NAME_JOINERS})\s+|,\s+(?:{NAME_JOINERS})\s+)(?:{_TITLES})?(?P<n3>{_NAME}))?"
_NOT_NAMES = re.compile(
    r"^(?:University|Department|School|Faculty|Institute|Center|Centre|Group|Lab|Research|PhD|Ph\.D|"
    r"The|This|Our|We|Applications?|Deadline|Funding|Project|Program|Programme|Professor|Email|E-mail|"
    r"Contact|Please|For|Further|More|Information|Doctoral|Graduate|Associate|Assistant|Computer|"
    r"Mathematics|Applied|Machine|Data|Science|Engineering|Technology|Physics|Chemistry|Biology|"
    r"Statistics|Informatics)\b"
)
_SUPERVISOR_LABEL = re.compile(
    r"^(?:(?:main|principal|primary|lead|first|second|secondary|associate|additional|thesis|phd|doctoral) |co-?)?(?:supervisors?|advisors?|advisers?|"
    r"promotors?|promoters?|tutors?|mentors?|pis?|principal investigators?|project leaders?|"
    rf"phd supervisors?|supervision|supervisory team|supervising team|{SUPERVISOR_LABELS})$"
)
_PHRASES: tuple[tuple[str, float], ...] = (
    (rf"(?:co-?)?supervis(?:ed|ion)\s+(?:jointly\s+)?(?:of|by|with)\s+{_NAME_LIST}", 0.85),
    (rf"under the (?:co-?)?supervision of\s+{_NAME_LIST}", 0.85),
    (rf"under the (?:direction|guidance|mentorship) of\s+{_NAME_LIST}", 0.8),
    (rf"(?i:{SUPERVISOR_PHRASES})\s*:?\s+{_NAME_LIST}", 0.8),
    (rf"(?i:{SUPERVISOR_LABELS})\s*:\s+{_NAME_LIST}", 0.8),
    (rf"(?:work|working) (?:closely )?(?:with|under) {_TITLES}{_NAME_LIST}", 0.6),
    (
        rf"(?i:principal\s+|main\s+|primary\s+)?(?i:supervisors?)(?:\s+(?:will|would|is|are|be|by|shall)){{0,3}}\s*[:,]?\s+{_NAME_LIST}",
        0.8,
    ),
    # "(Advisor: Prof. X, Email: ...)": a supervisor named in brackets inside a sentence.
    (rf"\((?i:(?:co-?)?(?:supervisors?|advis[oe]rs?|promot[oe]rs?))\s*:\s*{_NAME_LIST}", 0.85),
    (rf"(?:directed|led|headed|advised)\s+by\s+{_NAME_LIST}", 0.75),
    (rf"co-?PIs?\s+{_NAME_LIST}", 0.75),
    (rf"(?i:group|lab|laboratory|team|chair|unit)\s*\(\s*{_TITLES}?(?P<n1>{_NAME})\s*\)", 0.7),
    (rf"(?:research\s+)?(?:group|lab|laboratory|team)\s+of\s+{_NAME_LIST}", 0.7),
    # Italian calls name the supervisor "tutor" ("the scholarship tutors", "thesis tutor").
    (rf"(?i:scholarship|thesis|phd|doctoral|research)\s+tutors?\s*[:,]?\s+{_NAME_LIST}", 0.7),
    (rf"(?P<n1>{_NAME})['\u2019]s\s+(?:grant|group|lab|team|project)", 0.65),
    # A lab page signed by its professor: "— Maria Reyes, Associate Professor".
    (
        rf"(?:^|\n)\s*[—\u2013-]{{1,2}}\s*(?P<n1>{_NAME}),\s+(?i:(?:associate |assistant |full )?professor|PI|group leader|lab head)",
        0.6,
    ),
    (
        rf"{_TITLES}(?P<n1>{_NAME})(?:\s*<[^>]+>)?(?:\s+at\s+the\s+[^.]{{0,80}}?)?\s+(?:is\s+)?(?:advertis|offer|seek|is\s+looking|invit|has\s+(?:an?\s+)?(?:open|funded|PhD))",
        0.7,
    ),
)
_CONTACT = rf"(?i:contact(?:\s+(?:the|our|my|lab's|group's|project's|head|leader|PI|of|group|lab),?){{0,4}}|write to|mention|list|e-?mail(?: to)?|(?:send|sent|submit\w*|address\w*|direct\w*|forward\w*)(?:[^.]|\b(?:Prof|Dr)\.){{0,250}}?\bto|(?:inquiries|enquiries|questions)(?:\s+[\w,]+){{0,5}}?\s+to)\s*:?\s+{_ACADEMIC_TITLES}{_NAME_LIST}"


_NAME_TAIL = {
    "dept",
    "department",
    "chair",
    "school",
    "faculty",
    "university",
    "institute",
    "email",
    "e-mail",
    "tel",
    "phone",
    "head",
    "director",
    "professor",
    "phd",
    "lab",
    "group",
    "centre",
    "center",
}


_HAS_UNIT_WORD = re.compile(
    r"\b(?:Centre|Center|College|University|Universit\w+|Institute|Institut|Department|School|"
    r"Faculty|Laboratory|Lab|Group|Hospital|Foundation|Council|Trust|Ltd|Inc|GmbH)\b"
)


def clean_name(name: str) -> str:
    name = re.sub(rf"^{_TITLES}+", "", squash(name)).strip(" ,.;:")
    tokens = name.split(" ")
    # "James Gleeson Dept", "Victor Panaretos Chair": a unit word after the name is not part of it.
    while len(tokens) > 2 and tokens[-1].lower().strip(".") in _NAME_TAIL:
        tokens.pop()
    return " ".join(tokens)


def _names_from(match: re.Match[str]) -> list[str]:
    names: list[str] = []
    for group in ("n1", "n2", "n3"):
        try:
            value = match.group(group)
        except IndexError:
            continue
        # A name ends at the end of its line: "Supervisor Stipend" over "*For students ...".
        value = re.split(r"\s*\n", value or "", maxsplit=1)[0]
        if (
            len(value.split()) >= 2
            and not _NOT_NAMES.match(value)
            and not _looks_like_a_subject(value)
            and not _FUNCTION_WORD.search(value)
        ):
            names.append(clean_name(value))
    return names


# "Stipend For", "Funding And": a capitalised function word is not part of a person's name.
_FUNCTION_WORD = re.compile(
    r"(?<!\S)(?:For|And|The|With|From|To|In|On|At|By|Or|Is|Are|Of|This|That|These|All|Any)(?!\S)"
)


@functools.cache
def _subject_words() -> frozenset[str]:
    """Words of field names ("Numerical", "Analysis", "Kinetic"): a "name" made of them is a topic."""
    from scrapers.normalize.topics import load_taxonomy

    words: set[str] = {
        "group",
        "lab",
        "laboratory",
        "team",
        "systems",
        "theory",
        "science",
        "sciences",
        "research",
        "university",
        "institute",
        "department",
        "equations",
        "methods",
        "engineering",
        "studies",
        "analysis",
        "numerical",
        "applied",
        "computational",
        "quantum",
        "statistical",
        "dynamical",
        "scalable",
    }
    for node in load_taxonomy():
        for phrase in (node.name, *node.keywords):
            words.update(word for word in re.findall(r"[a-z]{4,}", phrase.lower()))
    return frozenset(words)


def _looks_like_a_subject(name: str) -> bool:
    tokens = [token.lower() for token in re.findall(r"[A-Za-z\u00c0-\u024f]+", name)]
    return bool(tokens) and sum(token in _subject_words() for token in tokens) >= max(
        1, len(tokens) // 2
    )


def extract_supervisors(doc: Doc) -> Found[list[str]] | None:
    labelled: list[str] = []
    labels: list[str] = []
    # Every supervisor label counts: "Principal advisor: X" and "Associate advisor: Y".
    for key, value in doc.fields.items():
        if _SUPERVISOR_LABEL.match(key):
            in_label = [
                clean_name(m.group("n"))
                for m in re.finditer(rf"{_TITLES}?(?P<n>{_NAME})", value)
                if not _NOT_NAMES.match(m.group("n")) and not _looks_like_a_subject(m.group("n"))
            ]
            in_label = [n for n in in_label if len(n.split()) >= 2 and not _HAS_UNIT_WORD.search(n)]
            if in_label:
                labelled.extend(in_label)
                labels.append(f"{key}: {value}")
    if labelled:
        return Found(_unique(labelled), evidence(" … ".join(labels), "label_supervisor", 0.9))
    names: list[str] = []
    snippets: list[str] = []
    confidence = 1.0
    for pattern, weight in _PHRASES:
        for match in re.finditer(pattern, doc.all_text):
            found = _names_from(match)
            if found:
                names.extend(found)
                snippets.append(squash(match.group(0)))
                confidence = min(confidence, weight)
    contact_names, contact_snippets = _contact_professors(doc)
    if names:
        # "Co-supervised by Dr X": the main supervisor is the professor the advert asks
        # applicants to contact.
        if any(re.search(r"co-?supervis", snippet, re.I) for snippet in snippets):
            names.extend(contact_names)
            snippets.extend(contact_snippets)
        return Found(
            _unique(names), evidence(" … ".join(snippets), "phrase_supervisor", confidence)
        )
    if contact_names:
        return Found(
            _unique(contact_names), evidence(" … ".join(contact_snippets), "contact_professor", 0.4)
        )
    return None


def _contact_professors(doc: Doc) -> tuple[list[str], list[str]]:
    contact_names: list[str] = []
    contact_snippets: list[str] = []
    for match in re.finditer(_CONTACT, doc.all_text):
        found = _names_from(match)
        for name in found:
            if name.split()[0].lower() in ("the", "a"):
                continue
            contact_names.append(name)
        if found:
            contact_snippets.append(squash(match.group(0)))
    # "contact Dr. A, or Dr. B": both are named with a title.
    for match in re.finditer(rf"\bor\s+(?:to\s+)?{_ACADEMIC_TITLES}(?P<n1>{_NAME})", doc.all_text):
        if contact_names and any(
            match.start() - doc.all_text.find(s[:20]) < 300 for s in contact_snippets
        ):
            contact_names.extend(_names_from(match))
    return contact_names, contact_snippets


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name.casefold()
        if key in seen or len(name) < 4:
            continue
        seen.add(key)
        out.append(name)
    return out


# --- apply URL ----------------------------------------------------------------------------------

_APPLY_CUE = re.compile(
    r"\bapply\b|\bapplying\b|\bapplications? (?:must|should|can|will|are|is|to be|have to|may)\b|"
    r"\bapplication (?:form|procedure|process|portal|instructions|page|details|package|system|website|link)|"
    r"online application|formal application|(?:information|details|instructions) (?:for|on) (?:the )?applications?|"
    r"\bfor (?:the )?applications?\b|\bthe application\b|web form|\bportal\b|recruitment system|"
    r"\bapplications? (?:through|via|at|on|online)\b|\bapplications? to (?:the|our|a)\b|"
    r"\bsubmit\w*\b[^.]{0,80}\bapplications?\b|\bapplications?\b[^.]{0,80}\b(?:via|through|at|on) the (?:website|web ?site|portal)|"
    + APPLY_LINK_WORDS,
    re.I,
)
_INFO_CUE = re.compile(
    r"official (?:advert|advertisement|announcement|call)|full details|more details|further details|"
    r"more information|further information|more info|vacancy|job (?:ad|advert|posting)|can be found|"
    r"announcement|advertisement|\bcall\b|"
    r"details (?:are|can)|\binfo\b|information at|details at|\bsee\b|visit|\blink\b|\badmissions?\b|"
    + INFO_LINK_WORDS,
    re.I,
)
_APPLY_BUTTON = re.compile(
    r"\s*(?:apply(?: now| online| here)?|apply (?:for|to) (?:this |the )?(?:position|job|post|vacancy|programme|program)|"
    r"submit (?:an |your )?application|application form)\s*[.!>»]*\s*$",
    re.I,
)
_SKIP_URL = re.compile(r"\.(?:png|jpe?g|gif|svg|css|js|ico)(?:\?|$)|^mailto:|^javascript:", re.I)


def _url_of(link: Link) -> str:
    if link.anchor and re.match(r"(?:https?://|www\.)\S+$", link.anchor):
        anchor_url = tidy_url(link.anchor)
        href = tidy_url(link.href)
        if href != anchor_url and re.search(
            r"redirect|l\.php|click|track|url=|\?u=", link.href, re.I
        ):
            return anchor_url
        return href
    return tidy_url(link.href)


def _meta_link(doc: Doc) -> Found[str] | None:
    """A post that relays an advert names the advert's own page in its front matter."""
    for key in META_LINK_KEYS:
        value = doc.meta.get(key)
        if isinstance(value, str) and value.startswith("http") and " " not in value.strip():
            return Found(value.strip(), evidence(f"{key}: {value}", "meta_link", 0.6))
    return None


def extract_apply_url(doc: Doc) -> Found[str] | None:
    for key, value in doc.fields.items():
        if re.search(r"apply|application (?:link|url|form|portal)|how to apply", key) or (
            re.search(APPLY_LINK_WORDS, key, re.I) and not re.search(DEADLINE_LABELS, key, re.I)
        ):
            match = re.search(r"(?:https?://|www\.)\S+", value)
            if match:
                return Found(
                    tidy_url(match.group(0)), evidence(f"{key}: {value}", "label_apply_url", 0.9)
                )
    for key in ("applyUrl", "apply_url", "url_apply", "application_url", "directApply"):
        meta_value = doc.meta.get(key)
        if isinstance(meta_value, str) and meta_value.startswith("http"):
            return Found(meta_value, evidence(f"{key}: {meta_value}", "meta_apply_url", 0.9))
    text = doc.text
    best: tuple[float, int, str, str] | None = None
    for link in doc.links:
        if _SKIP_URL.search(link.href):
            continue
        if link.offset < 0:
            # A button the adapter kept only as a link: "Apply now", "Apply for position".
            if _APPLY_BUTTON.match(link.anchor or "") and link.href.startswith("http"):
                url = _url_of(link)
                if best is None or best[0] < 0.75:
                    best = (0.75, len(text), url, squash(f"{link.anchor} {url}"))
            continue
        url = _url_of(link)
        if not url.startswith("http"):
            continue
        # The sentence that introduces the link, even across a blank line:
        # "Formal application is via ... at\n\n<url>".
        window = text[max(0, link.offset - 160) : link.offset]
        pieces = [p for p in re.split(r"\n\n|(?<=[.!?])\s+(?=[A-Z])", window) if p.strip()]
        before = pieces[-1] if pieces else ""
        after = text[link.offset : link.offset + len(link.href) + 60]
        anchor = link.anchor or ""
        score = 0.0
        if _APPLY_CUE.search(anchor) or _APPLY_CUE.search(before):
            score = 0.8
        elif re.search(
            r"^\S*\s*>?\s*for (?:more|further|the application|full)", after[len(link.href) :], re.I
        ):
            score = 0.6
        elif (_INFO_CUE.search(anchor) or _INFO_CUE.search(before)) and not re.search(
            r"\babout\b|\bregarding\b", before, re.I
        ):
            score = 0.5
        if score and (best is None or score > best[0]):
            best = (score, link.offset, url, squash(before[-100:] + " " + url))
    if best is None:
        return _meta_link(doc)
    # A URL read from the text ("www.x.org/apply") takes the scheme of the page's own link.
    for link in doc.links:
        href = link.href
        if href.startswith("http") and re.sub(r"^https?://", "", href).rstrip("/") == re.sub(
            r"^https?://", "", best[2]
        ).rstrip("/"):
            best = (best[0], best[1], href, best[3])
            break
    return Found(
        best[2],
        evidence(
            best[3],
            "link_after_apply_words" if best[0] >= 0.8 else "link_after_info_words",
            best[0],
        ),
    )
