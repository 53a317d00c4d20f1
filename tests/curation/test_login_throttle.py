"""Login throttling that cannot be turned against the admins, and the two-step TOTP login.

Lock-outs by username and address together; a styled page saying when to try again; a
cool-off that an attempt during the lock-out does not restart; a start-up check refusing a
proxy deployment whose client-address header is not configured; the code field only for an
account with a confirmed authenticator."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from positions.checks import login_throttle_check
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
HOME = "198.51.100.7"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def login(client, username, password=PASSWORD, address=HOME, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR=address
    )


def token_for(device: TOTPDevice) -> str:
    return str(
        TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    ).zfill(device.digits)


def _lock(client, settings, username="ada", address=HOME):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, password="wrong", address=address)


def test_the_lockout_page_is_styled_and_says_when_to_try_again(client, settings):
    UserFactory(username="ada", is_superuser=True)
    with time_machine.travel(T0, tick=False):
        _lock(client, settings)
        page = login(client, "ada")
    assert page.status_code == 429
    html = page.content.decode()
    assert "PhD positions: curation" in html and "css/admin.css" in html  # the admin's look
    ends = T0 + dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert f'Try again after <time datetime="{ends.isoformat()}">{ends:%H:%M}' in html
    assert "in about 15 minutes" in html


def test_an_attempt_during_the_lockout_does_not_restart_the_cool_off(client, settings):
    UserFactory(username="ada", is_superuser=True)
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(T0, tick=False):
        _lock(client, settings)
    with time_machine.travel(T0 + cool_off - dt.timedelta(minutes=2), tick=False):
        during = login(client, "ada", password="still wrong")
        assert during.status_code == 429
        assert f"{(T0 + cool_off):%H:%M}" in during.content.decode()  # the same time
    with time_machine.travel(T0 + cool_off + dt.timedelta(minutes=1), tick=False):
        assert login(client, "ada").status_code == 302


def test_a_stranger_guessing_locks_out_only_that_username_at_that_address(client, settings):
    UserFactory(username="ada", is_superuser=True)
    UserFactory(username="bob", is_superuser=True)
    _lock(client, settings, "ada", address="203.0.113.66")  # the stranger
    assert login(client, "ada", address="203.0.113.66").status_code == 429
    assert login(client, "ada", address=HOME).status_code == 302  # ada at her desk
    client.logout()
    assert login(client, "bob", address="203.0.113.66").status_code == 302  # bob from there


def test_the_code_field_appears_only_for_an_account_with_a_confirmed_authenticator(client):
    UserFactory(username="ada", is_superuser=True)
    pending = UserFactory(username="bob", is_superuser=True)
    TOTPDevice.objects.create(user=pending, name="not confirmed", confirmed=False)
    assert "otp_token" not in client.get(LOGIN).content.decode()

    assert login(client, "ada").status_code == 302  # no authenticator: no code asked
    client.logout()
    assert login(client, "bob").status_code == 302  # an unconfirmed one does not count


def test_an_account_with_an_authenticator_gives_its_code_after_the_password(client):
    user = UserFactory(username="ada", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    step = login(client, "ada")
    html = step.content.decode()
    assert step.status_code == 200 and 'name="otp_token"' in html
    assert 'name="password"' not in html and PASSWORD not in html  # not sent back
    assert client.get("/admin/").status_code == 302  # not logged in yet

    wrong = client.post(LOGIN, {"otp_token": "000000"}, REMOTE_ADDR=HOME)
    assert "That code is not right" in wrong.content.decode()
    # django-otp makes a device wait a moment after a wrong code; a person does anyway.
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=5)):
        done = client.post(LOGIN, {"otp_token": token_for(device)}, REMOTE_ADDR=HOME)
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_guessing_codes_locks_out_as_guessing_passwords_does(client, settings):
    user = UserFactory(username="ada", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    login(client, "ada")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = client.post(LOGIN, {"otp_token": "000000"}, REMOTE_ADDR=HOME)
    assert last.status_code == 429
    locked = client.post(LOGIN, {"otp_token": token_for(device)}, REMOTE_ADDR=HOME)
    assert locked.status_code == 429 and client.get("/admin/").status_code == 302


def test_the_password_step_expires(client):
    user = UserFactory(username="ada", is_superuser=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with time_machine.travel(T0, tick=False):
        login(client, "ada")
    with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
        late = client.post(LOGIN, {"otp_token": token_for(device)}, REMOTE_ADDR=HOME)
    assert late.status_code == 200 and 'name="password"' in late.content.decode()


# --- The start-up check -------------------------------------------------------------------


def _ids(settings) -> set[str]:
    return {message.id for message in login_throttle_check()}


def test_the_shipped_settings_pass_the_check():
    assert login_throttle_check() == []


@pytest.mark.parametrize(
    "proxy_sign",
    [
        {"USE_X_FORWARDED_HOST": True},
        {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")},
        {"USE_X_FORWARDED_PORT": True},
    ],
)
def test_behind_a_proxy_without_the_client_address_header_the_check_refuses(settings, proxy_sign):
    for name, value in proxy_sign.items():
        setattr(settings, name, value)
    settings.DEBUG = False
    settings.BEHIND_PROXY = False
    [message] = login_throttle_check()
    assert message.id == "positions.E102" and message.is_serious()
    with pytest.raises(SystemCheckError, match=r"positions\.E102"):
        call_command("check")

    settings.DEBUG = True  # on a developer's machine: a warning
    assert not login_throttle_check()[0].is_serious()

    settings.BEHIND_PROXY = True
    assert login_throttle_check() == []


def test_other_unsafe_throttles_are_refused(settings):
    settings.DEBUG = False
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXY_HEADER = ""
    assert _ids(settings) == {"positions.E103"}
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.AXES_CLIENT_IP_CALLABLE = None
    assert _ids(settings) == {"positions.E101"}  # ipware's forgeable left-most default
    settings.AXES_CLIENT_IP_CALLABLE = "positions.security.client_ip"
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    assert _ids(settings) == {"positions.E104"}
    settings.AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
    settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
    assert _ids(settings) == {"positions.E105"}


def test_a_wsgi_server_behind_an_unconfigured_proxy_does_not_start():
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0"}
    env.pop("BEHIND_PROXY", None)
    code = "import config.wsgi"
    refused = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, "TRUST_X_FORWARDED_PROTO": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "positions.E102" in refused.stderr
    started = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, "TRUST_X_FORWARDED_PROTO": "1", "BEHIND_PROXY": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
