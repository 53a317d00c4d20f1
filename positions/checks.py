"""Start-up checks (Django's system checks: run by runserver, migrate, `check`, and by the
WSGI entry point, config/wsgi.py) that refuse a login throttle that could be turned
against the admins.

Behind a reverse proxy every request arrives from the proxy's address. If the client's
address is not read from the proxy's header, django-axes sees one address for everyone:
a stranger's failed guesses then lock the admin out of their own account (lock-outs are by
username and address together), or, with a header read naively, a forged X-Forwarded-For
gives each guess a fresh address and the throttle never bites. Errors in production
(DEBUG off), warnings on a developer's machine.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

OUR_CLIENT_IP = "positions.security.client_ip"


def _level() -> type[checks.Warning] | type[checks.Error]:
    return checks.Warning if settings.DEBUG else checks.Error


def _proxy_signs() -> list[str]:
    """The settings that say the site is served through a reverse proxy."""
    signs = [
        name
        for name in ("USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")
        if getattr(settings, name, False)
    ]
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        signs.append("SECURE_PROXY_SSL_HEADER (TRUST_X_FORWARDED_PROTO)")
    if getattr(settings, "BEHIND_PROXY", False):
        signs.append("BEHIND_PROXY")
    return signs


def _address_problems() -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    signs = _proxy_signs()
    callable_ = getattr(settings, "AXES_CLIENT_IP_CALLABLE", None)
    if callable_ not in (OUR_CLIENT_IP, None):
        return problems  # a project's own resolver: its business
    if callable_ is None and signs and not getattr(settings, "AXES_IPWARE_PROXY_COUNT", None):
        problems.append(
            (
                "positions.E101",
                "Behind a proxy, django-axes reads the client's address with ipware's defaults "
                "(the left-most X-Forwarded-For entry, which a client can forge): set "
                f"AXES_CLIENT_IP_CALLABLE = {OUR_CLIENT_IP!r}.",
            )
        )
    if callable_ == OUR_CLIENT_IP and signs and not settings.BEHIND_PROXY:
        problems.append(
            (
                "positions.E102",
                f"The site is served behind a proxy ({', '.join(signs)}) but BEHIND_PROXY is "
                "off: every login would come from the proxy's address, so anyone's failed "
                "guesses would lock the admins out. Set BEHIND_PROXY=1 and "
                "TRUSTED_PROXY_HEADER / TRUSTED_PROXY_COUNT for your proxy.",
            )
        )
    if settings.BEHIND_PROXY and (
        not str(getattr(settings, "TRUSTED_PROXY_HEADER", "")).strip()
        or int(getattr(settings, "TRUSTED_PROXY_COUNT", 0)) < 1
    ):
        problems.append(
            (
                "positions.E103",
                "BEHIND_PROXY is on but the client-address header is not configured: set "
                "TRUSTED_PROXY_HEADER (e.g. HTTP_X_FORWARDED_FOR) and TRUSTED_PROXY_COUNT "
                "(the number of proxies in front, at least 1).",
            )
        )
    return problems


def _throttle_problems() -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    parameters = [
        sorted(item) if isinstance(item, list | tuple) else [item]
        for item in getattr(settings, "AXES_LOCKOUT_PARAMETERS", [])
    ]
    if parameters != [["ip_address", "username"]]:
        problems.append(
            (
                "positions.E104",
                "AXES_LOCKOUT_PARAMETERS must lock out by username and address together "
                '([["username", "ip_address"]]): by username alone anyone can lock an admin '
                "out; by address alone a shared office address locks everyone out.",
            )
        )
    if getattr(settings, "AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT", True):
        problems.append(
            (
                "positions.E105",
                "AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT must be False: otherwise every "
                "attempt during a lock-out restarts it, and the time the lock-out page "
                "gives is wrong.",
            )
        )
    return problems


@checks.register(checks.Tags.security)
def login_throttle_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    level = _level()
    return [
        level(message, id=code, hint="See docs/deployment.md, 'Behind a proxy'.")
        for code, message in [*_address_problems(), *_throttle_problems()]
    ]
