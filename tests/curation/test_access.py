"""Who may do what in the admin, and how the login defends itself."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from positions.security import client_ip
from tests.factories import PASSWORD, PositionFactory, UserFactory, make_curator

from .admin_forms import post_admin_action

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def login(client, username, password=PASSWORD, address="198.51.100.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/scrapers/source/",
        "/admin/scrapers/source/add/",
        "/admin/scrapers/scraperun/",
        "/admin/auth/user/",
        "/admin/auth/group/",
        "/admin/django_celery_beat/periodictask/",
    ],
)
def test_a_curator_cannot_open_sources_runs_users_or_schedules(client, url):
    client.force_login(make_curator())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/positions/position/",
        "/admin/positions/reviewqueueposition/",
        "/admin/positions/duplicatecandidate/",
        "/admin/positions/report/",
    ],
)
def test_a_curator_can_moderate_positions_duplicates_and_reports(client, url):
    client.force_login(make_curator())
    assert client.get(url).status_code == 200


def test_a_curator_can_publish_a_pending_position(client):
    position = PositionFactory(moderation="pending")
    client.force_login(make_curator())
    post_admin_action(client, "/admin/positions/position/", "publish", [position])
    position.refresh_from_db()
    assert position.moderation == "published"


def test_the_curator_group_is_set_up_idempotently(django_user_model):
    from django.core.management import call_command

    call_command("setup_roles")
    call_command("setup_roles")
    group = Group.objects.get(name="curator")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_position" in codenames
    assert not any("source" in name or "user" in name for name in codenames)


def test_failed_logins_lock_the_username_at_that_address_until_the_cool_off(client, settings):
    UserFactory(username="ada", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "ada", password="wrong")

    locked = login(client, "ada")
    assert locked.status_code == 429
    assert login(client, "ada", address="198.51.100.8").status_code == 302  # another address

    later = dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later):
        response = login(client, "ada")
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_behind_a_proxy_only_the_trusted_proxys_entry_counts(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5"
    )
    assert client_ip(request) == "203.0.113.5"  # the forged left entry is ignored
    settings.BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.2"  # not behind a proxy: the header is ignored


def test_behind_a_proxy_each_client_address_is_throttled_apart(client, settings):
    settings.BEHIND_PROXY = True
    UserFactory(username="ada", is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "ada", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    blocked = client.post(
        LOGIN,
        {"username": "ada", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    other = client.post(
        LOGIN,
        {"username": "ada", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.6",
    )
    assert blocked.status_code == 429 and other.status_code == 302


def token_for(device: TOTPDevice) -> str:
    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ).zfill(device.digits)


def test_with_two_factor_required_staff_need_a_code(client, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    user = UserFactory(username="ada", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    without_code = login(client, "ada")
    assert without_code.status_code == 200  # the form again, asking for the code
    assert client.get("/admin/").status_code == 302

    with_code = login(client, "ada", otp_token=token_for(device))
    assert with_code.status_code == 302, with_code.context["form"].errors
    assert client.get("/admin/").status_code == 200


def test_a_password_session_without_the_second_factor_is_not_enough(client, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client.force_login(UserFactory(username="ada", is_superuser=True))
    assert client.get("/admin/positions/position/").status_code == 302


def test_staff_register_an_authenticator_with_a_qr_code(client):
    user = UserFactory(username="ada", is_superuser=True)
    client.force_login(user)
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/two-factor/", {"token": token_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200  # this session is verified
