"""The admin site: Django's, with two-factor login (TOTP, django-otp) for staff.

A staff member who registered an authenticator must give its code at login; with
settings.OTP_REQUIRED_FOR_STAFF every staff member must (register the first device with
`manage.py totp_device <username>`, later ones on the admin's "Two-factor" page).
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image


def two_factor_required(user: Any) -> bool:
    return settings.OTP_REQUIRED_FOR_STAFF or (
        user.is_authenticated and user_has_device(user, confirmed=True)
    )


class TwoFactorAdminAuthenticationForm(OTPAdminAuthenticationForm):  # type: ignore[misc]  # django-otp ships no type hints
    """Password, then the authenticator's code for those who need one."""

    def _chosen_device(self, user: Any) -> Any:
        # With one authenticator there is nothing to choose: use it.
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def clean(self) -> dict[str, Any]:
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and two_factor_required(user):
            self.clean_otp(user)
        return self.cleaned_data


class PhdAdminSite(admin.AdminSite):
    site_header = "PhD positions: curation"
    site_title = "PhD positions admin"
    index_title = "Curation"
    login_form = TwoFactorAdminAuthenticationForm
    login_template = "otp/admin111/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        if two_factor_required(request.user):
            return bool(getattr(request.user, "is_verified", lambda: False)())
        return True

    def get_urls(self) -> list[Any]:
        return [
            path("two-factor/", self.admin_view(self.two_factor_view), name="two_factor"),
            *super().get_urls(),
        ]

    def _pending_device(self, request: HttpRequest) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=request.user, name="authenticator", confirmed=False
            )
        return device

    def two_factor_view(self, request: HttpRequest) -> HttpResponse:
        """Register an authenticator app: scan the QR code, type a code to confirm."""
        device = self._pending_device(request)
        form = TokenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(request, "Two-factor login is on for your account.")
                return redirect(reverse("admin:index"))
            form.add_error("token", "That code is not right; check the phone's clock and retry.")
        buffer = io.BytesIO()
        write_qrcode_image(device.config_url, buffer)
        context = {
            **self.each_context(request),
            "title": "Two-factor login",
            "form": form,
            "qrcode_svg": mark_safe(buffer.getvalue().decode()),  # noqa: S308 - our own SVG
            "secret_uri": device.config_url,
            "confirmed_devices": TOTPDevice.objects.filter(user=request.user, confirmed=True),
            "required": settings.OTP_REQUIRED_FOR_STAFF,
        }
        return TemplateResponse(request, "admin/two_factor.html", context)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from the app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
