"""No empty headings on a detail page (issue 22): a section shows only when it has content,
in our summary and in the advert's own HTML (a "Professors" heading whose list is gone)."""

from __future__ import annotations

import re

import pytest

from positions.sanitize import clean_html
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<h2>About</h2><p>Text.</p><h2>Professors</h2>\n\n", "<h2>About</h2><p>Text.</p>"),
        ("<h2>Offer</h2><h3>A</h3><h4>B</h4><h2>End</h2><p>e</p>", "<h2>End</h2><p>e</p>"),
        ("<h2>Offer</h2><h3>Details</h3><p>d</p>", "<h2>Offer</h2><h3>Details</h3><p>d</p>"),
        ("<h2> </h2><p>z</p>", "<p>z</p>"),
        (
            "<h2>Links</h2><ul><li></li></ul><h2>Next</h2><p>n</p>",
            "<ul><li></li></ul><h2>Next</h2><p>n</p>",
        ),
        ("<p>No headings at all.</p>", "<p>No headings at all.</p>"),
    ],
)
def test_the_sanitiser_drops_headings_that_head_nothing(html, kept):
    assert clean_html(html).strip() == kept


def _empty_headings(html: str) -> list[str]:
    """Headings of the page's main content with no text after them before the next
    heading of their level or higher."""
    main = html[html.index("<main") : html.index("</main>")]
    tags = list(re.finditer(r"<h([1-6])\b[^>]*>(.*?)</h\1>", main, re.S))
    empty = []
    for index, tag in enumerate(tags):
        level = int(tag.group(1))
        end = next((t.start() for t in tags[index + 1 :] if int(t.group(1)) <= level), len(main))
        section = re.sub(r"<[^>]+>", "", main[tag.end() : end]).strip()
        if not re.sub(r"<[^>]+>", "", tag.group(2)).strip() or not section:
            empty.append(tag.group(0))
    return empty


def test_a_sparse_position_shows_no_empty_heading(client):
    sparse = PositionFactory(
        supervisors=[],
        contact_emails=[],
        description_html="<h2>Project</h2><p>Rivers.</p><h2>Professors</h2><ul></ul>",
        description_text="",
        apply_url="",
        url="",
        stipend_amount=None,
        stipend_currency="",
        stipend_period="",
    )

    html = client.get(f"/positions/{sparse.pk}/").content.decode()

    assert _empty_headings(html) == []
    assert "Professors" not in html and "Supervisor" not in html
    assert "<h3>Project</h3>" in html  # the advert's headings sit under "The advert"


def test_a_position_without_any_advert_text_has_no_advert_heading(client):
    bare = PositionFactory(description_html="", description_text="", supervisors=[])

    html = client.get(f"/positions/{bare.pk}/").content.decode()

    assert "The advert" not in html and _empty_headings(html) == []
