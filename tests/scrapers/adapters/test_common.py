"""Shared adapter helpers."""


def test_the_adverts_links_point_at_the_source_not_at_us():
    from scrapers.adapters._common import sanitize_html

    html = sanitize_html(
        '<p><a href="/professors/zemkoho">Alain Zemkoho</a> <a href="#apply">Apply</a></p>',
        "https://www.applykite.example/phd/southampton/bilevel",
    )
    assert 'href="https://www.applykite.example/professors/zemkoho"' in html
    assert 'href="#apply"' not in html and ">Apply</a>" in html
