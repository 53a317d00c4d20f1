"""schema.org JobPosting, in JSON-LD or microdata (as many university job systems embed it).

Reads the page with extruct (or a bare JSON-LD document), finds every JobPosting (also
inside @graph and nested lists) and turns its properties into labelled fields the
normaliser already knows ("Deadline" from validThrough, "Salary" from baseSalary, ...);
the JobPosting itself is kept verbatim in `meta["jobposting"]`. When the description is
thin, the page's own visible text (via the generic adapter) fills the advert's text.

Options: `label_aliases` as for the generic adapter; `min_description_chars` (default 200)
below which the visible page text is used as well.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterator, Mapping
from typing import Any

import extruct

from scrapers.adapters import ParseError, generic
from scrapers.adapters._common import (
    absolutize,
    apply_aliases,
    block_text,
    bounded,
    clean_line,
    extract_links,
    load_json,
    sanitize_html,
    slugify,
    soup_from_html,
    valid_options,
)
from scrapers.records import Page, ParseResult, RawRecord

NAME = "jsonld"

_MAX_DEPTH = 12


def parse(page: Page, options: Mapping[str, Any] | None = None) -> ParseResult:
    if not page.text or not page.text.strip():
        raise ParseError("empty page")
    options = valid_options(options)
    is_html = load_json(page.text) is None
    postings = list(_postings(page, is_html))
    if not postings:
        raise ParseError("no schema.org JobPosting found on the page")
    records = []
    for index, posting in enumerate(postings):
        records.append(_record(page, posting, index, len(postings), is_html, options))
    return ParseResult(records=records)


def _postings(page: Page, is_html: bool) -> Iterator[dict[str, Any]]:
    if not is_html:
        data = load_json(page.text)
        yield from _find_jobpostings(data, 0)
        return
    try:
        extracted = extruct.extract(
            bounded(page.text),
            base_url=page.url or None,
            syntaxes=["json-ld", "microdata"],
            uniform=True,
            errors="ignore",
        )
    except Exception:  # extruct raises assorted errors on broken markup
        return
    for syntax in ("json-ld", "microdata"):
        for item in extracted.get(syntax) or []:
            yield from _find_jobpostings(item, 0)


def _is_jobposting(item: Mapping[str, Any]) -> bool:
    kind = item.get("@type") or item.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _find_jobpostings(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _find_jobpostings(item, depth + 1)
    elif isinstance(data, dict):
        if _is_jobposting(data):
            yield data
            return
        for key in ("@graph", "itemListElement", "item", "mainEntity", "hasPart"):
            if key in data:
                yield from _find_jobpostings(data[key], depth + 1)


def _text(value: Any) -> str:
    """A property as text: strings as they are, lists joined, objects by name/value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "; ".join(part for part in (_text(item) for item in value) if part)
    if isinstance(value, dict):
        for key in ("name", "value", "@value", "url", "@id"):
            if key in value:
                return _text(value[key])
    return ""


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _salary(value: Any) -> str:
    value = _first(value)
    if not isinstance(value, dict):
        return _text(value)
    currency = _text(value.get("currency"))
    amount = value.get("value")
    unit = ""
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText"))
        low, high = amount.get("minValue"), amount.get("maxValue")
        single = amount.get("value")
        if single is not None:
            figure = _text(single)
        elif low is not None and high is not None:
            figure = f"{_text(low)} - {_text(high)}"
        else:
            figure = _text(low if low is not None else high)
    else:
        figure = _text(amount)
    if not figure:
        return ""
    period = {"YEAR": "per year", "MONTH": "per month", "WEEK": "per week", "HOUR": "per hour"}
    unit_text = period.get(unit.upper(), unit.lower())
    return clean_line(f"{currency} {figure} {unit_text}")


def _place(posting: Mapping[str, Any]) -> tuple[str, str, str]:
    location = _first(posting.get("jobLocation"))
    address = location.get("address") if isinstance(location, dict) else None
    address = _first(address)
    if isinstance(address, str):
        return "", "", clean_line(address)
    if not isinstance(address, dict):
        return "", "", _text(location)
    city = _text(address.get("addressLocality"))
    country = _text(address.get("addressCountry"))
    parts = [
        _text(address.get("streetAddress")),
        city,
        _text(address.get("addressRegion")),
        country,
    ]
    return city, country, ", ".join(part for part in parts if part)


def _fields(posting: Mapping[str, Any], page_url: str) -> dict[str, str]:
    city, country, location = _place(posting)
    organisation = posting.get("hiringOrganization")
    contact = posting.get("applicationContact")
    contact_text = ""
    if isinstance(contact, dict):
        contact_text = ", ".join(
            part for part in (_text(contact.get("name")), _text(contact.get("email"))) if part
        )
    apply_url = ""
    action = _first(posting.get("potentialAction"))
    if isinstance(action, dict):
        target = _first(action.get("target"))
        apply_url = _text(target.get("urlTemplate") if isinstance(target, dict) else target)
    candidates = {
        "Title": _text(posting.get("title") or posting.get("name")),
        "Institution": _text(organisation),
        "Department": _text(posting.get("department") or _dig(organisation, "department")),
        "Location": location,
        "City": city,
        "Country": country,
        "Date posted": _text(posting.get("datePosted")),
        "Deadline": _text(posting.get("validThrough")),
        "Start date": _text(posting.get("jobStartDate")),
        "Employment type": _text(posting.get("employmentType")),
        "Salary": _salary(posting.get("baseSalary") or posting.get("estimatedSalary")),
        "Contact": contact_text,
        "Apply": absolutize(page_url, apply_url) or "" if apply_url else "",
        "Keywords": _text(posting.get("keywords") or posting.get("skills")),
        "Field": _text(posting.get("occupationalCategory")),
        "Education requirements": _text(posting.get("educationRequirements")),
        "Qualifications": _text(posting.get("qualifications")),
        "Duration": _text(posting.get("duration") or posting.get("workHours")),
        "Reference number": _identifier(posting.get("identifier")),
    }
    return {label: value for label, value in candidates.items() if value}


def _identifier(value: Any) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("value") or value.get("@value") or value.get("name"))
    return _text(value)


def _dig(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, dict) else None


def _jsonable(value: Any, depth: int = 0) -> Any:
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {str(key): _jsonable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item, depth + 1) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _record(
    page: Page,
    posting: dict[str, Any],
    index: int,
    count: int,
    is_html: bool,
    options: Mapping[str, Any],
) -> RawRecord:
    fields = apply_aliases(_fields(posting, page.url), options.get("label_aliases"))
    raw_description = posting.get("description")
    description_html = (
        raw_description if isinstance(raw_description, str) else _text(raw_description)
    )
    if "&lt;" in description_html and "<" not in description_html:
        # Job systems often escape the HTML inside JSON-LD twice.
        description_html = html_lib.unescape(description_html)
    description_soup = soup_from_html(description_html or "")
    description_text = block_text(description_soup.body or description_soup)
    title = fields.get("Title", "")
    own_url = absolutize(page.url, _text(posting.get("url"))) if posting.get("url") else None
    if count == 1:
        url = page.url if is_html or not own_url else own_url
    else:
        url = own_url or f"{page.url.split('#', 1)[0]}#{slugify(title or str(index))}"

    text = description_text
    links = extract_links(description_soup, page.url)
    # The JobPosting properties at the top of meta (as front matter is) and whole under one key.
    posting_json = _jsonable(posting)
    meta: dict[str, Any] = {**posting_json, "jobposting": posting_json}
    minimum = options.get("min_description_chars", 200)
    minimum = minimum if isinstance(minimum, int) else 200
    if is_html and count == 1:
        # The visible page adds what the markup leaves out: links (the apply button),
        # labelled fields, and the whole text when the description is thin.
        try:
            visible = generic.parse_single(page, options, adapter=NAME)
        except ParseError:
            visible = None
        if visible is not None:
            if len(description_text) < minimum:
                text = f"{description_text}\n\n{visible.text}".strip()
            for label, value in visible.fields.items():
                fields.setdefault(label, value)
            links = links + [link for link in visible.links if link not in links]
            meta = {**visible.meta, **meta}
            title = title or visible.title
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}".strip()
    identifier = _identifier(posting.get("identifier"))
    return RawRecord(
        url=url,
        title=title,
        text=text,
        html=sanitize_html(description_html or ""),
        fields=fields,
        meta=meta,
        links=links,
        source_item_id=identifier or own_url or "",
        adapter=NAME,
    )
