"""The alert pages: subscribing from a search or a shortlist, confirming, managing,
unsubscribing (one click, RFC 8058) and asking for the manage link.

No page shows an address: a subscriber is named by a masked form at most, and pages reached
by typing an address answer the same whether or not it is subscribed. The search page is
cached for everyone (positions.cache), so the forms it carries cannot hold a CSRF token:
the two that start a double opt-in accept a POST without one (they change nothing until
the mailbox's owner clicks the link; they are rate limited). The one-click unsubscribe
POST must work without one too (mail clients send no cookie). The manage page's forms
are rendered fresh and keep Django's CSRF protection.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from positions.security import client_ip

from . import ratelimit, sending, services, tokens
from .forms import FrequencyForm, ManageLinkForm, ShortlistRemindForm, SubscribeForm
from .mail import manage_url, search_url
from .models import Subscription, address_hash, mask_address
from .queries import canonical_query, describe, query_dict

logger = logging.getLogger("alerts.views")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("page_title", "E-mail alerts")
    context.setdefault("hours", settings.ALERTS_CONFIRM_HOURS)
    response = render(request, f"alerts/{template}.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    # The tokens in these URLs never leave the site ("no-referrer" would make browsers send
    # Origin: null with the page's forms, which Django's CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _limited(request: HttpRequest, email: str) -> tuple[HttpResponse | None, bool]:
    """(a response refusing the request, whether the address is over its own limit).
    Over the client's limit: 429. Redis away: 503, nothing sent (ratelimit's docstring)."""
    try:
        if not ratelimit.hit(ratelimit.per_client(), client_ip(request) or "unknown"):
            response = _page(request, "limited", {}, status=429)
            response["Retry-After"] = "3600"
            return response, False
        return None, not ratelimit.hit(ratelimit.per_address(), address_hash(email))
    except ratelimit.LimiterUnavailable:
        response = _page(request, "unavailable", {}, status=503)
        response["Retry-After"] = "120"
        return response, False


@csrf_exempt
@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """POST from the search page's form; GET shows the form alone (no JavaScript needed)."""
    if request.method == "GET":
        query = canonical_query(request.GET)
        form = SubscribeForm(initial={"query": query})
        return _page(request, "subscribe", {"form": form, "search_words": describe(query)})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        query = canonical_query(query_dict(str(request.POST.get("query", ""))[:20_000]))
        context = {"form": form, "search_words": describe(query)}
        return _page(request, "subscribe", context, status=400)
    data = form.cleaned_data
    query = canonical_query(query_dict(data["query"]))
    refused, address_over = _limited(request, data["email"])
    if refused is not None:
        return refused
    if not data["website"] and not address_over:
        services.request_subscription(data["email"], query=query, frequency=data["frequency"])
    elif address_over:
        logger.info("address limit reached for %s", mask_address(data["email"]))
    return _page(request, "check_inbox", {"search_words": describe(query)})


@csrf_exempt
@never_cache
@sensitive_post_parameters("email")
@require_POST
def shortlist_subscribe(request: HttpRequest) -> HttpResponse:
    """Reminders for a shortlist: its share token (positions.shortlist) and an address."""
    form = ShortlistRemindForm(request.POST)
    ids = tokens.read_shortlist_token(str(request.POST.get("token", "")))
    if not form.is_valid() or ids is None:
        if ids is None:
            form.add_error(None, "This shortlist link is not valid; open your shortlist again.")
        return _page(request, "shortlist_form", {"form": form}, status=400)
    data = form.cleaned_data
    refused, address_over = _limited(request, data["email"])
    if refused is not None:
        return refused
    if not data["website"] and not address_over:
        services.request_subscription(
            data["email"], kind=Subscription.Kind.SHORTLIST, position_ids=ids, query=""
        )
    count = len(ids)
    words = f"reminders for the {count} position{'s' if count != 1 else ''} on your shortlist"
    return _page(request, "check_inbox", {"search_words": words})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners fetch GETs); its POST confirms."""
    subscription_id = tokens.read_confirm_token(token)
    subscription = None
    if subscription_id is not None:
        subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None or subscription.unsubscribed_at:
        return _page(request, "link_invalid", {}, status=400)
    if request.method == "POST":
        subscription = services.confirm(subscription.pk)
        if subscription is None:
            return _page(request, "link_invalid", {}, status=400)
        return _page(request, "confirmed", _about(subscription))
    return _page(request, "confirm", _about(subscription))


def _about(subscription: Subscription) -> dict[str, Any]:
    return {
        "subscription": subscription,
        "search_words": services._words(subscription),
        "search_url": search_url(subscription.query),
        "manage_url": manage_url(subscription.email_hash),
    }


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058: a POST (body List-Unsubscribe=One-Click, no cookie, no CSRF token)
    unsubscribes at once; a GET only shows the button, as link scanners fetch GETs."""
    subscription_id = tokens.read_unsubscribe_token(token)
    subscription = None
    if subscription_id is not None:
        subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return _page(request, "link_invalid", {}, status=400)
    if request.method == "POST":
        everything = request.POST.get("everything") == "1"
        services.unsubscribe(subscription.pk, everything=everything)
        logger.info("unsubscribed #%d (everything=%s)", subscription.pk, everything)
        return _page(request, "unsubscribed", {**_about(subscription), "everything": everything})
    return _page(request, "unsubscribe", _about(subscription))


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, token: str) -> HttpResponse:
    email_hash = tokens.read_manage_token(token)
    if email_hash is None:
        return _page(request, "link_invalid", {"expired_manage": True}, status=400)
    mine = Subscription.objects.filter(email_hash=email_hash)
    notice = ""
    if request.method == "POST":
        notice = _manage_action(request, mine, email_hash)
    subscriptions = [
        {
            "subscription": sub,
            "words": services._words(sub),
            "search_url": _about(sub)["search_url"],
        }
        for sub in mine.filter(unsubscribed_at__isnull=True).order_by("-created_at")
    ]
    context = {"subscriptions": subscriptions, "notice": notice, "token": token}
    return _page(request, "manage", context)


def _manage_action(request: HttpRequest, mine: Any, email_hash: str) -> str:
    action = request.POST.get("action", "")
    if action == "everything":
        sending.suppress(email_hash, "unsubscribed", "from the manage page")
        return "You are unsubscribed from everything. We will not write to you again."
    try:
        subscription = mine.get(pk=int(request.POST.get("subscription", "")))
    except (ValueError, Subscription.DoesNotExist):
        return "That alert is no longer there."
    if action == "unsubscribe":
        services.unsubscribe(subscription.pk)
        return "Unsubscribed from that alert."
    if action == "frequency":
        form = FrequencyForm(request.POST)
        if form.is_valid():
            subscription.frequency = form.cleaned_data["frequency"]
            subscription.save(update_fields=["frequency", "email_hash"])
            return f"That alert is now {subscription.get_frequency_display().lower()}."
    return "Nothing was changed."


@never_cache
@sensitive_post_parameters("email")
@require_http_methods(["GET", "POST"])
def manage_link(request: HttpRequest) -> HttpResponse:
    """'Send me my manage link': the same answer whether or not the address is known."""
    if request.method == "GET":
        return _page(request, "manage_link", {"form": ManageLinkForm()})
    form = ManageLinkForm(request.POST)
    if not form.is_valid():
        return _page(request, "manage_link", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    refused, address_over = _limited(request, email)
    if refused is not None:
        return refused
    if not form.cleaned_data["website"] and not address_over:
        services.send_manage_link(email)
    return _page(request, "manage_link_sent", {})
