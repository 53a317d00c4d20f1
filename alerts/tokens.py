"""Signed links: confirming a subscription (expiring), managing an address's
subscriptions, and unsubscribing one of them.

Each purpose has its own salt, so no token works as another. A manage link names the address
by its hash only (the address is never in a URL), and carries a timestamp: it expires after
ALERTS_MANAGE_LINK_DAYS, and every mail carries a fresh one. An unsubscribe token never
expires: an old mail's one-click unsubscribe must keep working (RFC 8058).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"
SHORTLIST_SALT = "positions.shortlist"  # the shortlist's share token (positions' contract)


def confirm_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> int | None:
    """The subscription id, or None when forged, malformed or older than the expiry."""
    max_age = settings.ALERTS_CONFIRM_HOURS * 3600
    value = _loads(token, CONFIRM_SALT, max_age=max_age)
    return value if isinstance(value, int) else None


def manage_token(email_hash: str) -> str:
    return signing.dumps(email_hash, salt=MANAGE_SALT, compress=True)


def read_manage_token(token: str) -> str | None:
    value = _loads(token, MANAGE_SALT, max_age=settings.ALERTS_MANAGE_LINK_DAYS * 86400)
    return value if isinstance(value, str) and len(value) == 64 else None


def unsubscribe_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    value = _loads(token, UNSUBSCRIBE_SALT)
    return value if isinstance(value, int) else None


def read_shortlist_token(token: str) -> list[int] | None:
    """The position ids of a shortlist's share token; None unless it is a valid one."""
    value = _loads(token, SHORTLIST_SALT)
    if not isinstance(value, list) or not value or len(value) > settings.ALERTS_SHORTLIST_MAX:
        return None
    if not all(isinstance(item, int) and not isinstance(item, bool) and item > 0 for item in value):
        return None
    return sorted(set(value))


def _loads(token: str, salt: str, *, max_age: int | None = None) -> object:
    if not isinstance(token, str) or not token or len(token) > 4000:
        return None
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        return None
