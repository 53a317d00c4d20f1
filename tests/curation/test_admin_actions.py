"""Bulk actions and the form's unlock box, as an admin uses them."""

from __future__ import annotations

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from positions.models import PositionChange
from positions.services import position_update_by_admin
from tests.factories import PositionFactory, make_superuser

from .admin_forms import change_form_data, post_admin_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("hide", "moderation", "hidden"),
        ("publish", "moderation", "published"),
        ("close", "status", "closed"),
        ("feature", "featured", True),
    ],
)
def test_bulk_actions_change_every_selected_position_and_record_it(client, action, field, value):
    positions = [PositionFactory(moderation="pending"), PositionFactory(moderation="pending")]
    client.force_login(make_superuser())
    response = post_admin_action(client, "/admin/positions/position/", action, positions)
    assert response.status_code == 302
    for position in positions:
        position.refresh_from_db()
        assert getattr(position, field) == value
        assert PositionChange.objects.filter(position=position, field=field, actor="admin").exists()


def test_the_unlock_box_hands_a_field_back_to_the_scrapers(client):
    position = PositionFactory()
    admin = make_superuser()
    position_update_by_admin(position=position, user=admin, data={"funding": "partial"})
    client.force_login(admin)
    url = f"/admin/positions/position/{position.pk}/change/"
    data = change_form_data(client.get(url))
    data["unlock"] = ["funding"]

    assert client.post(url, data).status_code == 302

    position.refresh_from_db()
    assert position.locked_fields == []
    assert position.changes.filter(field="funding", new_value="unlocked").exists()


def test_the_admin_lives_under_the_configured_path(client):
    import config.urls

    try:
        with override_settings(ADMIN_URL="backstage/"):
            importlib.reload(config.urls)
            clear_url_caches()
            assert client.get("/backstage/login/").status_code == 200
            assert client.get("/admin/login/").status_code == 404
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
