"""Shared adapter helpers."""


def test_the_adverts_links_point_at_the_source_not_at_us():
    from scrapers.adapters._common import sanitize_html

    html = sanitize_html(
        '<p><a href="/professors/zemkoho">Alain Zemkoho</a> <a href="#apply">Apply</a></p>',
        "https://www.applykite.example/phd/southampton/bilevel",
    )
    assert 'href="https://www.applykite.example/professors/zemkoho"' in html
    assert 'href="#apply"' not in html and ">Apply</a>" in html


# --- Titles of plain-text pages (excerpts of official pages, issue 20) ------------------


def test_a_text_page_is_named_by_its_first_heading_not_by_a_list_item():
    from scrapers.adapters._common import text_title

    text = (
        "Call for Doctoral Researchers\n\nApplications are now closed.\n\n"
        "Requirements:\na) hold a master's degree and be a doctoral candidate in physics\n"
        "• PhD students are paid as employees: see the salary table.\n"
    )
    assert text_title(text) == "Call for Doctoral Researchers"


def test_browser_banners_are_not_a_page_title():
    from scrapers.adapters._common import text_title

    text = (
        "Please enable JavaScript to view this site.\n"
        "Your browser is no longer supported. Please upgrade your browser.\n"
        "Graduate School of Ecology\n\nWe welcome applications from all countries.\n"
    )
    assert text_title(text) == "Graduate School of Ecology"


def test_a_text_excerpt_starting_mid_sentence_is_named_by_its_address():
    from scrapers.adapters._common import slug_title, text_title

    text = (
        "and the project will be linked to marine ecology in the Baltic.\n\n"
        "PhD Research Work\n\nPhD research is supervised by two staff members.\n"
    )
    url = "https://www.example.edu/news/2024/03/phd-fellow-in-marine-ecology/"
    assert text_title(text, url) == "PhD fellow in marine ecology"
    assert slug_title("https://www.example.edu/jobs/12345.html") == ""
    assert slug_title("https://www.example.edu/jobs/100-doctoral-research-grants-2026") == (
        "Doctoral research grants 2026"
    )


def test_a_cms_yaml_stub_before_hugo_toml_front_matter_is_read_as_both():
    from scrapers.adapters._common import split_front_matter

    text = (
        "---\n_template: news\n---\n\n+++\n"
        'link = "https://jobs.example.org/phd-2026.pdf"\ntitle = "Contrat doctoral en histoire"\n'
        "+++\nUn contrat doctoral de trois ans est ouvert.\n"
    )
    meta, body = split_front_matter(text)
    assert meta["title"] == "Contrat doctoral en histoire"
    assert meta["_template"] == "news"
    assert body.startswith("Un contrat doctoral")
