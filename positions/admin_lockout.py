"""The page django-axes shows a locked-out login (settings.AXES_LOCKOUT_CALLABLE): styled as
the admin, saying when to try again.

Lock-outs are by username and address together (AXES_LOCKOUT_PARAMETERS), so a stranger
guessing an admin's password locks out only themselves, never the admin at their own desk.
A failure during the lock-out does not restart the cool-off
(AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so the time shown holds.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_ends_at(request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime | None:
    """When this username at this address may log in again (None: no cool-off set)."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    last = (
        AccessAttempt.objects.filter(username=username, ip_address=address)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    start: dt.datetime = last or timezone.now()
    ends: dt.datetime = start + cool_off
    return ends


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    ends = lockout_ends_at(request, credentials)
    minutes = None
    if ends is not None:
        minutes = max(1, -(-int((ends - timezone.now()).total_seconds()) // 60))
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "ends_at": ends,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(
        request,
        "admin/lockout.html",
        context,
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )
