from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from positions.models import Topic
from scrapers.normalize.topics import load_taxonomy

pytestmark = pytest.mark.django_db


def test_load_taxonomy_creates_every_field_and_sub_field_once():
    call_command("load_taxonomy")
    call_command("load_taxonomy")
    nodes = load_taxonomy()
    assert Topic.objects.count() == len(nodes)
    optimisation = Topic.objects.get(name="Optimisation and Control")
    assert optimisation.parent.name == "Mathematics"
    assert optimisation.code == "math.OC"
    assert "optimal transport" in optimisation.keywords
    assert Topic.objects.get(name="Mathematics").parent is None


def test_every_topic_path_the_normaliser_emits_exists_in_the_database():
    call_command("load_taxonomy")
    for node in load_taxonomy():
        if node.parent:
            assert Topic.objects.filter(name=node.name, parent__name=node.parent).exists(), (
                node.path
            )


def test_a_second_run_updates_changed_keywords_in_place(tmp_path):
    call_command("load_taxonomy")
    path = tmp_path / "taxonomy.json"
    path.write_text(
        json.dumps(
            {
                "fields": [
                    {
                        "code": "1.1",
                        "name": "Mathematics",
                        "slug": "mathematics",
                        "keywords": ["maths"],
                        "children": [],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    call_command("load_taxonomy", path=str(path))
    assert Topic.objects.get(slug="mathematics").keywords == ["maths"]


def test_a_broken_taxonomy_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read the taxonomy"):
        call_command("load_taxonomy", path=str(path))
