"""Full-text search, synonyms, typo tolerance, sorting, visibility and paging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.selectors import position_search
from tests.factories import InstitutionFactory, PositionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def titles(result) -> list[str]:
    return [position.title for position in result.positions]


def test_a_title_match_ranks_above_a_description_match():
    PositionFactory(
        title="Ecology of rivers", description_text="We use transport models.", search=True
    )
    PositionFactory(
        title="Optimal transport and geometry", description_text="Geometry.", search=True
    )

    result = position_search({"q": "transport"})

    assert result.sort == "relevance"
    assert titles(result) == ["Optimal transport and geometry", "Ecology of rivers"]


def test_words_are_stemmed():
    PositionFactory(title="Learning to rank", search=True)

    assert titles(position_search({"q": "learned"})) == ["Learning to rank"]


def test_topics_and_institution_are_searched():
    topic = TopicFactory(name="Glaciology", slug="glaciology")
    PositionFactory(title="Studentship A", topics=[topic], search=True)
    PositionFactory(
        title="Studentship B",
        institution=InstitutionFactory(name="Utrecht University"),
        search=True,
    )

    assert titles(position_search({"q": "glaciology"})) == ["Studentship A"]
    assert titles(position_search({"q": "utrecht"})) == ["Studentship B"]


def test_websearch_syntax_phrases_or_and_exclusion():
    PositionFactory(title="Machine learning for physics", search=True)
    PositionFactory(title="Learning machine shop skills", search=True)
    PositionFactory(title="Quantum chemistry", search=True)

    assert titles(position_search({"q": '"machine learning"'})) == ["Machine learning for physics"]
    assert sorted(titles(position_search({"q": "physics or chemistry"}))) == [
        "Machine learning for physics",
        "Quantum chemistry",
    ]
    assert titles(position_search({"q": "learning -physics"})) == ["Learning machine shop skills"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ML", "Machine learning in medicine"),
        ("OT", "Optimal transport on graphs"),
        ("NLP", "Natural language processing for law"),
        ("RL", "Reinforcement learning for control"),
        ("CV", "Computer vision in agriculture"),
    ],
)
def test_abbreviations_find_the_spelled_out_field(query, expected):
    for title in [
        "Machine learning in medicine",
        "Optimal transport on graphs",
        "Natural language processing for law",
        "Reinforcement learning for control",
        "Computer vision in agriculture",
    ]:
        PositionFactory(title=title, description_text="", search=True)

    assert titles(position_search({"q": query})) == [expected]


def test_the_spelled_out_field_finds_the_abbreviation_but_computer_vision_does_not_find_every_cv():
    PositionFactory(title="ML for genomics", description_text="", search=True)
    PositionFactory(title="Ecology", description_text="Send your CV to the lab.", search=True)

    assert titles(position_search({"q": "machine learning"})) == ["ML for genomics"]
    assert titles(position_search({"q": "computer vision"})) == []


def test_typos_in_titles_and_institutions_still_find_the_position_when_exact_search_finds_few():
    PositionFactory(
        title="Stochastic analysis of rough paths",
        institution=InstitutionFactory(name="Universität Heidelberg"),
        search=True,
    )

    by_title = position_search({"q": "stochastc analyis"})
    by_institution = position_search({"q": "Heidelburg"})

    assert by_title.typo_tolerant and titles(by_title) == ["Stochastic analysis of rough paths"]
    assert titles(by_institution) == ["Stochastic analysis of rough paths"]


def test_default_sort_is_closing_soonest_with_rolling_and_unknown_last():
    today = timezone.localdate()
    PositionFactory(title="Later", deadline=today + dt.timedelta(days=40))
    PositionFactory(title="Rolling", deadline_kind="rolling", deadline=None)
    PositionFactory(title="Sooner", deadline=today + dt.timedelta(days=3))

    assert titles(position_search({})) == ["Sooner", "Later", "Rolling"]


def test_newest_sort_puts_the_latest_seen_first():
    now = timezone.now()
    PositionFactory(title="Old", first_seen=now - dt.timedelta(days=10))
    PositionFactory(title="New", first_seen=now)

    assert titles(position_search({"sort": "newest"})) == ["New", "Old"]


def test_closed_unpublished_and_expired_positions_are_hidden_unless_closed_ones_are_asked_for():
    today = timezone.localdate()
    PositionFactory(title="Open")
    PositionFactory(title="Closed", status="closed")
    PositionFactory(title="Expired", deadline=today - dt.timedelta(days=1))
    PositionFactory(title="Pending", moderation="pending")
    PositionFactory(title="Hidden", moderation="hidden", status="closed")

    assert titles(position_search({})) == ["Open"]
    assert sorted(titles(position_search({"include_closed": "1"}))) == ["Closed", "Expired", "Open"]


def test_open_positions_come_before_closed_ones_when_closed_are_included():
    today = timezone.localdate()
    PositionFactory(title="Closed early", status="closed", deadline=today - dt.timedelta(days=30))
    PositionFactory(title="Open later", deadline=today + dt.timedelta(days=30))

    assert titles(position_search({"include_closed": "true"})) == ["Open later", "Closed early"]


def test_pages_split_the_results_and_per_page_is_capped_at_100():
    PositionFactory.create_batch(5)

    first = position_search({"per_page": "2"})
    last = position_search({"per_page": "2", "page": "3"})
    capped = position_search({"per_page": str(10**9)})

    assert (first.total, first.num_pages, len(first.positions), first.has_next) == (5, 3, 2, True)
    assert (len(last.positions), last.has_next, last.has_previous) == (1, False, True)
    assert capped.per_page == 100


def test_relevance_is_ranked_over_a_bounded_candidate_set(settings):
    result = position_search({"q": "anything", "page": str(settings.SEARCH_RELEVANCE_CANDIDATES)})

    assert result.positions == []


def test_start_and_deadline_date_ranges_filter_inclusively():
    today = timezone.localdate()
    PositionFactory(
        title="Starts soon",
        start_date=today + dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=5),
    )
    PositionFactory(
        title="Starts late",
        start_date=today + dt.timedelta(days=300),
        deadline=today + dt.timedelta(days=50),
    )

    starts = position_search({"start_before": (today + dt.timedelta(days=10)).isoformat()})
    deadlines = position_search({"deadline_after": (today + dt.timedelta(days=50)).isoformat()})

    assert titles(starts) == ["Starts soon"]
    assert titles(deadlines) == ["Starts late"]


def test_a_search_for_a_parent_field_finds_positions_tagged_with_a_child():
    mathematics = TopicFactory(name="Mathematics", slug="mathematics")
    PositionFactory(
        title="Studentship",
        topics=[TopicFactory(name="Topology", slug="topology", parent=mathematics)],
        search=True,
    )

    assert titles(position_search({"q": "mathematics"})) == ["Studentship"]


def test_a_topic_that_does_not_exist_matches_nothing():
    PositionFactory.create_batch(2, topics=[TopicFactory(name="Topology", slug="topology")])

    result = position_search({"topic": "no-such-topic"})

    assert result.total == 0 and result.positions == []
    assert position_search({"topic": ["no-such-topic", "topology"]}).total == 2


def test_the_search_page_offers_the_closed_positions_it_hides(client):
    PositionFactory(title="Closed studentship", status="closed")
    page = client.get("/").content.decode()
    assert "Closed studentship" not in page
    assert 'href="/?include_closed=1"' in page
    shown = client.get("/?include_closed=1").content.decode()
    assert "Closed studentship" in shown and "Show closed positions too" not in shown
