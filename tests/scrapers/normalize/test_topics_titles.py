from scrapers.normalize.titles import clean_title, extract_degree
from scrapers.normalize.topics import classify, extract_topics, load_taxonomy


def test_the_taxonomy_has_oecd_fields_at_the_top_and_arxiv_classes_below():
    paths = {node.path for node in load_taxonomy()}
    assert {
        "Mathematics > Optimisation and Control",
        "Computer Science > Machine Learning",
        "Mathematics > Probability",
    } <= paths
    assert all(node.parent is None or node.parent in paths for node in load_taxonomy())


def test_an_advert_maps_onto_sub_fields_and_keeps_its_own_keywords(doc):
    advert = doc(
        "We study optimal transport, gradient flows and robust optimization for machine learning and deep learning.",
        title="PhD position in optimization and machine learning",
        meta={"tags": ["optimal transport", "news"]},
    )
    found, tags = extract_topics(advert)
    assert found.value[:2] == [
        "Mathematics > Optimisation and Control",
        "Computer Science > Machine Learning",
    ]
    assert tags[0] == "optimal transport"
    assert "news" not in tags


def test_a_field_named_once_in_passing_is_not_a_topic():
    assert classify("PhD position", "We are near the chemistry building.", []) == []


def test_phd_position_boilerplate_is_removed_from_titles():
    assert (
        clean_title("PhD Position: Towards a theory of deep learning")
        == "Towards a theory of deep learning"
    )
    assert (
        clean_title(
            "PhD Position: The Mathematics of Deep Bilevel Learning University of Southampton in United Kingdom",
            institution="University of Southampton",
            country_name="United Kingdom",
        )
        == "The Mathematics of Deep Bilevel Learning"
    )


def test_titles_that_name_their_place_keep_it():
    assert (
        clean_title(
            "PhD position at University of Edinburgh", institution="University of Edinburgh"
        )
        == "PhD position at University of Edinburgh"
    )
    assert (
        clean_title("PhD position in Mathematical Physics")
        == "PhD position in Mathematical Physics"
    )


def test_degree_level_from_labels_and_title(doc):
    assert extract_degree(doc(fields={"Degree Level": "PhD"})).value == "PhD"
    assert extract_degree(doc(title="Doctoral researcher in statistics")).value == "PhD"
