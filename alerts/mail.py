"""Building the alert mails: a plain-text and an HTML part from templates, absolute links,
and the RFC 8058 one-click unsubscribe headers on every mail about a subscription.

Logging here names an address by its mask only (models.mask_address).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Subscription
from .tokens import confirm_token, manage_token, unsubscribe_token

# Stand-ins for a subscriber's own links, rendered into a mail's text and replaced per
# recipient (`message`), so one rendering serves every subscriber of the same digest. The
# random part keeps scraped text from spelling one; the links (signed tokens, a path) hold
# nothing that HTML escaping changes, so the result is what rendering each mail would give.
_MARK = secrets.token_hex(8)
UNSUBSCRIBE_MARK = f"[unsubscribe-{_MARK}]"
MANAGE_MARK = f"[manage-{_MARK}]"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def manage_url(email_hash: str) -> str:
    return absolute(reverse("alerts:manage", args=[manage_token(email_hash)]))


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription.pk)]))


def confirm_url(subscription: Subscription) -> str:
    return absolute(reverse("alerts:confirm", args=[confirm_token(subscription.pk)]))


def search_url(query: str) -> str:
    path = reverse("position_search")
    return absolute(f"{path}?{query}" if query else path)


def build(
    template: str,
    subject: str,
    to: str,
    context: dict[str, Any],
    *,
    subscription: Subscription | None = None,
) -> EmailMultiAlternatives:
    """alerts/email/<template>.txt and .html rendered with `context` (plus site name and
    URL); with a subscription, its unsubscribe and manage links and the List-* headers."""
    context = dict(context)
    if subscription is not None:
        context.setdefault("unsubscribe_url", UNSUBSCRIBE_MARK)
        context.setdefault("manage_url", MANAGE_MARK)
    text, html = render(template, context)
    return message(subject, to, text, html, subscription=subscription)


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML parts; a subscriber's links may be left as the marks."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    return text, html


def message(
    subject: str, to: str, text: str, html: str, *, subscription: Subscription | None = None
) -> EmailMultiAlternatives:
    """A mail of rendered parts; with a subscription, its own links put in place of the
    marks, and the RFC 8058 headers."""
    headers = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}
    if subscription is not None:
        unsubscribe = unsubscribe_url(subscription)
        manage = manage_url(subscription.email_hash)
        text = text.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        html = html.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(MANAGE_MARK, manage)
        # RFC 8058: a mail client's one-click unsubscribe POSTs to this URL,
        # "List-Unsubscribe=One-Click" in the body, with no cookie and no CSRF token.
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        headers["List-Id"] = f"{settings.SITE_NAME} alerts <alerts.{host or 'localhost'}>"
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.ALERTS_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    mail.attach_alternative(html, "text/html")
    return mail
