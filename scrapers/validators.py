"""Checks on what an admin types in: a source's start URL must be a public web address.

The fetch layer guards every request (redirects included) on its own; this check refuses
an internal address already in the admin form, with a message saying why, so that a
source pointing at the intranet, the cloud metadata service or localhost is never saved.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from scrapers.fetch import FetchError, SSRFRefused, check_scheme, guard_host


def validate_public_url(url: str) -> None:
    """Raise ValidationError unless `url` is http(s) on an allowed port of a public host.

    Uses the fetch layer's own guard, so the admin and the scrapers refuse the same
    addresses (ports and the allow-list for tests and the demo included).
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise ValidationError(f"This is not a valid URL: {error}.", code="invalid") from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValidationError("Only http:// and https:// addresses can be scraped.", code="scheme")
    if not parts.hostname:
        raise ValidationError("The URL has no host name.", code="invalid")
    if parts.username or parts.password:
        raise ValidationError("A URL with a user name or password is not accepted.", code="auth")
    try:
        check_scheme(url)
        guard_host(parts.hostname, port)
    except SSRFRefused as error:
        raise ValidationError(
            f"Refused: {error}. Sources must be public web sites.", code="internal_address"
        ) from None
    except FetchError as error:
        if settings.SCRAPER_REPLAY_DIR:
            return
        raise ValidationError(
            f"The address cannot be reached: {error}.", code="unresolvable"
        ) from None
