"""The admin's login in two steps: the password, then, only for a user who has a confirmed
authenticator (or on a site requiring two-factor for staff), the code from it.

The first step is Django's own AdminAuthenticationForm (django-axes counts its failures).
When the password is right but a code is needed, the user is not logged in: their id waits
in the session for a few minutes and the page asks for the code alone, so the code field
is never shown to someone whose account has no authenticator, and the password is never
sent back to the browser. A wrong code counts as a failed login for axes, under the same
username, so guessing codes locks out as guessing passwords does.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

PENDING_KEY = "admin_two_factor_pending"
# How long the password step stays good while the user finds their phone.
PENDING_SECONDS = 300


def two_factor_required(user: Any) -> bool:
    return bool(
        settings.OTP_REQUIRED_FOR_STAFF
        or (user.is_authenticated and user_has_device(user, confirmed=True))
    )


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("admin:index")


def _pending_user(request: HttpRequest) -> tuple[Any, str] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        return None
    return user, str(pending.get("backend", ""))


def _render(request: HttpRequest, site: Any, step: str, **context: Any) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/login.html",
        {
            **site.each_context(request),
            "title": "Log in",
            "step": step,
            "app_path": request.get_full_path(),
            "next": request.POST.get(REDIRECT_FIELD_NAME)
            or request.GET.get(REDIRECT_FIELD_NAME, ""),
            REDIRECT_FIELD_NAME: request.GET.get(REDIRECT_FIELD_NAME, ""),
            **context,
        },
    )


def _code_step(
    request: HttpRequest, site: Any, user: Any, backend: str, *, first: bool = False
) -> HttpResponse:
    # On the password step a code is checked only when one came with it (a script may post
    # both at once); on the code step an empty one is an error.
    posted = request.POST.get("otp_token")
    form = CodeForm(request.POST if (posted if first else posted is not None) else None)
    has_device = user_has_device(user, confirmed=True)
    if form.is_bound and form.is_valid():
        credentials = {"username": user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            # Locked out meanwhile: AxesMiddleware answers with the lock-out page.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            return HttpResponse(status=429)
        device = match_token(user, form.cleaned_data["otp_token"]) if has_device else None
        if device is not None:
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=backend or None)
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        # Counted by axes like a wrong password; its middleware shows the lock-out page.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("otp_token", "That code is not right; check the phone's clock and retry.")
    return _render(
        request,
        site,
        "code",
        form=form,
        pending_username=user.get_username(),
        has_device=has_device,
    )


def admin_login(request: HttpRequest, site: Any) -> HttpResponse:
    """The view behind the admin's /login/ (PhdAdminSite.login)."""
    if request.method == "GET" and site.has_permission(request):
        return HttpResponseRedirect(reverse("admin:index", current_app=site.name))
    if request.method == "POST" and "otp_token" in request.POST:
        pending = _pending_user(request)
        if pending is not None:
            return _code_step(request, site, *pending)
    if request.GET.get("restart") or request.method == "GET":
        request.session.pop(PENDING_KEY, None)
    form = AdminAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        user = form.get_user()
        backend = getattr(user, "backend", "")
        if two_factor_required(user):
            request.session[PENDING_KEY] = {"user": user.pk, "backend": backend, "at": time.time()}
            return _code_step(request, site, user, backend, first=True)
        login(request, user, backend=backend or None)
        return HttpResponseRedirect(_next_url(request))
    return _render(request, site, "password", form=form)
