"""Money: the stipend or salary (amount, ISO 4217 currency, period, pay scale), the kind of
contract, which tuition fees are covered, and whether teaching is part of the post.

"£20,780 per year", "SEK 34 000 per month", "18.546,56 EUR", "between 18K and 22K per year",
"€ 2,266 gross per month ..., up to a maximum of € 2,897" and "E 13 TV-L, 50%" are all read
here. Amounts next to travel money, fees or conference budgets are not a stipend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.normalize.lexicon import EMPLOYMENT_WORDS, STIPEND_WORDS
from scrapers.normalize.money_words import MONTH_WORDS, NOT_PAY_WORDS, PAY_WORDS, YEAR_WORDS
from scrapers.normalize.pay_scales import find_fte, find_scale
from scrapers.normalize.place_money import country_currency, local_sign_currency
from scrapers.normalize.text import Doc, Found, evidence, snippet_around
from scrapers.records import Contract, Period, Stipend

_CURRENCY_WORDS: dict[str, str] = {
    "£": "GBP",
    "€": "EUR",
    "$": "USD",
    "us$": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "ca$": "CAD",
    "c$": "CAD",
    "hk$": "HKD",
    "s$": "SGD",
    "nz$": "NZD",
    "¥": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "rupees": "INR",
    "₩": "KRW",
    "chf": "CHF",
    "fr.": "CHF",
    "kr": "SEK",
    "kr.": "DKK",
    "euro": "EUR",
    "euros": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "dollars": "USD",
    "kronor": "SEK",
    "kroner": "NOK",
    "reais": "BRL",
    "swiss francs": "CHF",
    "francs": "CHF",
    "yen": "JPY",
    "rmb": "CNY",
    "yuan": "CNY",
    "won": "KRW",
}
_CODES = [
    "GBP",
    "EUR",
    "USD",
    "SEK",
    "NOK",
    "DKK",
    "ISK",
    "CHF",
    "AUD",
    "CAD",
    "NZD",
    "JPY",
    "CNY",
    "HKD",
    "SGD",
    "KRW",
    "INR",
    "PLN",
    "CZK",
    "HUF",
    "ILS",
    "ZAR",
    "BRL",
    "MXN",
    "TWD",
    "QAR",
    "AED",
    "SAR",
]
_CUR = (
    r"(?:US\$|A\$|AU\$|CA\$|C\$|HK\$|S\$|NZ\$|[£€$¥₹₩]|\b(?:"
    + "|".join(_CODES)
    + r")\b|\bCHF\b|\bFr\.|\bkr\.?(?!\w)|\beuros?\b|\bpounds?\b(?: sterling)?|\bdollars\b|\bkronor\b|\bkroner\b|\breais\b|"
    r"\bswiss francs\b|\byen\b|\bRMB\b|\byuan\b|\bRs\.?(?!\w)|\brupees\b)"
)
_AMOUNT = (
    r"(?:\d{1,3}(?:[ ,.'\u2019\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:\s?[kK]\b)?"
)
# "1,200,000 won": a currency word that is also an English word counts after an amount only.
_CUR_AFTER = rf"(?:{_CUR}|\bwon\b)"
_MONEY = re.compile(
    rf"(?P<c1>{_CUR})\s?(?P<a1>{_AMOUNT})|(?P<a2>{_AMOUNT})\s?(?P<c2>{_CUR_AFTER})", re.I
)
_BARE_K = re.compile(r"(?<![\w.,])(?P<a>\d{1,3}(?:[.,]\d)?)\s?[kK]\b")

_PAY_CONTEXT = re.compile(
    r"salar(?:y|ies)|stipend|per annum|per year|per month|p\.\s?a\.|\bannual|yearly|monthly|gross|"
    r"\bnet\b|tax[- ]free|remuneration|\bpay\b|paid|income|bursary|scholarship|fellowship|"
    r"living allowance|maintenance|wage|lön|gehalt|/\s?(?:month|year|annum)\b|"
    # North American funding packages: "$23,250: base graduate funding", "funding package".
    r"\b(?:base|graduate|guaranteed|minimum) (?:\w+ )?funding\b|funding package|"
    + PAY_WORDS
    + "|"
    + MONTH_WORDS
    + "|"
    + YEAR_WORDS,
    re.I,
)
_NOT_PAY = re.compile(
    r"travel|conference|tuition|\bfees?\b|research (?:costs?|budget|funds?|expenses)|development|"
    r"relocation|bench|consumables|equipment|application fee|insurance|visa|\bprize|award of up|"
    r"health|mobility|holiday allowance|year-end|end-of-year|bonus|" + NOT_PAY_WORDS,
    re.I,
)
_YEAR = re.compile(
    r"per (?:year|annum)|a year|/\s?(?:year|yr|annum)|\byearly|\bannual(?:ly)?|p\.\s?a\.|each year|"
    r"\b(?:1st|first) year|(?<![\w.])(?-i:pa)(?![\w.])|" + YEAR_WORDS,
    re.I,
)
_MONTH = re.compile(
    r"per month|a month|/\s?(?:month|mo)\b|\bmonthly|each month|" + MONTH_WORDS, re.I
)
_PAY_SCALE = re.compile(
    r"(?P<s1>TV-?L|TVöD|TV-?H|TV-?Ärzte|TV-?AVH)[\s,-]*(?:E|EG|Entgeltgruppe)?\s?-?(?P<g1>\d{1,2}[a-z]?)\b"
    r"|\b(?:E|EG|Entgeltgruppe)\s?-?(?P<g2>\d{1,2}[a-z]?)\s*(?:of\s+(?:the\s+)?|,\s*)?(?P<s2>TV-?L|TVöD|TV-?H)\b",
    re.I,
)
_FTE = re.compile(r"(?<![\d.,])(?P<p>[1-9]\d|100)\s?(?:%|percent|per cent)")
_STANDARD_RATE = re.compile(
    r"stipend (?:at|in line with|matching|equivalent to) (?:the )?(?:standard |minimum )?"
    r"(?P<who>UK|UKRI|RCUK|EPSRC|research council)|"
    r"(?P<who2>UKRI|RCUK|EPSRC|standard UK) (?:rate |minimum )?stipend",
    re.I,
)


def parse_amount(text: str) -> float | None:
    """A number written the European or the English way: "18.546,56", "20,780", "34 000", "18K"."""
    raw = text.strip()
    thousands = 1000.0 if re.search(r"\d\s?[kK]$", raw) else 1.0
    raw = (
        re.sub(r"\s?[kK]$", "", raw).replace("\u202f", " ").replace("'", " ").replace("\u2019", " ")
    )
    if not re.fullmatch(r"[\d ,.]+", raw) or not re.search(r"\d", raw):
        return None
    raw = raw.replace(" ", "")
    last_dot, last_comma = raw.rfind("."), raw.rfind(",")
    if last_dot != -1 and last_comma != -1:
        decimal = "." if last_dot > last_comma else ","
        thousand_sep = "," if decimal == "." else "."
        raw = raw.replace(thousand_sep, "").replace(decimal, ".")
    elif last_dot != -1 or last_comma != -1:
        separator = "." if last_dot != -1 else ","
        parts = raw.split(separator)
        if len(parts) > 2 or len(parts[-1]) == 3:
            raw = raw.replace(separator, "")  # thousands: "20,780", "1.500", "1,000,000"
        else:
            raw = raw.replace(separator, ".")  # decimals: "3.5", "2266,50"
    try:
        value = float(raw) * thousands
    except ValueError:
        return None
    return value


def currency_code(token: str, *, country: str | None = None) -> str | None:
    token = token.strip()
    if token.upper() in _CODES:
        return token.upper()
    lowered = token.lower()
    # "$", "kr", "¥", "Rs": the place's own currency where that is how it writes it (CLDR).
    local = local_sign_currency(lowered, country)
    if local:
        return local
    if lowered in ("kroner", "kronor") and country_currency(country) in ("NOK", "DKK", "SEK"):
        return country_currency(country)
    if lowered.startswith("pound"):
        return "GBP"
    return _CURRENCY_WORDS.get(lowered)


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    amount: float
    currency: str | None
    text: str


def find_money(text: str, *, country: str | None = None) -> list[Money]:
    found: list[Money] = []
    for match in _MONEY.finditer(text):
        amount_text = match.group("a1") or match.group("a2") or ""
        currency_text = match.group("c1") or match.group("c2") or ""
        amount = parse_amount(amount_text)
        if amount is None or amount <= 0:
            continue
        currency = currency_code(currency_text, country=country)
        written = re.search(
            r"(AUD|CAD|NZD|HKD|SGD|USD|MXN|CLP|ARS|COP|TWD)\s?$",
            text[max(0, match.start() - 4) : match.start()],
        )
        if currency_text == "$" and written:
            # "AUD $28,597", "Living AllowanceAUD $28,597": the code written before the sign.
            currency = written.group(1)
        # Ranges with the currency written once: "3,000-3,500 EUR", "SEK 34,000-36,000".
        before = re.search(
            rf"({_AMOUNT})\s*(?:-|\u2013|to|and)\s*$",
            text[max(0, match.start() - 30) : match.start()],
        )
        if before and match.group("a2"):
            low = parse_amount(before.group(1))
            if low and low < amount:
                found.append(
                    Money(
                        match.start() - len(before.group(0)),
                        match.start(),
                        low,
                        currency,
                        before.group(0),
                    )
                )
        found.append(Money(match.start(), match.end(), amount, currency, match.group(0)))
        after = re.match(
            rf"\s*(?:-|\u2013|to)\s*({_AMOUNT})(?!\s?{_CUR})",
            text[match.end() : match.end() + 30],
            re.I,
        )
        if after and match.group("a1"):
            high = parse_amount(after.group(1))
            if high and high > amount:
                found.append(
                    Money(
                        match.end(),
                        match.end() + len(after.group(0)),
                        high,
                        currency,
                        after.group(0),
                    )
                )
    return found


def parse_money(text: str, *, country: str | None = None) -> Stipend | None:
    """A stipend from one phrase: "£20,780 per year" -> 20780 GBP year."""
    found = find_money(text, country=country)
    if not found:
        return None
    first = found[0]
    return Stipend(first.amount, first.currency, _period(text, first), text=text.strip())


def _period(sentence: str, money: Money) -> Period | None:
    """The period written nearest the amount: after it first, else the closest before it."""
    after = sentence[money.end : money.end + 60]
    month = _MONTH.search(after)
    year = _YEAR.search(after)
    if year and not month and _ORDINAL_YEAR.fullmatch(year.group(0)):
        # "monthly salary ranges from € 2,325 to start with in the first year": the year of
        # the contract the amount is for; the period is the one written before it.
        earlier = _period_before(sentence, money)
        if earlier:
            return earlier
    if month or year:
        if month and (not year or month.start() < year.start()):
            return "month"
        return "year"
    return _period_before(sentence, money)


_ORDINAL_YEAR = re.compile(r"(?:1st|first) year", re.I)


def _period_before(sentence: str, money: Money) -> Period | None:
    before = sentence[max(0, money.start - 60) : money.start]
    months = [m.end() for m in _MONTH.finditer(before)]
    years = [m.end() for m in _YEAR.finditer(before)]
    if months or years:
        return "month" if max(months, default=-1) > max(years, default=-1) else "year"
    return None


def parse_pay_scale(text: str) -> tuple[str, int | None] | None:
    """("TV-L E13", 65) from "TV-L E13, 65%" or "E 13 TV-L, 50%"."""
    match = _PAY_SCALE.search(text)
    if not match:
        return None
    scheme = (match.group("s1") or match.group("s2") or "").upper().replace("TVÖD", "TVöD")
    if scheme.startswith("TV") and "-" not in scheme and scheme != "TVöD":
        scheme = scheme[:2] + "-" + scheme[2:]
    grade = (match.group("g1") or match.group("g2") or "").upper()
    window = text[max(0, match.start() - 60) : match.end() + 60]
    fte_match = _FTE.search(window)
    fte = int(fte_match.group("p")) if fte_match else None
    return f"{scheme} E{grade}", fte


def _default_period(amount: float, currency: str | None) -> Period:
    if currency in ("JPY", "KRW", "INR", "HUF", "CZK", "ISK"):
        return "month" if amount < 1_000_000 else "year"
    return "year" if amount >= 6000 else "month"


def extract_stipend(doc: Doc, *, country: str | None = None) -> Found[Stipend] | None:
    page_currencies = [m.currency for m in find_money(doc.all_text, country=country) if m.currency]
    fallback_currency = country_currency(country) or (
        page_currencies[0] if page_currencies else None
    )
    blocks: list[tuple[str, str, float]] = []
    for key, value in doc.fields.items():
        if re.search(
            r"salary|stipend|pay|remuneration|funding|compensation|benefits|scholarship|fellowship",
            key,
        ):
            blocks.append((f"{key}: {value}", "label_salary", 0.9))
    for _start, _end, sentence in [(0, 0, doc.title), *doc.sentences]:
        blocks.append((sentence, "sentence_salary", 0.8))
    fte = find_fte(doc.all_text)
    share = fte[0] if fte else None
    for block, rule, confidence in blocks:
        result = _stipend_in(block, country=country, fallback_currency=fallback_currency)
        if result:
            _add_scale(result, doc, country=country, share=share)
            return Found(
                result, evidence(block, rule, confidence if result.currency else confidence - 0.2)
            )
    for block, rule, _confidence in blocks:
        scale = parse_pay_scale(block)
        if scale:
            stipend = Stipend(
                None, "EUR", "month", pay_scale=scale[0], fte_percent=scale[1] or share, text=block
            )
            return Found(stipend, evidence(block, rule.replace("salary", "pay_scale"), 0.8))
    national = find_scale(doc.all_text, country=country)
    if national:
        # A national scale named without an amount still says how the post pays.
        stipend = Stipend(
            None,
            national.scale.currency,
            national.scale.period,
            pay_scale=national.label,
            fte_percent=share,
            text=snippet_around(doc.all_text, national.start, national.end),
        )
        return Found(stipend, evidence(stipend.text, "sentence_national_pay_scale", 0.7))
    match = _STANDARD_RATE.search(doc.all_text)
    if match:
        stipend = Stipend(None, "GBP", "year", fte_percent=share, text=match.group(0))
        return Found(
            stipend,
            evidence(
                snippet_around(doc.all_text, match.start(), match.end()),
                "sentence_standard_rate_stipend",
                0.6,
            ),
        )
    if fte is not None and fte[0] < 100:
        # "Assistant-e doctorant-e à 80%": the share of full time, no amount or currency.
        snippet = snippet_around(doc.all_text, fte[1], fte[2])
        return Found(
            Stipend(None, None, None, fte_percent=fte[0], text=snippet),
            evidence(snippet, "sentence_fte_percent", 0.6),
        )
    return None


def _add_scale(stipend: Stipend, doc: Doc, *, country: str | None, share: int | None) -> None:
    """A national pay scale named elsewhere in the advert, and the share of full time."""
    if stipend.pay_scale is None:
        national = find_scale(doc.all_text, country=country)
        if national and national.scale.currency == stipend.currency:
            stipend.pay_scale = national.label
    if stipend.fte_percent is None:
        stipend.fte_percent = share


def _deduction(block: str, position: int) -> bool:
    """ "-$6,355: TA income": an amount written with a minus sign is taken off a total, not
    paid. The sign is written against the amount; a list's bullet ("- € 2,901") or a range's
    dash ("3,000-3,500") is not one."""
    return bool(re.search(r"(?:^|[\s(])[-\u2212]$", block[max(0, position - 2) : position]))


def _clause_before(block: str, position: int) -> str:
    """The words of the same clause before an amount: "travel allowances can exceed "."""
    window = block[max(0, position - 60) : position]
    return re.split(r"[,;]|\band\b", window)[-1]


def _stipend_in(
    block: str, *, country: str | None, fallback_currency: str | None
) -> Stipend | None:
    if not _PAY_CONTEXT.search(block):
        return None
    amounts: list[Money] = []
    for money in find_money(block, country=country):
        if _NOT_PAY.search(_clause_before(block, money.start)) or money.amount < 100:
            continue
        if _deduction(block, money.start):
            continue
        amounts.append(money)
    if not amounts:
        for match in _BARE_K.finditer(block):
            if _NOT_PAY.search(_clause_before(block, match.start())) or not re.search(
                r"salar|stipend|pay|income", block, re.I
            ):
                continue
            value = parse_amount(match.group(0))
            if value and value >= 1000:
                amounts.append(Money(match.start(), match.end(), value, None, match.group(0)))
    if not amounts:
        amounts = _bare_amounts(block, country=country)
    if not amounts:
        return None
    local = country_currency(country)
    if local and any(m.currency and m.currency != local for m in amounts):
        # "EUR 3,980 (DKK 29,700)": where the page gives the pay in two currencies, the
        # place's own is the one the contract pays in.
        in_local = [m for m in amounts if m.currency == local]
        if in_local:
            amounts = in_local
    first = amounts[0]
    currency = first.currency or fallback_currency
    same = [m for m in amounts if (m.currency or currency) == currency]
    top = max(m.amount for m in same)
    period = _period(block, first) or _default_period(first.amount, currency)
    scale = parse_pay_scale(block)
    return Stipend(
        amount=round(first.amount, 2),
        currency=currency,
        period=period,
        amount_max=round(top, 2) if top > first.amount else None,
        pay_scale=scale[0] if scale else None,
        fte_percent=scale[1] if scale else None,
        text=block,
    )


_BARE = re.compile(
    r"(?<![\w.,])(?P<a>\d{1,3}(?:[ ,.'\u2019\u202f]\d{3})+|\d+(?:[.,]\d+)?\s?"
    r"(?P<m>million|mio\.?|millions|millones|milioni|miljoner|millioner|millionen))(?![\w%])",
    re.I,
)
_STRONG_PAY = re.compile(
    r"salar|stipend|\bpay\b|remuneration|wage|\bincome|gehalt|lön|lønn|løn", re.I
)


def _bare_amounts(block: str, *, country: str | None) -> list[Money]:
    """Amounts written without a currency in a sentence about pay with a period ("your monthly
    salary starts at 1.8 million", "a stipend of 2,400 per month"): in the place's currency,
    and only where the place is known."""
    local = country_currency(country)
    if not local or not _STRONG_PAY.search(block):
        return []
    found: list[Money] = []
    for match in _BARE.finditer(block):
        window = block[max(0, match.start() - 60) : match.end() + 40]
        if not (_MONTH.search(window) or _YEAR.search(window)):
            continue
        if _NOT_PAY.search(_clause_before(block, match.start())):
            continue
        number = match.group("a")
        if match.group("m"):
            value = parse_amount(re.sub(r"\s?[a-z.]+$", "", number, flags=re.I))
            value = value * 1_000_000 if value else None
        else:
            value = parse_amount(number)
        if value and value >= 1000 and not 1900 <= value <= 2100:
            found.append(Money(match.start(), match.end(), value, local, match.group(0)))
    return found


# --- contract, fees, teaching --------------------------------------------------------------------

_EMPLOYMENT = re.compile(
    r"\bsalar(?:y|ies)\b|\bemployment\b|\bemployed\b|\bemployee\b|\bpay scale\b|\bTV-?L\b|\bTVöD\b|"
    r"collective (?:labour )?agreement|\bCAO\b|doctoral (?:candidate|researcher) position|"
    r"\bwork contract\b|employment contract|fixed-term contract|\bcompetitive wage\b|\bwages?\b|"
    + EMPLOYMENT_WORDS,
    re.I,
)
_STIPEND_WORDS = re.compile(
    r"\bstipends?\b|\bstudentships?\b|\bscholarships?\b|\bfellowships?\b|\bbursary\b|\bbursaries\b|"
    + STIPEND_WORDS,
    re.I,
)


def extract_contract(doc: Doc) -> Found[Contract] | None:
    employment = _EMPLOYMENT.search(doc.all_text)
    if employment:
        return Found(
            "employment",
            evidence(
                snippet_around(doc.all_text, employment.start(), employment.end()),
                "words_employment",
                0.75,
            ),
        )
    stipend = _STIPEND_WORDS.search(doc.all_text)
    if stipend:
        return Found(
            "stipend",
            evidence(
                snippet_around(doc.all_text, stipend.start(), stipend.end()), "words_stipend", 0.7
            ),
        )
    return None


_NO_TEACHING = re.compile(
    r"\bno teaching(?: duty| duties| obligations?| load| requirements?)?\b|without (?:any )?teaching|"
    r"teaching (?:is|will be) not (?:required|expected)|free (?:of|from) teaching",
    re.I,
)
_TEACHING = re.compile(
    r"teaching (?:duty|duties|obligations?|load|assistan\w*|responsibilit\w*|requirements?)|"
    r"(?:assist|participate|involved) (?:in|with) (?:the )?teaching|"
    r"departmental duties|"
    r"\bteaching\b[^.]{0,60}\b(?:is|are) (?:part of|expected|required|included)",
    re.I,
)


def extract_teaching(doc: Doc) -> Found[bool] | None:
    negative = _NO_TEACHING.search(doc.all_text)
    if negative:
        return Found(
            False,
            evidence(
                snippet_around(doc.all_text, negative.start(), negative.end()),
                "sentence_no_teaching",
                0.85,
            ),
        )
    for match in _TEACHING.finditer(doc.all_text):
        before = doc.all_text[max(0, match.start() - 40) : match.start()]
        if re.search(r"optional|possib|opportunit|may |can |paid part-time", before, re.I):
            continue
        return Found(
            True,
            evidence(
                snippet_around(doc.all_text, match.start(), match.end()), "sentence_teaching", 0.75
            ),
        )
    return None
