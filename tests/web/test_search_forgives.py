"""Search that forgives and explains (issue 22): misspelt words in the advert's text are
corrected from the corpus's own vocabulary, "did you mean" offers the correction, the
"showing similar too" notice appears only when similar matches were added, and relevance
ranks open positions above closed ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from positions.models import SearchWord
from positions.selectors import position_search
from positions.words import corrected_query, search_words_refresh
from scrapers.tasks import after_positions_changed
from tests.factories import PositionFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "You will develop machine learning methods for weather forecasting, with deep "
    "learning models trained on satellite observations."
)


def titles(result) -> list[str]:
    return [position.title for position in result.positions]


@pytest.fixture
def adverts():
    made = [
        # The words are in the advert's text only, not its title.
        PositionFactory(title="Forecasting the monsoon", description_text=TEXT, search=True),
        PositionFactory(
            title="Coastal sediment transport",
            description_text="Field campaigns on tidal flats and numerical models of sand.",
            search=True,
        ),
    ]
    search_words_refresh()
    return made


@pytest.mark.parametrize("query", ["machin lerning", "machine lerning", "lerning"])
def test_misspelt_words_of_the_advert_text_still_find_it(adverts, query):
    result = position_search({"q": query})
    assert titles(result) == ["Forecasting the monsoon"]
    assert result.suggestion in {"machine learning", "learning"}
    assert result.similar_too  # no exact match, one similar: the notice is true


def test_the_vocabulary_holds_the_adverts_words_unstemmed_and_is_rebuilt_after_scrapes(adverts):
    assert SearchWord.objects.filter(word__in=["machine", "learning", "satellite"]).count() == 3
    assert not SearchWord.objects.filter(word="machin").exists()
    PositionFactory(title="Glacier hydrology", description_text="Meltwater.", search=True)
    assert not SearchWord.objects.filter(word="meltwater").exists()
    after_positions_changed()
    assert SearchWord.objects.filter(word="meltwater", documents=1).exists()


def test_a_hidden_advert_lends_no_words(adverts):
    PositionFactory(title="Secret", description_text="Zeppelinology.", moderation="pending")
    search_words_refresh()
    assert not SearchWord.objects.filter(word="zeppelinology").exists()


def test_known_words_are_left_alone_and_nonsense_is_not_corrected(adverts):
    assert corrected_query("machine learning") is None
    assert corrected_query("xqzvw") is None
    assert corrected_query("Machin Lerning models") == "machine learning models"


def test_did_you_mean_links_to_the_corrected_search(adverts, client):
    page = client.get("/", {"q": "machin lerning"}).content.decode()
    assert "Did you mean" in page
    assert "?q=machine+learning" in page
    assert "No exact matches: showing similar ones too" in page


def test_no_similar_too_notice_when_nothing_similar_was_added(adverts, client):
    result = position_search({"q": "xqzvw plorbt"})
    assert result.typo_tolerant and result.total == 0
    assert not result.similar_too and not result.suggestion
    page = client.get("/", {"q": "xqzvw plorbt"}).content.decode()
    assert "showing similar" not in page
    assert "Did you mean" not in page


def test_a_few_exact_matches_and_nothing_similar_says_nothing_of_similar_ones(adverts):
    result = position_search({"q": "satellite"})  # one exact match, no similar word
    assert titles(result) == ["Forecasting the monsoon"]
    assert result.typo_tolerant and result.exact_matches == 1
    assert not result.similar_too


def test_relevance_ranks_open_positions_above_closed_ones():
    past = timezone.localdate() - dt.timedelta(days=10)
    PositionFactory(
        title="Glacier glacier glacier dynamics",
        description_text="Glacier glacier glacier.",
        status="closed",
        deadline=past,
        search=True,
    )
    PositionFactory(title="Ice sheets", description_text="One glacier.", search=True)
    result = position_search({"q": "glacier", "include_closed": "1", "sort": "relevance"})
    assert titles(result) == ["Ice sheets", "Glacier glacier glacier dynamics"]
